import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { asUser, CANCEL_URL, DOWNLOAD_URL, FILES_URL, getUserInfo, packageExample, postApi, TASK_DETAIL_URL, TASKS_URL, VERIFY_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL } from '../helpers/admin.js'
import { idOf, SHARES } from '../helpers/world.js'
import { assertGatewayError, assertKooDriveError } from '../helpers/envelopes.js'

const STRICT = { MOCK_WORLD: 'strict' }
const NO_PERMISSION = 13000410
const INVALID_TOKEN = 'Incorrect IAM authentication information: the token is not valid'
const HMAC = `HMAC-SHA256 AppId=partner-app,SignedHeaders=host;x-date;x-user-id,Signature=${'ab'.repeat(32)}`

/** One valid request per KooDrive route, so every route is checked the same way. */
const routes: [string, (test: TestApp, headers: Record<string, string | undefined>) => Promise<LightMyRequestResponse>][] = [
  ['GET share/userInfo', (test, headers) => getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, headers)],
  ['POST share/verify', (test, headers) => postApi(test, VERIFY_URL, { shortUrl: SHARES.launchKit.shortUrl, extractCode: '00000000' }, headers)],
  ['POST share/files', (test, headers) => postApi(test, FILES_URL, { shortUrl: SHARES.launchKit.shortUrl }, headers)],
  ['POST share/tasks', (test, headers) => postApi(test, TASKS_URL, packageExample, headers)],
  ['POST share/download', (test, headers) => postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') }, headers)],
  ['POST share/taskDetail', (test, headers) => postApi(test, TASK_DETAIL_URL, { taskId: '1234567890123456789', shareId: SHARES.launchKit.shareId }, headers)],
  ['POST cancel', (test, headers) => postApi(test, CANCEL_URL, { jobId: '1234567890123456789' }, headers)],
]

t.test('strict mode: a bearer token no seeded user has is 401 APIGW.0301 on every route', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  for (const [name, call] of routes) {
    t.test(name, async (t) => {
      assertGatewayError(t, await call(test, { authorization: 'Bearer not-a-real-token', 'x-user-id': 'ann' }), 401, 'APIGW.0301', INVALID_TOKEN)
    })
  }
})

t.test('strict mode: a token of another user than X-User-Id is 13000410 on every route', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  for (const [name, call] of routes) {
    t.test(name, async (t) => {
      const res = await call(test, { authorization: 'Bearer ann-token', 'x-user-id': 'bob' })
      assertKooDriveError(t, res, NO_PERMISSION, 'No permission: the token does not belong to X-User-Id bob')
    })
  }
})

t.test("strict mode: each user's own token passes", async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  for (const userId of ['ann', 'bob', 'carol'] as const) {
    const res = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, asUser(userId))
    t.equal(res.statusCode, 200, userId)
  }
  const plus = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: 'Bearer+carol-token', 'x-user-id': 'carol' })
  t.equal(plus.statusCode, 200, 'the vendor\'s "Bearer+" spelling too')
})

t.test('strict mode: the token is checked before the body', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const res = await postApi(test, TASKS_URL, { taskType: 9 }, { authorization: 'Bearer nobody', 'x-user-id': 'ann' })
  assertGatewayError(t, res, 401, 'APIGW.0301', INVALID_TOKEN)
  const wrongUser = await postApi(test, TASKS_URL, '{not json', { authorization: 'Bearer ann-token', 'x-user-id': 'carol' })
  assertKooDriveError(t, wrongUser, NO_PERMISSION, 'No permission: the token does not belong to X-User-Id carol')
})

t.test('strict mode: app authentication (HMAC-SHA256) is refused: no secret to verify it with, so nobody may claim any user', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const annTask = await postApi(test, TASKS_URL, { taskType: 1, containerId: SHARES.launchKit.containerId, fileIds: [idOf('README.txt')], shareId: SHARES.launchKit.shareId, zipName: 'a.zip' }, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
  t.equal(annTask.statusCode, 200)
  const refused = 'Incorrect app authentication information: verify signature fail: MOCK_WORLD=strict has no app secrets to verify a signature with; send Authorization: Bearer <token>'
  for (const userId of ['ann', 'service-account-7']) {
    assertGatewayError(t, await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: HMAC, 'x-user-id': userId }), 401, 'APIGW.0303', refused)
  }
  const readAnns = await postApi(test, '/koodrive/ose/v1/share/taskDetail', { taskId: annTask.json().taskId, shareId: SHARES.launchKit.shareId }, { authorization: HMAC, 'x-user-id': 'ann' })
  assertGatewayError(t, readAnns, 401, 'APIGW.0303', refused)
  const cancelAnns = await postApi(test, '/koodrive/ose/v1/cancel', { jobId: annTask.json().taskId }, { authorization: HMAC, 'x-user-id': 'ann' })
  assertGatewayError(t, cancelAnns, 401, 'APIGW.0303', refused)
})

t.test('lenient mode: app authentication (HMAC-SHA256) is accepted on its form, for any X-User-Id', async (t) => {
  const test = await startTestApp(t)
  for (const userId of ['ann', 'service-account-7']) {
    const res = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: HMAC, 'x-user-id': userId })
    t.equal(res.statusCode, 200, userId)
  }
})

t.test('lenient mode: any bearer token passes, whoever X-User-Id is', async (t) => {
  const test = await startTestApp(t)
  for (const [name, call] of routes) {
    t.test(name, async (t) => {
      const res = await call(test, { authorization: 'Bearer ann-token', 'x-user-id': 'bob' })
      t.not(res.statusCode, 401)
      t.not(res.json().code, NO_PERMISSION)
    })
  }
  const res = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: 'Bearer anything-at-all', 'x-user-id': 'zed' })
  t.equal(res.statusCode, 200)
})

t.test('neither mode lets a call without a token through', async (t) => {
  for (const env of [{}, STRICT]) {
    const test = await startTestApp(t, { env })
    const res = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: undefined })
    assertGatewayError(t, res, 401, 'APIGW.0301', 'Incorrect IAM authentication information: Authorization header is missing')
  }
})

t.test('the admin API and presigned downloads need no KooDrive token, even in strict mode', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  t.equal((await test.app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).statusCode, 200)
  const download = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.launchKit.shareId, fileId: idOf('README.txt') }, asUser('bob'))
  const url = new URL(download.json().downloadUrl)
  const res = await test.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { authorization: 'Bearer nobody' } })
  t.equal(res.statusCode, 200, 'the URL is the credential')
})
