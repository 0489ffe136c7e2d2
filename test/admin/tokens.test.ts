import t from 'tap'
import { AdminApiError, signRequest, startMockServer } from '../../src/index.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { MAX_ISSUED_TOKENS } from '../../src/domain/world/token-sessions.js'
import { startTestApp } from '../helpers/app.js'
import { carrierHeaders, USER_INFO_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { validateResponses } from '../support/response-validation.js'

const URL = '/__admin/tokens'
const post = ({ app }: { app: import('../../src/app.js').App }, payload: unknown) =>
  app.inject({ method: 'POST', url: URL, headers: { 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })

t.test('POST /__admin/tokens: 201 with the token, its user, its life and when it expires unused', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await post(test, { userId: 'carol' })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.strictSame(body, { token: body.token, userId: 'carol', ttlS: 1200, expiresAt: new Date(test.clock.now() + 1_200_000).toISOString() })
  t.match(body.token, /^[0-9a-f]{40}$/)
  const second = (await post(test, { userId: 'carol' })).json()
  t.not(second.token, body.token, 'a new token each time; the first stays valid')
  for (const token of [body.token, second.token]) {
    const call = await test.app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.launchKit.shortUrl}`, headers: carrierHeaders(test.clock.now(), { authorization: `Bearer ${token}`, 'x-user-id': 'carol', 'content-type': undefined }) })
    t.equal(call.statusCode, 200)
  }
})

t.test('the same seed and the same calls issue the same tokens', async (t) => {
  const issued: string[] = []
  for (let run = 0; run < 2; run++) issued.push((await post(await startTestApp(t), { userId: 'ann' })).json().token)
  t.equal(issued[0], issued[1])
})

t.test('a bad body is refused in the vendor\'s envelope naming the field, and issues nothing', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const cases: [unknown, number, string][] = [
    [{}, 13000102, 'Parameter invalid: userId is required'],
    [{ userId: '' }, 13000102, 'Parameter invalid: userId must not be empty'],
    [{ userId: 'ann', ttlS: -1 }, 13000102, 'Parameter invalid: ttlS must be >= 0'],
    [{ userId: 'ann', ttlS: 1.5 }, 13000102, 'Parameter invalid: ttlS must be an integer'],
    [{ userId: 'ann', ttlS: '60' }, 13000102, 'Parameter invalid: ttlS must be an integer'],
    [{ userId: 'ann', role: 'admin' }, 13000102, 'Parameter invalid: role is not a known field'],
    [{ userId: 'zed' }, 13000102, 'Parameter invalid: userId "zed" is not a user of the world'],
    ['not json', 13000101, 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key'],
  ]
  for (const [payload, code, msg] of cases) assertKooDriveError(t, await post(test, payload), code, msg)
  t.equal((await post(test, { userId: 'ann' })).json().token, (await post(await startTestApp(t, { env: { MOCK_WORLD: 'strict' } }), { userId: 'ann' })).json().token, 'the refusals drew no token')
})

t.test('a lenient world makes the user it lacks, as a request naming it would', async (t) => {
  const test = await startTestApp(t)
  t.equal((await post(test, { userId: 'zed' })).statusCode, 201)
  const world = (await test.app.inject({ method: 'GET', url: '/__admin/world' })).json()
  t.ok(world.users.some((user: { userId: string }) => user.userId === 'zed'))
})

t.test('secrets never reach a log line, at debug either: an issued token, a seed\'s tokens and app secrets, a signature', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict', LOG_LEVEL: 'debug' } })
  const { token } = (await post(test, { userId: 'ann', ttlS: 60 })).json()
  const world = { ...DEFAULT_WORLD, users: [...DEFAULT_WORLD.users, { userId: 'dan', name: 'Dan', tokens: ['dan-secret-token'], apps: [{ appId: 'dan-app', appSecret: 'dan-app-secret' }] }] }
  t.equal((await test.app.inject({ method: 'PUT', url: '/__admin/world', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(world) })).statusCode, 200)
  const headers = carrierHeaders(test.clock.now(), { 'x-user-id': 'dan', 'content-type': undefined })
  const signed = signRequest({ method: 'GET', url: `http://localhost:80${USER_INFO_URL}?shortUrl=${SHARES.launchKit.shortUrl}`, headers: { ...headers, host: 'localhost:80' }, appId: 'dan-app', appSecret: 'dan-app-secret' })
  const call = await test.app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.launchKit.shortUrl}`, headers: { ...headers, ...signed } })
  t.equal(call.statusCode, 200)
  const issuedNow = (await post(test, { userId: 'dan' })).json().token as string
  const text = test.logs.rawLines.join('\n')
  t.ok(test.logs.rawLines.length >= 4, `${test.logs.rawLines.length} lines`)
  t.match(text, '"tokens":"[Redacted]"', 'the seed body is logged at debug, its tokens hidden')
  t.match(text, '"appSecret":"[Redacted]"')
  for (const secret of [token, issuedNow, 'dan-secret-token', 'dan-app-secret', signed.authorization.split('Signature=')[1] as string]) t.notMatch(text, secret)
  const journal = (await test.app.inject({ method: 'GET', url: '/__admin/requests' })).body
  t.notMatch(journal, signed.authorization.split('Signature=')[1] as string, 'nor the journal')
})

t.test('the admin client: tokens.issue, and its error', async (t) => {
  const mock = await startMockServer({ env: { MOCK_WORLD: 'strict' } }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  const issued = await mock.admin.tokens.issue('bob', { ttlS: 0 })
  t.strictSame(issued, { token: issued.token, userId: 'bob', ttlS: 0, expiresAt: null })
  const error = await mock.admin.tokens.issue('nobody').catch((caught: unknown) => caught)
  t.ok(error instanceof AdminApiError)
  t.strictSame((error as AdminApiError).body, { code: 13000102, msg: 'Parameter invalid: userId "nobody" is not a user of the world' })
})

t.test(`issued tokens are bounded: past ${MAX_ISSUED_TOKENS} the oldest go`, async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const { tokens } = test.app.emulator
  const first = tokens.issue('ann', 0, test.clock.now()).token
  for (let i = 1; i < MAX_ISSUED_TOKENS; i++) tokens.issue('ann', 0, test.clock.now())
  t.equal(tokens.issuedTo(first), 'ann', `${MAX_ISSUED_TOKENS} kept`)
  tokens.issue('ann', 0, test.clock.now())
  t.equal(tokens.issuedTo(first), undefined, 'one more: the oldest went')
})
