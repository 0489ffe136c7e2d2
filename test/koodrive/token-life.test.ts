import t from 'tap'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { adminCall } from '../helpers/admin.js'
import { asUser, getUserInfo, postApi, TASK_DETAIL_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertGatewayError } from '../helpers/envelopes.js'

const STRICT = { MOCK_WORLD: 'strict' }
const SECOND = 1000
const expired = (idleS: number, lifeS: number, setting = ' (MOCK_TOKEN_TTL_S)') =>
  `The token must be updated: the token has not been used for ${idleS} s and lives ${lifeS} s unused${setting}; get a new one with POST /__admin/tokens`

/** One call as `userId` with `token`: a share's userInfo, which any user may read. */
const callAs = (test: TestApp, token: string, userId = 'ann') => getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }, { authorization: `Bearer ${token}`, 'x-user-id': userId })

interface Issued {
  token: string
  userId: string
  ttlS: number
  expiresAt: string | null
}
const issue = (test: TestApp, body: object) => adminCall<Issued>(test, 'POST', '/__admin/tokens', body)

t.test('on the manual clock: a token unused for 1200 s is 401 APIGW.0307; every successful call renews it', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const startMs = test.clock.now()
  /** A call as ann with `token`, its answer shown with the emulator's time since start. */
  const call = async (token: string, userId = 'ann') => {
    const res = await callAs(test, token, userId)
    t.comment(`t=${(test.clock.now() - startMs) / SECOND} s, ${token}: ${res.statusCode} ${res.statusCode === 200 ? 'Success' : res.body}`)
    return res
  }
  t.equal((await call('ann-token')).statusCode, 200, 't=0 s: ann-token works')
  test.clock.advance(1199 * SECOND)
  t.equal((await call('ann-token')).statusCode, 200, 't=1199 s: 1199 s unused, still alive; this call renews it')
  test.clock.advance(1199 * SECOND)
  t.equal((await call('ann-token')).statusCode, 200, 't=2398 s: alive, because the call at 1199 s renewed it (1199 s unused); renewed again')
  test.clock.advance(1200 * SECOND)
  assertGatewayError(t, await call('ann-token'), 401, 'APIGW.0307', expired(1200, 1200))
  test.clock.advance(60 * SECOND)
  assertGatewayError(t, await call('ann-token'), 401, 'APIGW.0307', expired(1260, 1200))
  t.equal((await call('bob-token', 'bob')).statusCode, 401, "bob's token, never used, expired 1200 s after the world was built")
  const { token } = await issue(test, { userId: 'ann' })
  t.equal((await call(token)).statusCode, 200, 'a token from POST /__admin/tokens works at once')
})

t.test('only a successful call renews: a refused one (400) does not, nor does another token\'s use', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  test.clock.advance(1000 * SECOND)
  const refused = await postApi(test, TASK_DETAIL_URL, { taskId: '1234567890123456789', shareId: SHARES.vendorExample.shareId }, asUser('ann'))
  t.equal(refused.json().code, 13000309, 'a call the backend refuses')
  t.equal((await callAs(test, 'bob-token', 'bob')).statusCode, 200)
  test.clock.advance(200 * SECOND)
  assertGatewayError(t, await callAs(test, 'ann-token'), 401, 'APIGW.0307', expired(1200, 1200))
  t.equal((await callAs(test, 'bob-token', 'bob')).statusCode, 200, 'bob used his at 1000 s')
})

t.test('an injected fault answers before the token is read, and renews nothing', async (t) => {
  const test = await startTestApp(t, { env: STRICT, faults: [{ operation: 'getShareUserInfo', first: 1, error: 'APIGW.0308' }] })
  test.clock.advance(1199 * SECOND)
  t.equal((await callAs(test, 'ann-token')).statusCode, 429)
  test.clock.advance(1 * SECOND)
  assertGatewayError(t, await callAs(test, 'ann-token'), 401, 'APIGW.0307', expired(1200, 1200))
})

t.test('POST /__admin/tokens: its own ttlS, and 0 for a token that never expires', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const short = await issue(test, { userId: 'bob', ttlS: 60 })
  t.match(short, { userId: 'bob', ttlS: 60, token: /^[0-9a-f]{40}$/, expiresAt: new Date(test.clock.now() + 60 * SECOND).toISOString() })
  const forever = await issue(test, { userId: 'bob', ttlS: 0 })
  t.strictSame({ ...forever, token: 'x' }, { token: 'x', userId: 'bob', ttlS: 0, expiresAt: null })
  test.clock.advance(59 * SECOND)
  t.equal((await callAs(test, short.token, 'bob')).statusCode, 200, 'used at 59 s: renewed')
  test.clock.advance(60 * SECOND)
  assertGatewayError(t, await callAs(test, short.token, 'bob'), 401, 'APIGW.0307', expired(60, 60, ''))
  test.clock.advance(365 * 86_400 * SECOND)
  t.equal((await callAs(test, forever.token, 'bob')).statusCode, 200, 'a year later')
  assertGatewayError(t, await callAs(test, forever.token, 'ann'), 401, 'APIGW.0301', 'Incorrect IAM authentication information: the token does not belong to X-User-Id ann')
})

t.test('MOCK_TOKEN_TTL_S sets every token\'s life; 0 keeps tokens alive for ever', async (t) => {
  const short = await startTestApp(t, { env: { ...STRICT, MOCK_TOKEN_TTL_S: '30' } })
  short.clock.advance(30 * SECOND)
  assertGatewayError(t, await callAs(short, 'ann-token'), 401, 'APIGW.0307', expired(30, 30))
  t.equal((await issue(short, { userId: 'ann' })).ttlS, 30, 'an issued token gets the setting when it names no ttlS')
  const forever = await startTestApp(t, { env: { ...STRICT, MOCK_TOKEN_TTL_S: '0' } })
  forever.clock.advance(365 * 86_400 * SECOND)
  t.equal((await callAs(forever, 'ann-token')).statusCode, 200)
})

t.test('lenient auth: tokens never expire (any token is taken)', async (t) => {
  const test = await startTestApp(t)
  test.clock.advance(86_400 * SECOND)
  t.equal((await callAs(test, 'ann-token')).statusCode, 200)
  t.equal((await callAs(test, 'made-up')).statusCode, 200)
})

t.test('reset: issued tokens go, and the world\'s tokens start their lives again', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const { token } = await issue(test, { userId: 'ann' })
  test.clock.advance(1200 * SECOND)
  t.equal((await callAs(test, 'ann-token')).statusCode, 401, 'expired before the reset')
  await adminCall(test, 'POST', '/__admin/reset')
  t.equal((await callAs(test, 'ann-token')).statusCode, 200, 'alive again after it (and renewed by this call)')
  assertGatewayError(t, await callAs(test, token), 401, 'APIGW.0301', 'Incorrect IAM authentication information: the token is not valid')
  test.clock.advance(1200 * SECOND)
  t.equal((await callAs(test, 'ann-token')).statusCode, 401, 'and expires as any token does, 1200 s after its last use')
})

t.test('a world replaced (PUT) or grown (addShare) brings its users\' tokens to life at that moment', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  test.clock.advance(1000 * SECOND)
  const world = await adminCall<{ users: unknown[] }>(test, 'GET', '/__admin/world')
  await adminCall(test, 'POST', '/__admin/world/shares', {
    share: { shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'dan', containerId: 'IAAdan', fileIds: ['Fdan'] },
    users: [{ userId: 'dan', name: 'Dan', tokens: ['dan-token'] }],
    spaces: [{ containerId: 'IAAdan', ownerId: 'dan', capacityBytes: 1000 }],
    files: [{ fileId: 'Fdan', containerId: 'IAAdan', parentId: 'root', name: 'd.txt', type: 'file', size: 1 }],
  })
  test.clock.advance(1000 * SECOND)
  t.equal((await callAs(test, 'dan-token', 'dan')).statusCode, 200, 'dan\'s token began its life when dan was added')
  t.equal((await callAs(test, 'ann-token')).statusCode, 401, 'ann\'s began with the world')
  await adminCall(test, 'PUT', '/__admin/world', world)
  t.equal((await callAs(test, 'ann-token')).statusCode, 200, 'a replaced world starts its tokens anew')
  assertGatewayError(t, await callAs(test, 'dan-token', 'dan'), 401, 'APIGW.0301', 'Incorrect IAM authentication information: the token is not valid')
})
