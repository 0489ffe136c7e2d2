import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { FILES_URL, postApi, VERIFY_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'

const KDSTOKEN_PATTERN = /^[0-9a-f]{48}$/
const BAD_REQUEST = 13000101
const PARAMETER_INVALID = 13000102
const RESOURCE_NOT_FOUND = 13000309
const NO_PERMISSION = 13000410

t.test('the right extract code buys a 48-hex-digit kdstoken', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode })
  t.equal(res.statusCode, 200)
  const { kdstoken } = res.json()
  t.match(kdstoken, KDSTOKEN_PATTERN)
  t.strictSame(res.json(), { code: 0, msg: 'Success', kdstoken })
})

t.test('each verify gives a fresh kdstoken, and every one of them opens the share', async (t) => {
  const test = await startTestApp(t)
  const body = { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode }
  const tokens = [] as string[]
  for (let i = 0; i < 3; i++) tokens.push((await postApi(test, VERIFY_URL, body)).json().kdstoken)
  t.equal(new Set(tokens).size, 3)
  for (const kdstoken of tokens) {
    const files = await postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken })
    t.equal(files.statusCode, 200, `kdstoken ${kdstoken.slice(0, 8)}… opens the share`)
  }
})

t.test('a wrong extract code is 13000410 and gives no token', async (t) => {
  const test = await startTestApp(t)
  for (const extractCode of ['31945315', '3194531', 'x'.repeat(64), SHARES.contracts.extractCode.toLowerCase() + ' ']) {
    const res = await postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode })
    assertKooDriveError(t, res, NO_PERMISSION, 'No permission: the extract code is wrong')
  }
})

t.test('an expired share is 13000309 saying so, even with the right code', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, VERIFY_URL, { shortUrl: SHARES.holidayExpired.shortUrl, extractCode: '00000000' })
  assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: share ${SHARES.holidayExpired.shareId} has expired`)
})

t.test('an open share gives a kdstoken whatever the code, which a client may send along harmlessly', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, VERIFY_URL, { shortUrl: SHARES.launchKit.shortUrl, extractCode: 'anything' })
  t.equal(res.statusCode, 200)
  t.match(res.json().kdstoken, KDSTOKEN_PATTERN)
  const files = await postApi(test, FILES_URL, { shortUrl: SHARES.launchKit.shortUrl, kdstoken: res.json().kdstoken })
  t.equal(files.statusCode, 200)
})

t.test('lenient mode: an unknown shortUrl is a made-up open share, so it verifies', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, VERIFY_URL, { shortUrl: 'made-up', extractCode: '12345678' })
  t.equal(res.statusCode, 200)
  t.match(res.json().kdstoken, KDSTOKEN_PATTERN)
})

t.test('strict mode: an unknown shortUrl is 13000309; the right code still works', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const bob = { authorization: 'Bearer bob-token', 'x-user-id': 'bob' }
  const unknown = await postApi(test, VERIFY_URL, { shortUrl: 'made-up', extractCode: '12345678' }, bob)
  assertKooDriveError(t, unknown, RESOURCE_NOT_FOUND, 'Resource not found: no share has shortUrl made-up')
  const known = await postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode }, bob)
  t.equal(known.statusCode, 200)
})

t.test('the body rules: each broken rule is 400 13000102 naming the field', async (t) => {
  const test = await startTestApp(t)
  const shortUrl = SHARES.contracts.shortUrl
  const cases: [string, unknown, string][] = [
    ['rejects a missing shortUrl', { extractCode: '31945314' }, 'shortUrl is required'],
    ['rejects a missing extractCode', { shortUrl }, 'extractCode is required'],
    ['rejects an empty extractCode', { shortUrl, extractCode: '' }, 'extractCode must not be empty'],
    ['rejects an extractCode over 64 characters', { shortUrl, extractCode: '1'.repeat(65) }, 'extractCode must be at most 64 characters long'],
    ['rejects a numeric extractCode: no coercion', { shortUrl, extractCode: 31945314 }, 'extractCode must be a string'],
    ['rejects an empty shortUrl', { shortUrl: '', extractCode: '31945314' }, 'shortUrl must not be empty'],
    ['rejects an unknown field', { shortUrl, extractCode: '31945314', kdstoken: 'x' }, 'kdstoken is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await postApi(test, VERIFY_URL, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('rejects a body that is not a JSON object with 13000101', async (t) => {
    assertKooDriveError(t, await postApi(test, VERIFY_URL, '"31945314"'), BAD_REQUEST, 'Bad request: the request body must be a JSON object')
  })
})
