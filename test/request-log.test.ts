import t, { type Test } from 'tap'
import { startTestApp } from './helpers/app.js'
import { carrierHeaders, TASKS_URL, vendorExample } from './helpers/requests.js'

/** The app, and every line it logs exactly as written, as text: key order and escaping are what is under test. */
async function appLogging(t: Test, env: Record<string, string> = {}) {
  const { app, clock, logs } = await startTestApp(t, { env })
  return { app, clock, out: logs.rawLines }
}

const requestLines = (out: string[]) => out.filter((line) => line.endsWith(',"msg":"request"}'))

t.test('the request line is the one pino writes: its fields in pino\'s order, after level, time, pid, hostname and reqId', async (t) => {
  const { app, clock, out } = await appLogging(t)
  const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now(), { 'x-traceid': 't'.repeat(58) }), payload: vendorExample })
  t.equal(res.statusCode, 200)
  const [line] = requestLines(out)
  const parsed = JSON.parse(line as string) as Record<string, unknown>
  t.strictSame(Object.keys(parsed), ['level', 'time', 'pid', 'hostname', 'reqId', 'operation', 'userId', 'traceId', 'method', 'url', 'statusCode', 'durationMs', 'msg'])
  t.match(parsed, {
    level: 30,
    time: Number,
    pid: process.pid,
    reqId: res.headers['x-request-id'],
    operation: 'createShareTask',
    userId: carrierHeaders(clock.now())['x-user-id'],
    traceId: 't'.repeat(58),
    method: 'POST',
    url: TASKS_URL,
    statusCode: 200,
    durationMs: Number,
    msg: 'request',
  })
  t.ok(Math.abs((parsed.time as number) - Date.now()) < 60_000, 'time is the wall clock, as pino writes it')
})

t.test('what a client sends is escaped: quotes, backslashes, control and non-ASCII characters keep the line one JSON object', async (t) => {
  const { app, clock, out } = await appLogging(t)
  const awkward = 'a"b\\c\u0001é😀'
  await app.inject({ method: 'GET', url: `/koodrive/ose/v1/share/userInfo?shortUrl=${encodeURIComponent(awkward)}`, headers: carrierHeaders(clock.now(), { 'x-user-id': 'u"1\\' }) })
  const [line] = requestLines(out)
  const parsed = JSON.parse(line as string) as Record<string, unknown>
  t.equal(parsed.userId, 'u"1\\')
  t.equal(parsed.url, `/koodrive/ose/v1/share/userInfo?shortUrl=${encodeURIComponent(awkward)}`)
  t.notOk((line as string).includes('\n'), 'one line')
})

t.test('a request without X-User-Id or X-Traceid has no such fields, and a fired fault is named', async (t) => {
  const { app, clock, out } = await appLogging(t)
  await app.inject({ method: 'GET', url: '/nope' })
  await app.inject({ method: 'POST', url: TASKS_URL, headers: { ...carrierHeaders(clock.now()), 'x-mock-fault': 'error=APIGW.0308; id=slow-down' }, payload: vendorExample })
  const [notFound, faulted] = requestLines(out).map((line) => JSON.parse(line) as Record<string, unknown>)
  t.strictSame(Object.keys(notFound ?? {}), ['level', 'time', 'pid', 'hostname', 'reqId', 'operation', 'method', 'url', 'statusCode', 'durationMs', 'msg'])
  t.match(notFound, { operation: 'notFound', statusCode: 404 })
  t.match(faulted, { operation: 'createShareTask', statusCode: 429, fault: 'slow-down' })
  t.equal(Object.keys(faulted ?? {}).at(-2), 'fault', 'last before msg, as pino would put it')
})

t.test('LOG_LEVEL=debug: pino writes the line itself, with the body and its secrets redacted', async (t) => {
  const { app, clock, out } = await appLogging(t, { LOG_LEVEL: 'debug' })
  await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: { ...vendorExample, kdstoken: 'secret-token' } })
  const parsed = requestLines(out).map((line) => JSON.parse(line) as Record<string, unknown>)
  t.match(parsed, [{ operation: 'createShareTask', body: { kdstoken: '[Redacted]', shareId: vendorExample.shareId } }])
  t.notOk(out.some((line) => line.includes('secret-token')))
})

t.test('LOG_LEVEL=warn: no request lines', async (t) => {
  const { app, clock, out } = await appLogging(t, { LOG_LEVEL: 'warn' })
  t.equal((await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: vendorExample })).statusCode, 200)
  t.strictSame(requestLines(out), [])
})

t.test('secret query values never reach the log line, the journal or the debug line; at debug nested secrets neither', async (t) => {
  const { app, clock, out } = await appLogging(t, { LOG_LEVEL: 'debug', MOCK_ADMIN_TOKEN: 'admin-s3cret' })
  await app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/userInfo?shortUrl=1983286579505944677&kdstoken=kds-s3cret&extractCode=31945314', headers: carrierHeaders(clock.now()) })
  await app.inject({ method: 'GET', url: '/__admin/ready?token=admin-s3cret' })
  await app.inject({
    method: 'POST',
    url: TASKS_URL,
    headers: carrierHeaders(clock.now()),
    payload: { ...vendorExample, meta: { KdsToken: 'nested-s3cret' }, list: [{ extractCode: 'deep-s3cret' }] },
  })
  const text = out.join('\n')
  for (const secret of ['kds-s3cret', '31945314', 'admin-s3cret', 'nested-s3cret', 'deep-s3cret']) t.notOk(text.includes(secret), `${secret} is not logged`)
  const urls = requestLines(out).map((line) => (JSON.parse(line) as { url: string }).url)
  t.strictSame(urls.slice(0, 2), [
    '/koodrive/ose/v1/share/userInfo?shortUrl=1983286579505944677&kdstoken=[Redacted]&extractCode=[Redacted]',
    '/__admin/ready?token=[Redacted]',
  ])
  const journal = await app.inject({ method: 'GET', url: '/__admin/requests', headers: { authorization: 'Bearer admin-s3cret' } })
  t.notOk(journal.body.includes('kds-s3cret') || journal.body.includes('nested-s3cret') || journal.body.includes('deep-s3cret'), 'nor the journal')
  t.match(journal.json(), { requests: [{ body: { meta: { KdsToken: '[Redacted]' }, list: [{ extractCode: '[Redacted]' }] } }, { query: 'shortUrl=1983286579505944677&kdstoken=[Redacted]&extractCode=[Redacted]' }] })
})

t.test('info level: a URL without secrets is logged exactly as sent', async (t) => {
  const { app, clock, out } = await appLogging(t)
  await app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/userInfo?shortUrl=1983286579505944677&x=%20', headers: carrierHeaders(clock.now()) })
  t.equal((JSON.parse(requestLines(out)[0] as string) as { url: string }).url, '/koodrive/ose/v1/share/userInfo?shortUrl=1983286579505944677&x=%20')
})
