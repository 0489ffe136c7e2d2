import t from 'tap'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { asUser, createTask, packageExample, postApi, TASK_DETAIL_URL } from '../helpers/requests.js'
import { idOf, SHARES } from '../helpers/world.js'
import { assertGatewayError, assertKooDriveError } from '../helpers/envelopes.js'

const PUBLIC = '/koodrive/ose/v1/share/public'
const ON = { MOCK_PUBLIC_SHARES: 'true' }
const STRICT_ON = { ...ON, MOCK_WORLD: 'strict' }
const AGENT = { 'x-hw-agentname': 'whitelisted-carrier' }

/** A public family call: only X-Hw-Agentname (and Content-Type for a body). */
function publicCall({ app }: TestApp, name: string, body?: unknown, headers: Record<string, string> = AGENT) {
  if (body === undefined) return app.inject({ method: 'GET', url: `${PUBLIC}/${name}`, headers })
  return app.inject({ method: 'POST', url: `${PUBLIC}/${name}`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
}

const ROUTES: [method: 'GET' | 'POST', name: string, operationId: string][] = [
  ['GET', 'userInfo', 'getPublicShareUserInfo'],
  ['POST', 'verify', 'verifyPublicShare'],
  ['POST', 'files', 'listPublicShareFiles'],
  ['POST', 'tasks', 'createPublicShareTask'],
  ['POST', 'taskDetail', 'getPublicShareTaskDetail'],
  ['POST', 'download', 'downloadPublicShareFile'],
]

t.test('off by default: every public route is 404 APIGW.0101 saying how to turn the family on', async (t) => {
  const test = await startTestApp(t)
  for (const [method, name] of ROUTES) {
    const res = await test.app.inject({ method, url: `${PUBLIC}/${name}`, headers: { ...AGENT, 'content-type': 'application/json' }, ...(method === 'POST' ? { payload: '{}' } : {}) })
    assertGatewayError(
      t,
      res,
      404,
      'APIGW.0101',
      `The API does not exist or has not been published in the environment: ${method} ${PUBLIC}/${name}: the public carrier family is off (MOCK_PUBLIC_SHARES=true turns it on)`,
    )
  }
})

t.test('on: the whole flow with only X-Hw-Agentname, in a strict world: verify, files, a zip task, its detail, a download', async (t) => {
  const test = await startTestApp(t, { env: STRICT_ON })
  const info = await test.app.inject({ method: 'GET', url: `${PUBLIC}/userInfo?shortUrl=${SHARES.contracts.shortUrl}`, headers: AGENT })
  t.match(info.json(), { code: 0, link: { shareId: SHARES.contracts.shareId, ownerId: 'ann' } })
  const locked = await publicCall(test, 'files', { shortUrl: SHARES.contracts.shortUrl })
  assertKooDriveError(t, locked, 13000410, 'No permission: this share has an access code: call share/verify and send its kdstoken')
  const { kdstoken } = (await publicCall(test, 'verify', { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode })).json()
  t.match(kdstoken, /^[0-9a-f]{48}$/)
  const files = (await publicCall(test, 'files', { shortUrl: SHARES.contracts.shortUrl, kdstoken })).json()
  t.equal(files.code, 0)
  const fileId = files.files[0].id as string
  const created = await publicCall(test, 'tasks', { taskType: 1, containerId: SHARES.contracts.containerId, fileIds: [fileId], shareId: SHARES.contracts.shareId, zipName: 'c.zip', kdstoken })
  t.match(created.json(), { code: 0, msg: 'Success', taskId: /^\d{19}$/ })
  test.clock.advance(3000)
  const detail = await publicCall(test, 'taskDetail', { taskId: created.json().taskId, shareId: SHARES.contracts.shareId })
  t.match(detail.json(), { code: 0, jobInfo: { userId: 'anonymous', taskStatus: 2, downloadUrl: /\/obs\/koodrive-share\/packages\// } })
  const download = await publicCall(test, 'download', { shareId: SHARES.contracts.shareId, fileId: idOf('NDA - Northwind.pdf'), kdstoken })
  t.match(download.json(), { code: 0, downloadUrl: /X-Amz-Expires=3600/ })
  const journal = (await test.app.inject({ method: 'GET', url: '/__admin/requests?operation=createPublicShareTask' })).json()
  t.equal(journal.total, 1, 'the journal names the public operation')
  t.equal(journal.requests[0].userId, null, 'and no user: none was sent')
})

t.test("on: public tasks are the anonymous user's, apart from every other user's", async (t) => {
  const test = await startTestApp(t, { env: STRICT_ON })
  const annTask = await createTask(test, packageExample, asUser('ann'))
  const notAnns = await publicCall(test, 'taskDetail', { taskId: annTask, shareId: packageExample.shareId })
  assertKooDriveError(t, notAnns, 13000309, `Resource not found: no task ${annTask} (taskId) for user anonymous`)
  const publicTask = (await publicCall(test, 'tasks', packageExample)).json().taskId as string
  const notPublic = await postApi(test, TASK_DETAIL_URL, { taskId: publicTask, shareId: packageExample.shareId }, asUser('ann'))
  assertKooDriveError(t, notPublic, 13000309, `Resource not found: no task ${publicTask} (taskId) for user ann`)
  const { kdstoken } = (await publicCall(test, 'verify', { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode })).json()
  const annWithIt = await postApi(test, '/koodrive/ose/v1/share/files', { shortUrl: SHARES.contracts.shortUrl, kdstoken }, asUser('ann'))
  assertKooDriveError(t, annWithIt, 13000410, 'No permission: the kdstoken is not valid for this share and user')
  const dump = await publicCall(test, 'tasks', { ...packageExample, taskType: 2, zipName: undefined, targetFileId: { fileId: 'root', containerId: SHARES.vendorExample.containerId } })
  assertKooDriveError(t, dump, 13000410, `No permission: user anonymous does not own space ${SHARES.vendorExample.containerId}`)
})

t.test('on: X-Hw-Agentname is required (whatever else is sent), X-Traceid checked when sent; Authorization and X-User-Id are not read', async (t) => {
  const test = await startTestApp(t, { env: STRICT_ON })
  for (const [, name] of ROUTES) {
    const res = await publicCall(test, name, name === 'userInfo' ? undefined : {}, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
    assertKooDriveError(t, res, 13000102, 'Parameter invalid: header X-Hw-Agentname is required')
  }
  const trace = await publicCall(test, 'userInfo', undefined, { ...AGENT, 'x-traceid': 'short' })
  assertKooDriveError(t, trace, 13000102, 'Parameter invalid: header X-Traceid must be exactly 58 characters, got 5')
  const withOthers = await test.app.inject({ method: 'GET', url: `${PUBLIC}/userInfo?shortUrl=${SHARES.launchKit.shortUrl}`, headers: { ...AGENT, authorization: 'garbage', 'x-date': 'never' } })
  t.equal(withOthers.statusCode, 200, 'a bad Authorization or X-Date is not read')
  const body = await publicCall(test, 'tasks', { taskType: 9 })
  t.equal(body.json().code, 13000102, 'the body is validated as on the authenticated route')
})

t.test('on, lenient world: what the public family names is made, and X-User-Id anonymous (any token) reads its tasks, as any user may be anyone there', async (t) => {
  const test = await startTestApp(t, { env: ON })
  const taskId = (await publicCall(test, 'tasks', { ...packageExample, shareId: '1000000000000000123', containerId: 'IAAmadeUp', fileIds: ['Fmade'] })).json().taskId as string
  t.match(taskId, /^\d{19}$/)
  const seen = await postApi(test, TASK_DETAIL_URL, { taskId, shareId: '1000000000000000123' }, { authorization: 'Bearer any', 'x-user-id': 'anonymous' })
  t.equal(seen.json().jobInfo.userId, 'anonymous')
})

t.test('on, MOCK_AUTH=off: not even X-Hw-Agentname; still the anonymous user\'s', async (t) => {
  const test = await startTestApp(t, { env: { ...STRICT_ON, MOCK_AUTH: 'off' } })
  const taskId = (await publicCall(test, 'tasks', packageExample, { 'x-user-id': 'ann' })).json().taskId as string
  const detail = await publicCall(test, 'taskDetail', { taskId, shareId: packageExample.shareId }, {})
  t.equal(detail.json().jobInfo.userId, 'anonymous', 'X-User-Id is not read on the public family')
  const file = await publicCall(test, 'download', { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') }, {})
  t.equal(file.statusCode, 200)
})

t.test('fault rules can name the public operations', async (t) => {
  const test = await startTestApp(t, { env: ON, faults: [{ operation: 'getPublicShareUserInfo', error: 'APIGW.0308' }] })
  t.equal((await test.app.inject({ method: 'GET', url: `${PUBLIC}/userInfo?shortUrl=${SHARES.launchKit.shortUrl}`, headers: AGENT })).statusCode, 429)
  t.equal((await test.app.inject({ method: 'GET', url: `/koodrive/ose/v1/share/userInfo?shortUrl=${SHARES.launchKit.shortUrl}`, headers: { ...AGENT, ...asUser('ann'), 'x-date': '20261126T100000Z' } })).statusCode, 200, 'not the authenticated twin')
  for (const [, , operationId] of ROUTES) t.ok(test.app.routeCatalog.some((route) => route.operationId === operationId), `${operationId} is catalogued`)
})
