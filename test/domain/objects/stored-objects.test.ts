import t, { type Test } from 'tap'
import { publicUrlOf } from '../../../src/namespaces/from-config.js'
import { loadConfig } from '../../../src/config.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { createTask, DOWNLOAD_URL, fetchObject, packageExample, postApi, taskDetail, vendorExample } from '../../helpers/requests.js'
import { idOf, recycleFile, SHARES } from '../../helpers/world.js'
import { objectError } from '../../helpers/objects.js'
import { unzip } from '../../helpers/zips.js'

const NO_SUCH_KEY = 'The specified key does not exist.'

/** A correctly signed URL for any object key, as if the emulator had handed it out. */
const signedUrl = (test: TestApp, objectKey: string) => test.app.emulator.presigner.sign(objectKey, test.clock.now())

async function assertNoSuchKey(t: Test, test: TestApp, objectKey: string, what: string) {
  const res = await fetchObject(test, signedUrl(test, objectKey))
  t.equal(res.statusCode, 404, `${what}: 404`)
  t.equal(res.body, objectError('NoSuchKey', NO_SUCH_KEY, objectKey, res.headers['x-request-id']), `${what}: NoSuchKey XML`)
}

t.test('a signed key that names no object is 404 NoSuchKey', async (t) => {
  const test = await startTestApp(t)
  const readme = idOf('README.txt')
  const cases: [string, string][] = [
    ['files/' + readme, 'a file key without a name'],
    [`files/${readme}/README.txt/extra`, 'a key with a segment too many'],
    [`documents/${readme}/README.txt`, 'a kind that is neither files nor packages'],
    ['files/Fnope/README.txt', 'an unknown file'],
    [`files/${readme}/readme.txt`, 'the right file under another name (names are case-sensitive)'],
    [`files/${idOf('Drafts')}/Drafts`, 'a folder'],
    ['packages/1234567890123456789/holiday.zip', 'an unknown task'],
  ]
  for (const [objectKey, what] of cases) await assertNoSuchKey(t, test, objectKey, what)
  await assertNoSuchKey(t, test, 'files', 'a key of one segment')
  await assertNoSuchKey(t, test, '', 'the bucket itself')
})

t.test('a package key resolves only to a completed package download of that name', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const objectKey = `packages/${taskId}/holiday.zip`
  await assertNoSuchKey(t, test, objectKey, 'not complete yet')
  test.clock.advance(3000)
  const early = await fetchObject(test, signedUrl(test, objectKey))
  t.equal(early.statusCode, 200, 'the GET itself sees the task complete, without a taskDetail poll first')
  t.strictSame((await unzip(early.rawPayload)).map((entry) => entry.name), ['Quarterly report.pdf'])
  await assertNoSuchKey(t, test, `packages/${taskId}/other.zip`, 'another zip name')

  const dumpId = await createTask(test, vendorExample)
  test.clock.advance(3000)
  await assertNoSuchKey(t, test, `packages/${dumpId}/holiday.zip`, 'a dump task')
})

t.test('a completed package whose every file failed has no object', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  recycleFile(test.app.emulator.world, packageExample.fileIds[0] as string) // the owner deletes the file while the task runs
  test.clock.advance(3000)
  await assertNoSuchKey(t, test, `packages/${taskId}/holiday.zip`, 'all files failed')
})

t.test('a package evicted by MOCK_MAX_TASKS is gone: its URL is 404', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_TASKS: '1' } })
  const taskId = await createTask(test, packageExample)
  test.clock.advance(3000)
  const { downloadUrl } = (await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo
  t.equal((await fetchObject(test, downloadUrl)).statusCode, 200)
  await createTask(test, packageExample)
  const res = await fetchObject(test, downloadUrl)
  t.equal(res.statusCode, 404)
  t.equal(res.body, objectError('NoSuchKey', NO_SUCH_KEY, `packages/${taskId}/holiday.zip`, res.headers['x-request-id']))
})

t.test('a file URL is for the bytes of that file, with its Content-Type', async (t) => {
  const test = await startTestApp(t)
  const logo = idOf('Logo.svg')
  const res = await fetchObject(test, signedUrl(test, `files/${logo}/Logo.svg`))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-length'], '14882')
  t.equal(res.headers['content-type'], 'image/svg+xml')
  const head = await fetchObject(test, signedUrl(test, `files/${logo}/Logo.svg`), 'HEAD')
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], '14882')
  t.equal(head.rawPayload.length, 0)
})

t.test('download URLs point at MOCK_PUBLIC_URL, else at HOST:PORT as a browser on this machine reaches it', async (t) => {
  const urlOf = (env: Record<string, string>) => publicUrlOf(loadConfig(env))
  t.equal(urlOf({}), 'http://127.0.0.1:3000')
  t.equal(urlOf({ PORT: '8080', HOST: 'mock.internal' }), 'http://mock.internal:8080')
  t.equal(urlOf({ HOST: '0.0.0.0' }), 'http://localhost:3000', 'all interfaces: localhost')
  t.equal(urlOf({ HOST: '::' }), 'http://localhost:3000')
  t.equal(urlOf({ HOST: '[::]' }), 'http://localhost:3000')
  t.equal(urlOf({ HOST: '::1' }), 'http://[::1]:3000', 'an IPv6 address gets brackets')
  t.equal(urlOf({ HOST: '[::1]' }), 'http://[::1]:3000', 'once')
  t.equal(urlOf({ MOCK_PUBLIC_URL: 'https://mock.example.test:8443/base//', HOST: '0.0.0.0' }), 'https://mock.example.test:8443/base', 'MOCK_PUBLIC_URL wins, trailing slashes dropped')

  const test = await startTestApp(t, { env: { MOCK_PUBLIC_URL: 'https://drive.example.test/' } })
  const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') })
  t.ok(res.json().downloadUrl.startsWith(`https://drive.example.test/obs/koodrive-share/files/${idOf('README.txt')}/README.txt?`))
  t.equal((await fetchObject(test, res.json().downloadUrl)).statusCode, 200, 'the signature does not cover the host')
})

t.test('MOCK_CORS_ORIGIN as a list: a listed page reads a download and its file name, another page gets no CORS grant', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_CORS_ORIGIN: 'http://localhost:5173, http://app.example.test' } })
  const url = new URL(signedUrl(test, `files/${idOf('README.txt')}/README.txt`))
  const listed = await test.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { origin: 'http://app.example.test' } })
  t.equal(listed.statusCode, 200)
  t.equal(listed.headers['access-control-allow-origin'], 'http://app.example.test', 'the list is split on commas and trimmed')
  t.match(String(listed.headers['access-control-expose-headers']), /Content-Disposition/)
  const other = await test.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { origin: 'http://elsewhere.example.test' } })
  t.equal(other.statusCode, 200, 'CORS is the browser\'s to enforce: the object is still served')
  t.notOk('access-control-allow-origin' in other.headers)
})

t.test('a file URL given out before the file went to the recycle bin is NoSuchKey afterwards', async (t) => {
  const test = await startTestApp(t)
  const logo = idOf('Logo.svg')
  const url = signedUrl(test, `files/${logo}/Logo.svg`)
  t.equal((await fetchObject(test, url)).statusCode, 200)
  recycleFile(test.app.emulator.world, logo)
  const res = await fetchObject(test, url)
  t.equal(res.statusCode, 404)
  t.match(res.body, /<Code>NoSuchKey<\/Code>/)
})
