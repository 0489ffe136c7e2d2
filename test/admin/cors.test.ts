import t from 'tap'
import { corsOrigin } from '../../src/cors.js'
import { ADMIN_FAULTS_URL, carrierHeaders, createTask, fetchObject, packageExample, REQUEST_ID_PATTERN, startTestApp, TASKS_URL, USER_INFO_URL } from '../helpers.js'

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
    vary: 'Access-Control-Request-Headers',
    'access-control-allow-headers': REQUEST_HEADERS,
    'access-control-max-age': '600',
  })
  t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN)
})

t.test('a preflight needs no KooDrive headers and is never faulted', async (t) => {
  const { app } = await startTestApp(t, { MOCK_ERROR_RATE: '1' })
  for (const url of [TASKS_URL, USER_INFO_URL, '/__admin/faults', '/obs/koodrive-share/packages/1/a.zip']) {
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
  const test = await startTestApp(t, { MOCK_ADMIN_TOKEN: 's3cret' })
  const fromPage = { origin: PAGE }
  const cases = [
    await test.app.inject({ method: 'POST', url: TASKS_URL, headers: fromPage, payload: packageExample }),
    await test.app.inject({ method: 'POST', url: TASKS_URL, headers: { ...carrierHeaders(test.clock.now()), ...fromPage }, payload: { ...packageExample, taskType: 3 } }),
    await test.app.inject({ method: 'GET', url: '/nope', headers: fromPage }),
    await test.app.inject({ method: 'GET', url: '/__admin/faults', headers: fromPage }),
  ]
  t.strictSame(cases.map((res) => res.statusCode), [401, 400, 404, 401])
  for (const res of cases) t.strictSame(corsHeaders(res.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED })
})

t.test('an injected error reaches a page: CORS headers on it, with X-Mock-Fault-Applied and Retry-After readable', async (t) => {
  const test = await startTestApp(t, { MOCK_FAULTS: JSON.stringify([{ id: 'down', operation: 'getShareTaskDetail', error: 13000201 }]) })
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
  const { app } = await startTestApp(t, { MOCK_CORS_ORIGIN: 'http://a.test, http://b.test' })
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
