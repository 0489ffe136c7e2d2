import t from 'tap'
import { corsOrigin } from '../../src/plugins/cors.js'
import { startTestApp } from '../helpers/app.js'
import { carrierHeaders, createTask, fetchObject, packageExample, TASKS_URL, USER_INFO_URL } from '../helpers/requests.js'
import { ADMIN_FAULTS_URL, taskCount } from '../helpers/admin.js'
import { assertGatewayError, REQUEST_ID_PATTERN } from '../helpers/envelopes.js'

const PAGE = 'http://localhost:5173'
const REQUEST_HEADERS = 'authorization, x-user-id, x-date, x-hw-agentname, x-traceid, x-mock-fault, content-type'
const EXPOSED = 'X-Request-Id, X-Mock-Fault-Applied, Retry-After, Content-Disposition'
const METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS'

const preflight = (origin: string, requestHeaders = REQUEST_HEADERS, url = TASKS_URL) => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
})

/** The CORS headers of a response, and only those. */
const corsHeaders = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'))

t.test('a preflight for a KooDrive call with its custom headers: 204, any origin, the headers echoed, the methods, max-age', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject(preflight(PAGE))
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.strictSame(corsHeaders(res.headers), {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': EXPOSED,
    'access-control-allow-methods': METHODS,
    // Origin too: which origins are allowed depends on the path (the admin API's are its own).
    vary: 'Origin, Access-Control-Request-Headers',
    'access-control-allow-headers': REQUEST_HEADERS,
    'access-control-max-age': '600',
  })
  t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN)
})

t.test('a preflight needs no KooDrive headers and is never faulted', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ERROR_RATE: '1' } })
  for (const url of [TASKS_URL, USER_INFO_URL, '/__admin/health', '/obs/koodrive-share/packages/1/a.zip']) {
    const res = await app.inject(preflight(PAGE, 'content-type', url))
    t.equal(res.statusCode, 204, url)
    t.equal(res.headers['x-mock-fault-applied'], undefined, `${url}: not faulted`)
  }
  t.match((await app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })).json(), { rules: [{ id: 'MOCK_ERROR_RATE', matched: 0, fired: 0 }] }, 'the rule never saw them')
})

t.test('a response to a page exposes X-Request-Id, X-Mock-Fault-Applied, Retry-After and Content-Disposition', async (t) => {
  const test = await startTestApp(t)
  const created = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...carrierHeaders(test.clock.now()), origin: PAGE }, payload: packageExample })
  t.equal(created.statusCode, 200)
  t.strictSame(corsHeaders(created.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED })
})

t.test('errors carry the CORS headers too, so a page can read them', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: 's3cret' } })
  const fromPage = { origin: PAGE }
  const cases = [
    await test.app.inject({ method: 'POST', url: TASKS_URL, headers: fromPage, payload: packageExample }),
    await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...carrierHeaders(test.clock.now()), ...fromPage }, payload: { ...packageExample, taskType: 3 } }),
    await test.app.inject({ method: 'GET', url: '/nope', headers: fromPage }),
  ]
  t.strictSame(cases.map((res) => res.statusCode), [401, 400, 404])
  for (const res of cases) t.strictSame(corsHeaders(res.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED })
})

t.test('an injected error reaches a page: CORS headers on it, with X-Mock-Fault-Applied and Retry-After readable', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify([{ id: 'down', operation: 'getShareTaskDetail', error: 13000201 }]) } })
  const headers = { ...carrierHeaders(test.clock.now()), origin: PAGE }
  const throttled = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...headers, 'x-mock-fault': 'error=APIGW.0308; retryAfter=5' }, payload: packageExample })
  const byRule = await test.app.inject({ method: 'POST', url: '/koodrive/ose/v1/share/taskDetail', headers, payload: { taskId: '1', shareId: '2' } })
  const malformed = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...headers, 'x-mock-fault': 'connection=malformed' }, payload: packageExample })
  t.strictSame([throttled.statusCode, byRule.statusCode, malformed.statusCode], [429, 500, 200])
  t.strictSame([throttled.headers['x-mock-fault-applied'], byRule.headers['x-mock-fault-applied'], malformed.headers['x-mock-fault-applied']], ['X-Mock-Fault', 'down', 'X-Mock-Fault'])
  t.equal(throttled.headers['retry-after'], '5')
  for (const [name, res] of [['a header error', throttled], ['a rule error', byRule], ['a malformed body', malformed]] as const) {
    t.strictSame(corsHeaders(res.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED }, `${name} has the CORS headers`)
  }
})

t.test('a download to a page exposes its Content-Disposition', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const done = await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: { action: 'complete' } })
  const url = new URL(done.json<{ jobInfo: { downloadUrl: string } }>().jobInfo.downloadUrl)
  const res = await test.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { origin: PAGE } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.equal(res.headers['access-control-expose-headers'], EXPOSED)
  t.match(res.headers['content-disposition'], /^attachment; filename="holiday.zip"/)
  t.equal((await fetchObject(test, url.href)).headers['access-control-allow-origin'], '*', 'without an Origin too')
})

t.test('MOCK_CORS_ORIGIN=a list: a listed origin is echoed (with Vary: Origin), another gets no Allow-Origin', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_CORS_ORIGIN: 'http://a.test, http://b.test' } })
  for (const origin of ['http://a.test', 'http://b.test']) {
    const res = await app.inject(preflight(origin))
    t.equal(res.statusCode, 204)
    t.strictSame(corsHeaders(res.headers), {
      vary: 'Origin, Access-Control-Request-Headers',
      'access-control-allow-origin': origin,
      'access-control-expose-headers': EXPOSED,
      'access-control-allow-methods': METHODS,
      'access-control-allow-headers': REQUEST_HEADERS,
      'access-control-max-age': '600',
    })
    const simple = await app.inject({ method: 'GET', url: '/__admin/health', headers: { origin } })
    t.strictSame(corsHeaders(simple.headers), { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED })
  }
  const other = await app.inject(preflight('http://c.test'))
  t.equal(other.headers['access-control-allow-origin'], undefined, 'a preflight from another origin is not allowed')
  const simple = await app.inject({ method: 'GET', url: '/__admin/health', headers: { origin: 'http://c.test' } })
  t.equal(simple.headers['access-control-allow-origin'], undefined)
  t.equal(simple.statusCode, 200, 'the server still answers: the browser is what withholds it')
  const sameOrigin = await app.inject({ method: 'GET', url: '/__admin/health' })
  t.equal(sameOrigin.headers['access-control-allow-origin'], undefined, 'no Origin, no Allow-Origin')
})

t.test('corsOrigin: * stays *, a list is split on commas and trimmed', async (t) => {
  t.equal(corsOrigin('*'), '*')
  t.strictSame(corsOrigin('http://a.test'), ['http://a.test'])
  t.strictSame(corsOrigin('http://a.test, http://b.test ,http://c.test:8080'), ['http://a.test', 'http://b.test', 'http://c.test:8080'])
})

t.test('the admin API answers no page by default: a foreign Origin is refused with 403 and nothing is done', async (t) => {
  const test = await startTestApp(t)
  await createTask(test, packageExample)
  const evil = { origin: 'https://evil.example' }
  const world = await test.app.inject({ method: 'GET', url: '/__admin/world', headers: evil })
  assertGatewayError(t, world, 403, 'APIGW.0302', 'Access denied: the admin API takes no requests from the page at Origin https://evil.example; list it in MOCK_ADMIN_CORS_ORIGIN to allow it')
  t.strictSame(corsHeaders(world.headers), {}, 'no CORS header: the page could not read the answer anyway')
  const reset = await test.app.inject({ method: 'POST', url: '/__admin/reset', headers: evil })
  t.equal(reset.statusCode, 403, 'a bodiless POST, which a browser sends without a preflight, is refused')
  t.equal(await taskCount(test), 1, 'the reset did not happen')
  const nullOrigin = await test.app.inject({ method: 'DELETE', url: '/__admin/faults', headers: { origin: 'null' } })
  t.equal(nullOrigin.statusCode, 403, 'a sandboxed page (Origin: null) is foreign too')
  const docs = await test.app.inject({ method: 'GET', url: '/__admin/openapi.json', headers: evil })
  t.equal(docs.statusCode, 403)
  const pre = await test.app.inject(preflight('https://evil.example', 'content-type', '/__admin/reset'))
  t.equal(pre.headers['access-control-allow-origin'], undefined, 'a preflight from a page gets no permission')
  assertGatewayError(t, pre, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment: OPTIONS /__admin/reset; the admin API\'s routes are listed at /__admin/docs')
})

t.test('clients that send no Origin, and the emulator\'s own pages, reach the admin API as before', async (t) => {
  const test = await startTestApp(t)
  t.equal((await test.app.inject({ method: 'GET', url: '/__admin/world' })).statusCode, 200, 'curl, a test client: no Origin')
  for (const origin of ['http://localhost:3000', 'https://localhost:3000']) {
    const own = await test.app.inject({ method: 'POST', url: '/__admin/reset', headers: { origin, host: 'localhost:3000' } })
    t.equal(own.statusCode, 200, `${origin}: the dashboard's own origin`)
    t.strictSame(corsHeaders(own.headers), {}, 'same-origin needs no CORS headers')
  }
  const otherPort = await test.app.inject({ method: 'POST', url: '/__admin/reset', headers: { origin: 'http://localhost:5173', host: 'localhost:3000' } })
  t.equal(otherPort.statusCode, 403, 'another port on the same host is another origin')
})

t.test('health and ready stay open to any page, with the KooDrive API\'s CORS', async (t) => {
  const { app } = await startTestApp(t)
  for (const url of ['/__admin/health', '/__admin/ready']) {
    const res = await app.inject({ method: 'GET', url, headers: { origin: 'https://app.example' } })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['access-control-allow-origin'], '*')
  }
})

t.test('MOCK_ADMIN_CORS_ORIGIN: listed pages may call the admin API, with preflights and echoed origins; others still get 403', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_CORS_ORIGIN: 'http://dash.test, http://other.test' } })
  const pre = await app.inject(preflight('http://dash.test', 'content-type', '/__admin/faults'))
  t.equal(pre.statusCode, 204)
  t.equal(pre.headers['access-control-allow-origin'], 'http://dash.test')
  const listed = await app.inject({ method: 'GET', url: '/__admin/faults', headers: { origin: 'http://other.test' } })
  t.equal(listed.statusCode, 200)
  t.strictSame(corsHeaders(listed.headers), { vary: 'Origin', 'access-control-allow-origin': 'http://other.test', 'access-control-expose-headers': EXPOSED })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/faults', headers: { origin: 'http://c.test' } })).statusCode, 403)
  const any = await startTestApp(t, { env: { MOCK_ADMIN_CORS_ORIGIN: '*' } })
  const anyPage = await any.app.inject({ method: 'GET', url: '/__admin/faults', headers: { origin: 'http://c.test' } })
  t.equal(anyPage.statusCode, 200, '* lets every page in')
  t.equal(anyPage.headers['access-control-allow-origin'], '*')
})

t.test('an OPTIONS that is not a preflight gets the gateway envelope, not text/plain', async (t) => {
  const { app } = await startTestApp(t)
  for (const headers of [{}, { origin: PAGE }, { 'access-control-request-method': 'POST' }]) {
    const res = await app.inject({ method: 'OPTIONS', url: `${TASKS_URL}?x=1`, headers })
    assertGatewayError(t, res, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment: OPTIONS /koodrive/ose/v1/share/tasks is answered only as a CORS preflight (with Origin and Access-Control-Request-Method)')
  }
})
