import t from 'tap'
import { EXPIRED_MESSAGE } from '../../src/domain/objects/presigned-urls.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { DOWNLOAD_URL, fetchObject, FILES_URL, INJECT_BASE_URL, kdstokenFor, postApi } from '../helpers/requests.js'
import { defaultWorldFile, idOf, SHARES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { expectedContent, objectError } from '../helpers/objects.js'
import { worldFile } from '../helpers/admin.js'

const PARAMETER_INVALID = 13000102
const FILE_NOT_IN_SHARE = 13000302
const FILE_RECYCLED = 13000306
const RESOURCE_NOT_FOUND = 13000309
const FOLDER_NOT_ALLOWED = 13000406
const NO_PERMISSION = 13000410
const ONE_MIB = 1024 * 1024

async function downloadUrlOf(test: TestApp, body: Record<string, unknown>, headers: Record<string, string | undefined> = {}): Promise<string> {
  const res = await postApi(test, DOWNLOAD_URL, body, headers)
  if (res.statusCode !== 200) throw new Error(`share/download failed: ${res.body}`)
  return (res.json() as { downloadUrl: string }).downloadUrl
}

t.test('a file of a share: a presigned URL valid for an hour', async (t) => {
  const test = await startTestApp(t)
  const fileId = idOf('Hero shot.jpg')
  const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId })
  t.equal(res.statusCode, 200)
  const { downloadUrl } = res.json()
  t.strictSame(res.json(), { code: 0, msg: 'Success', downloadUrl })
  const url = new URL(downloadUrl)
  t.equal(downloadUrl.split('?')[0], `${INJECT_BASE_URL}/obs/koodrive-share/files/${fileId}/Hero%20shot.jpg`, 'on the Host the request was sent to')
  t.strictSame(Object.fromEntries(url.searchParams), {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'KOODRIVEMOCKACCESSID/20261126/cn-north-4/s3/aws4_request',
    'X-Amz-Date': '20261126T100000Z',
    'X-Amz-Expires': '3600',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': url.searchParams.get('X-Amz-Signature'),
  })
  t.match(url.searchParams.get('X-Amz-Signature'), /^[0-9a-f]{64}$/)
})

t.test('GET on the URL serves the file: min(size, MOCK_ZIP_MAX_FILE_BYTES) bytes, Content-Type by suffix', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, string, number][] = [
    ['README.txt', 'text/plain; charset=utf-8', 1337],
    ['Launch plan.pdf', 'application/pdf', ONE_MIB],
    ['Hero shot.jpg', 'image/jpeg', ONE_MIB],
    ['Teaser.mp4', 'video/mp4', ONE_MIB],
    ['Jingle.mp3', 'audio/mpeg', ONE_MIB],
    ['Brand assets.zip', 'application/zip', ONE_MIB],
    ['Press release.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 48_213],
    ['Budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 96_704],
    ['Keynote.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ONE_MIB],
  ]
  for (const [name, contentType, bytes] of cases) {
    t.test(name, async (t) => {
      const fileId = idOf(name)
      const res = await fetchObject(test, await downloadUrlOf(test, { shareId: SHARES.launchKit.shareId, fileId }))
      t.equal(res.statusCode, 200)
      t.equal(res.headers['content-type'], contentType)
      t.equal(res.headers['content-length'], String(bytes))
      t.equal(res.headers['content-disposition'], `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      t.equal(res.rawPayload.length, bytes)
      t.ok(res.rawPayload.equals(await expectedContent(fileId, bytes)), 'the file\'s deterministic content')
    })
  }
})

t.test('MOCK_ZIP_MAX_FILE_BYTES caps a direct download too', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ZIP_MAX_FILE_BYTES: '100' } })
  const res = await fetchObject(test, await downloadUrlOf(test, { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') }))
  t.equal(res.rawPayload.length, 100)
  t.ok(res.rawPayload.equals((await expectedContent(idOf('README.txt'), 1337)).subarray(0, 100)), 'a prefix of the full content')
})

t.test('a file deep inside a shared folder downloads', async (t) => {
  const test = await startTestApp(t)
  const fileId = idOf('Home v1.png')
  const res = await fetchObject(test, await downloadUrlOf(test, { shareId: SHARES.websiteRedesign.shareId, fileId }))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'image/png')
  t.equal(res.rawPayload.length, ONE_MIB)
})

t.test('the URL expires 3600 s after it was signed: 403 AccessDenied', async (t) => {
  const test = await startTestApp(t)
  const fileId = idOf('README.txt')
  const url = await downloadUrlOf(test, { shareId: SHARES.launchKit.shareId, fileId })
  test.clock.advance(3_599_000)
  t.equal((await fetchObject(test, url)).statusCode, 200)
  test.clock.advance(1000)
  const res = await fetchObject(test, url)
  t.equal(res.statusCode, 403)
  t.equal(res.body, objectError('AccessDenied', EXPIRED_MESSAGE, `files/${fileId}/README.txt`, res.headers['x-request-id']))
  const fresh = await downloadUrlOf(test, { shareId: SHARES.launchKit.shareId, fileId })
  t.equal((await fetchObject(test, fresh)).statusCode, 200, 'asking again gives a fresh URL')
})

t.test('what cannot be downloaded', async (t) => {
  const test = await startTestApp(t)
  t.test('a folder is 13000406', async (t) => {
    const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('Drafts') })
    assertKooDriveError(t, res, FOLDER_NOT_ALLOWED, `Operation not allowed on a folder: ${idOf('Drafts')} is a folder; use a package download task`)
  })
  t.test('a file in the recycle bin is 13000306', async (t) => {
    const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.oldBudget.shareId, fileId: idOf('Old budget.xlsx') })
    assertKooDriveError(t, res, FILE_RECYCLED, `File in the recycle bin: ${idOf('Old budget.xlsx')}`)
  })
  t.test('a file of the world that is not in the share is 13000302', async (t) => {
    for (const name of ['Quarterly report.pdf', 'Brief.docx', 'Photos 2025 backup.zip']) {
      const fileId = idOf(name)
      const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId })
      assertKooDriveError(t, res, FILE_NOT_IN_SHARE, `File not in the share: ${fileId} is not a file of share ${SHARES.launchKit.shareId}`)
    }
  })
  t.test('a file of an expired share is 13000309', async (t) => {
    const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.holidayExpired.shareId, fileId: idOf('Beach.jpg') })
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: share ${SHARES.holidayExpired.shareId} has expired`)
  })
})

t.test('a protected share needs the kdstoken from share/verify', async (t) => {
  const test = await startTestApp(t)
  const fileId = idOf('NDA - Northwind.pdf')
  const body = { shareId: SHARES.contracts.shareId, fileId }
  assertKooDriveError(t, await postApi(test, DOWNLOAD_URL, body), NO_PERMISSION, 'No permission: this share has an access code: call share/verify and send its kdstoken')
  const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode)
  const res = await fetchObject(test, await downloadUrlOf(test, { ...body, kdstoken }))
  t.equal(res.statusCode, 200)
  t.equal(res.rawPayload.length, defaultWorldFile('NDA - Northwind.pdf').size)
  t.equal(res.headers['content-disposition'], `attachment; filename="NDA - Northwind.pdf"; filename*=UTF-8''NDA%20-%20Northwind.pdf`)
})

t.test('lenient mode: an unknown share is made up with the file asked for, which downloads and lists', async (t) => {
  const test = await startTestApp(t)
  const downloadUrl = await downloadUrlOf(test, { shareId: '1999999999999999999', fileId: 'Fmy-own-file' })
  const res = await fetchObject(test, downloadUrl)
  t.equal(res.statusCode, 200)
  const file = await worldFile(test, 'Fmy-own-file')
  t.match(file, { containerId: 'IAA1999999999999999999', parentId: 'root', type: 'file' })
  t.equal(res.rawPayload.length, Math.min(file?.size as number, ONE_MIB))
  const listed = await postApi(test, FILES_URL, { shortUrl: '1999999999999999999' })
  t.strictSame(listed.json().files.map((entry: { id: string }) => entry.id), ['Fmy-own-file'], 'the made-up share is reachable by its ID as shortUrl')
})

t.test('lenient mode: a file ID the world has never seen joins a known share', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: 'Fbrand-new' })
  t.equal(res.statusCode, 200)
  t.equal((await worldFile(test, 'Fbrand-new'))?.containerId, SHARES.launchKit.containerId)
})

t.test('strict mode: an unknown share is 13000309, and so is a file that exists nowhere; one of another space is 13000302', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const bob = { authorization: 'Bearer bob-token', 'x-user-id': 'bob' }
  const unknownShare = await postApi(test, DOWNLOAD_URL, { shareId: '1999999999999999999', fileId: 'Fmy-own-file' }, bob)
  assertKooDriveError(t, unknownShare, RESOURCE_NOT_FOUND, 'Resource not found: share 1999999999999999999')
  const unknownFile = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: 'Fbrand-new' }, bob)
  assertKooDriveError(t, unknownFile, RESOURCE_NOT_FOUND, 'Resource not found: file Fbrand-new')
  const elsewhere = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('Quarterly report.pdf') }, bob)
  assertKooDriveError(t, elsewhere, FILE_NOT_IN_SHARE, `File not in the share: ${idOf('Quarterly report.pdf')} is not a file of share ${SHARES.launchKit.shareId}`)
  t.equal((await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') }, bob)).statusCode, 200, 'a seeded file works')
})

t.test('the body rules: each broken rule is 400 13000102 naming the field', async (t) => {
  const test = await startTestApp(t)
  const shareId = SHARES.launchKit.shareId
  const cases: [string, unknown, string][] = [
    ['rejects a missing shareId', { fileId: 'F1' }, 'shareId is required'],
    ['rejects a missing fileId', { shareId }, 'fileId is required'],
    ['rejects an empty fileId', { shareId, fileId: '' }, 'fileId must not be empty'],
    ['rejects a list of fileIds', { shareId, fileIds: ['F1'] }, 'fileId is required'],
    ['rejects an empty kdstoken', { shareId, fileId: 'F1', kdstoken: '' }, 'kdstoken must not be empty'],
    ['rejects an unknown field', { shareId, fileId: 'F1', shortUrl: 'x' }, 'shortUrl is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await postApi(test, DOWNLOAD_URL, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
})
