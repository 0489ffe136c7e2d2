import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { signRequest } from '../../src/index.js'
import { ManualClock } from '../../src/domain/time-and-ids/clock.js'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { adminCall } from '../helpers/admin.js'
import { packageExample, TASKS_URL, USER_INFO_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertGatewayError } from '../helpers/envelopes.js'

/** `openssl dgst -sha256` over `input`: the independent check of the hashes the emulator shows. */
const sha256 = (input: string | Buffer) => execFileSync('openssl', ['dgst', '-sha256'], { input }).toString().trim().split('= ').at(-1) as string

const STRICT = { MOCK_WORLD: 'strict' }
const ANN_APP = { appId: 'ann-app', appSecret: 'ann-app-secret' }
/** app.inject sends Host: localhost:80, and signRequest signs the Host the URL names. */
const BASE = 'http://localhost:80'
const FAIL = 'Incorrect app authentication information: verify signature fail: '

function carrier(test: TestApp, userId = 'ann'): Record<string, string> {
  return { 'x-user-id': userId, 'x-hw-agentname': 'test-carrier', 'x-date': formatXDate(test.clock.now()), host: 'localhost:80' }
}

/** A request signed by signRequest, sent through app.inject; `tamper` changes it after signing. */
async function sendSigned(test: TestApp, method: 'GET' | 'POST', url: string, options: { body?: string; app?: typeof ANN_APP; userId?: string; headers?: Record<string, string>; signHeaders?: string[] } = {}) {
  const headers = { ...carrier(test, options.userId), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers }
  const signed = signRequest({ method, url: `${BASE}${url}`, headers, body: options.body, ...(options.app ?? ANN_APP), ...(options.signHeaders ? { signHeaders: options.signHeaders } : {}) })
  return { headers: { ...headers, ...signed }, send: (changes: { url?: string; body?: string; headers?: Record<string, string> } = {}) =>
    test.app.inject({ method, url: changes.url ?? url, headers: { ...headers, ...signed, ...changes.headers }, ...(options.body === undefined && changes.body === undefined ? {} : { payload: changes.body ?? options.body }) }) }
}

for (const env of [{}, STRICT]) {
  const mode = env === STRICT ? 'strict' : 'lenient'
  t.test(`${mode}: a request signed with a world app's secret passes, GET and POST with a body`, async (t) => {
    const test = await startTestApp(t, { env })
    const get = await (await sendSigned(test, 'GET', `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}`)).send()
    t.equal(get.statusCode, 200, 'GET')
    const post = await (await sendSigned(test, 'POST', TASKS_URL, { body: JSON.stringify(packageExample) })).send()
    t.equal(post.statusCode, 200, 'POST')
    t.match(post.json(), { code: 0, taskId: /^\d{19}$/ })
    const bob = await (await sendSigned(test, 'GET', `${USER_INFO_URL}?shortUrl=${SHARES.launchKit.shortUrl}`, { app: { appId: 'bob-app', appSecret: 'bob-app-secret' }, userId: 'bob' })).send()
    t.equal(bob.statusCode, 200, "bob's app for bob")
  })

  t.test(`${mode}: whatever changes after signing is refused with 401 APIGW.0303 verify signature fail`, async (t) => {
    const test = await startTestApp(t, { env })
    const body = JSON.stringify(packageExample)
    const request = await sendSigned(test, 'POST', `${TASKS_URL}?a=1`, { body, signHeaders: ['content-type'] })
    const changed: [string, Parameters<typeof request.send>[0]][] = [
      ['the body (one byte)', { body: body.replace('holiday', 'Holiday') }],
      ['the query', { url: `${TASKS_URL}?a=2` }],
      ['the path', { url: `${TASKS_URL.replace('tasks', 'taskDetail')}?a=1` }],
      ['X-User-Id', { headers: { 'x-user-id': 'bob' } }],
      ['X-Date (a second earlier)', { headers: { 'x-date': formatXDate(test.clock.now() - 1000) } }],
      ['Host', { headers: { host: 'localhost:81' } }],
      ['a signed extra header (Content-Type)', { headers: { 'content-type': 'application/json; charset=utf-8' } }],
    ]
    for (const [what, change] of changed) {
      const res = await request.send(change)
      t.equal(res.statusCode, 401, what)
      t.equal(res.json().error_code, 'APIGW.0303', what)
      t.match(res.json().error_msg, FAIL, what)
    }
    t.equal((await request.send({ headers: { 'x-hw-agentname': 'another' } })).statusCode, 200, 'an unsigned header may change')
    t.equal((await request.send()).statusCode, 200, 'the request as signed still passes')
  })
}

t.test('a wrong signature: the message shows the canonical request and the string to sign the emulator computed (checked with openssl)', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const body = JSON.stringify(packageExample)
  const xDate = formatXDate(test.clock.now())
  const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'test-carrier', 'x-date': xDate, host: 'localhost:80', 'content-type': 'application/json' }
  const wrong = signRequest({ method: 'POST', url: `${BASE}${TASKS_URL}?b=x y&a=1`, headers, body, appId: 'ann-app', appSecret: 'not-the-secret' })
  const res = await test.app.inject({ method: 'POST', url: `${TASKS_URL}?b=x%20y&a=1`, headers: { ...headers, ...wrong }, payload: body })
  // Written out from the rules (README, "App authentication"), not by the emulator's own functions.
  const canonical = ['POST', '/koodrive/ose/v1/share/tasks/', 'a=1&b=x%20y', `host:localhost:80\nx-date:${xDate}\nx-user-id:ann\n`, 'host;x-date;x-user-id', sha256(body)].join('\n')
  assertGatewayError(
    t,
    res,
    401,
    'APIGW.0303',
    `${FAIL}Signature is not the one app ann-app's secret gives over this request. The canonical request the emulator computed:\n${canonical}\n` +
      `The string to sign (HMAC-SHA256 of it with the app secret is the signature):\nHMAC-SHA256\n${sha256(canonical)}`,
  )
  t.notMatch(res.body, 'ann-app-secret', 'the secret is never shown')
  const [entry] = await adminCall<{ requests: { responseBody: { error_msg: string }; headers: Record<string, string> }[] }>(test, 'GET', '/__admin/requests?operation=createShareTask').then((r) => r.requests)
  t.equal(entry?.responseBody.error_msg, res.json().error_msg, 'the journal keeps the message')
  t.equal(entry?.headers.authorization, '[Redacted]', 'and hides the Authorization')
})

t.test("a signed secret header's value is hidden in the message; the hash is still of the real request", async (t) => {
  const test = await startTestApp(t)
  const xDate = formatXDate(test.clock.now())
  const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'c', 'x-date': xDate, host: 'localhost:80', cookie: 'session=s3cret' }
  const wrong = signRequest({ method: 'GET', url: `${BASE}${USER_INFO_URL}`, headers, appId: 'ann-app', appSecret: 'wrong', signHeaders: ['cookie'] })
  const res = await test.app.inject({ method: 'GET', url: USER_INFO_URL, headers: { ...headers, ...wrong } })
  const real = ['GET', '/koodrive/ose/v1/share/userInfo/', '', `cookie:session=s3cret\nhost:localhost:80\nx-date:${xDate}\nx-user-id:ann\n`, 'cookie;host;x-date;x-user-id', sha256('')].join('\n')
  const message = res.json().error_msg as string
  t.notMatch(message, 's3cret')
  t.match(message, `computed (secret headers' values shown as [Redacted]):\nGET\n/koodrive/ose/v1/share/userInfo/\n\ncookie:[Redacted]\nhost:localhost:80\n`)
  t.match(message, `\nHMAC-SHA256\n${sha256(real)}`)
})

t.test('the body is hashed as received: a UTF-8 BOM before the JSON is part of it', async (t) => {
  const test = await startTestApp(t)
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(packageExample))])
  const headers = { ...carrier(test), 'content-type': 'application/json' }
  const withBom = signRequest({ method: 'POST', url: `${BASE}${TASKS_URL}`, headers, body, ...ANN_APP })
  t.equal((await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...headers, ...withBom }, payload: body })).statusCode, 200)
  const withoutBom = signRequest({ method: 'POST', url: `${BASE}${TASKS_URL}`, headers, body: body.subarray(3), ...ANN_APP })
  const res = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...headers, ...withoutBom }, payload: body })
  t.equal(res.statusCode, 401, 'signed without the BOM it was sent with')
  t.match(res.json().error_msg, `\n${sha256(body)}\nThe string to sign`)
})

t.test('the signature is checked before the body is validated, and an X-Date outside the window is "signature expired" first', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const invalid = await (await sendSigned(test, 'POST', TASKS_URL, { body: '{"taskType":9}', app: { appId: 'ann-app', appSecret: 'wrong' } })).send()
  t.equal(invalid.statusCode, 401, 'not 400 for taskType')
  t.match(invalid.json().error_msg, FAIL)
  const valid = await (await sendSigned(test, 'POST', TASKS_URL, { body: '{"taskType":9}' })).send()
  t.equal(valid.json().code, 13000102, 'well signed: the body is validated')
  const stale = await sendSigned(test, 'GET', USER_INFO_URL, { headers: { 'x-date': formatXDate(test.clock.now() - 901_000) } })
  assertGatewayError(t, await stale.send(), 401, 'APIGW.0303', `Incorrect app authentication information: signature expired, signature time:${formatXDate(test.clock.now() - 901_000)},server time:${formatXDate(test.clock.now())}`)
})

t.test('a signed call renews no token and leaves the tokens as they were', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  test.clock.advance(1_199_000)
  t.equal((await (await sendSigned(test, 'GET', `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}`)).send()).statusCode, 200)
  test.clock.advance(1000)
  const bearer = await test.app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}`, headers: { ...carrier(test), authorization: 'Bearer ann-token' } })
  t.equal(bearer.json().error_code, 'APIGW.0307', "the app's calls are not the token's")
})

t.test("the docs' example of a refused signature (the OpenAPI document's, the README's) is what the emulator answers", async (t) => {
  const test = await startTestApp(t, { clock: new ManualClock(Date.UTC(2025, 10, 3, 7, 1, 40)) })
  const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'c', 'x-date': '20251103T070140Z', host: '127.0.0.1:3000' }
  const url = `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}`
  const wrong = signRequest({ method: 'GET', url: `http://127.0.0.1:3000${url}`, headers, appId: 'ann-app', appSecret: 'wrong' })
  const { error_msg: message } = (await test.app.inject({ method: 'GET', url, headers: { ...headers, ...wrong } })).json() as { error_msg: string }
  const document = JSON.parse(readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8'))
  t.equal(document.paths[USER_INFO_URL].get.responses['401'].content['application/json'].examples.signatureMismatch.value.error_msg, message, 'the OpenAPI example')
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const block = /to diff with your own[\s\S]*?```text\n([\s\S]*?)\n```/.exec(readme)?.[1]
  t.equal(block, message, "the README's")
})
