import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { asUser, CANCEL_URL, DOWNLOAD_URL, FILES_URL, getUserInfo, packageExample, postApi, TASK_DETAIL_URL, TASKS_URL, VERIFY_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL } from '../helpers/admin.js'
import { idOf, SHARES } from '../helpers/world.js'
import { assertGatewayError } from '../helpers/envelopes.js'

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

t.test('strict mode: a token of another user than X-User-Id is 401 APIGW.0301 on every route', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  for (const [name, call] of routes) {
    t.test(name, async (t) => {
      const res = await call(test, { authorization: 'Bearer ann-token', 'x-user-id': 'bob' })
      assertGatewayError(t, res, 401, 'APIGW.0301', 'Incorrect IAM authentication information: the token does not belong to X-User-Id bob')
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
  assertGatewayError(t, wrongUser, 401, 'APIGW.0301', 'Incorrect IAM authentication information: the token does not belong to X-User-Id carol')
})

t.test('strict mode: an app the world lacks is 401 APIGW.0303 "app not found", on every route, whatever the signature', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  for (const [name, call] of routes) {
    t.test(name, async (t) => {
      const res = await call(test, { authorization: HMAC, 'x-user-id': 'ann' })
      assertGatewayError(t, res, 401, 'APIGW.0303', 'Incorrect app authentication information: app not found: no app partner-app in the world (a user\'s apps in the seed)')
    })
  }
})

t.test('strict mode: a known app signs only for its own user; lenient mode lets it sign for anyone (then checks the signature)', async (t) => {
  const forged = `HMAC-SHA256 AppId=ann-app,SignedHeaders=host;x-date;x-user-id,Signature=${'ab'.repeat(32)}`
  const strict = await startTestApp(t, { env: STRICT })
  const res = await getUserInfo(strict, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: forged, 'x-user-id': 'bob' })
  assertGatewayError(t, res, 401, 'APIGW.0303', 'Incorrect app authentication information: verify signature fail: app ann-app signs for user ann, not X-User-Id bob')
  const lenient = await startTestApp(t)
  const checked = await getUserInfo(lenient, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: forged, 'x-user-id': 'bob' })
  t.equal(checked.statusCode, 401)
  t.match(checked.json().error_msg, /^Incorrect app authentication information: verify signature fail: Signature is not the one app ann-app's secret gives/, 'the signature is what is refused')
})

t.test('lenient mode: an app the world lacks is accepted on its form, for any X-User-Id', async (t) => {
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

t.test('MOCK_AUTH follows MOCK_WORLD unless set: strict checks in a lenient world, lenient ones in a strict world', async (t) => {
  const unknownToken = { authorization: 'Bearer not-a-real-token', 'x-user-id': 'ann' }
  const strictAuth = await startTestApp(t, { env: { MOCK_AUTH: 'strict' } })
  assertGatewayError(t, await getUserInfo(strictAuth, { shortUrl: SHARES.launchKit.shortUrl }, unknownToken), 401, 'APIGW.0301', INVALID_TOKEN)
  const lenientWorld = await getUserInfo(strictAuth, { shortUrl: '1000000000000000077' }, asUser('ann'))
  t.equal(lenientWorld.statusCode, 200, 'the world is still lenient: an unknown link is made')
  const lenientAuth = await startTestApp(t, { env: { MOCK_WORLD: 'strict', MOCK_AUTH: 'lenient' } })
  t.equal((await getUserInfo(lenientAuth, { shortUrl: SHARES.launchKit.shortUrl }, unknownToken)).statusCode, 200, 'any token')
  const strictWorld = await getUserInfo(lenientAuth, { shortUrl: '1000000000000000077' }, unknownToken)
  t.equal(strictWorld.json().code, 13000309, 'the world is still strict: an unknown link is not found')
  for (const [env, mode] of [[{}, 'lenient'], [STRICT, 'strict'], [{ MOCK_AUTH: 'off' }, 'off']] as const) {
    const { app } = await startTestApp(t, { env })
    t.equal(app.emulator.options.auth, mode, `${JSON.stringify(env)} → ${mode}`)
  }
})

t.test('MOCK_AUTH=off: no header is checked; the caller is X-User-Id when sent, else anonymous', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict', MOCK_AUTH: 'off' } })
  const bare = await test.app.inject({ method: 'GET', url: `/koodrive/ose/v1/share/userInfo?shortUrl=${SHARES.launchKit.shortUrl}` })
  t.equal(bare.statusCode, 200, 'no Authorization, X-Date, X-User-Id or X-Hw-Agentname')
  const asAnn = await test.app.inject({
    method: 'POST',
    url: TASKS_URL,
    headers: { 'content-type': 'application/json', 'x-user-id': ' ann ', authorization: 'garbage', 'x-date': 'yesterday', 'x-traceid': 'short' },
    payload: packageExample,
  })
  t.equal(asAnn.statusCode, 200, 'headers that break every rule are not read, but X-User-Id')
  const taskId = asAnn.json().taskId as string
  const mine = await test.app.inject({ method: 'POST', url: TASK_DETAIL_URL, headers: { 'content-type': 'application/json', 'x-user-id': 'ann' }, payload: { taskId, shareId: packageExample.shareId } })
  t.equal(mine.json().jobInfo.userId, 'ann', 'the task is X-User-Id\'s')
  const anonymous = await test.app.inject({ method: 'POST', url: TASK_DETAIL_URL, headers: { 'content-type': 'application/json' }, payload: { taskId, shareId: packageExample.shareId } })
  t.strictSame(anonymous.json(), { code: 13000309, msg: `Resource not found: no task ${taskId} (taskId) for user anonymous` }, 'without X-User-Id the caller is anonymous')
})
