import { once } from 'node:events'
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { listenLocally, startTestApp, type TestApp } from '../helpers/app.js'
import { carrierHeaders, packageExample, pathAndQuery, TASK_DETAIL_URL, TASKS_URL, USER_INFO_URL, vendorExample } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { vendorEnvelopeProblem, type ResponseLike } from '../helpers/envelopes.js'
import { taskCount } from '../helpers/admin.js'

/**
 * Hostile input, in process (app.inject) and over a real socket (node:net, raw bytes): deep JSON,
 * prototype-pollution keys, 10 000 headers, a 12 MiB field either side of the body limit, invalid
 * UTF-8, NUL bytes, lying Content-Lengths. Each must get a sane answer in one of the vendor's
 * envelopes, and the server must keep serving afterwards.
 */

const BODY_LIMIT = 12 * 1024 * 1024

/** Object.prototype has no `polluted` of its own, and a fresh object does not inherit one. */
function prototypeIsClean(): boolean {
  const fresh: Record<string, unknown> = {}
  return fresh.polluted === undefined && !Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')
}

async function assertAlive(t: Test, { app }: TestApp, what: string): Promise<void> {
  const health = await app.inject({ method: 'GET', url: '/__admin/health' })
  t.equal(health.statusCode, 200, `the app still answers health after ${what}`)
}

/** Posts raw bytes (or a string, as it is) to share/tasks with valid carrier headers. */
function postTasks({ app, clock }: TestApp, payload: string | Buffer, headers: Record<string, string | undefined> = {}) {
  return app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now(), headers), payload })
}

/** Asserts an error body is exactly `{code, msg}` with this code, and that `msg` matches. */
function assertKooDrive(t: Test, res: ResponseLike, code: number, msg: RegExp | string, what: string): void {
  t.equal(vendorEnvelopeProblem(res), undefined, `${what}: a vendor envelope`)
  const body = JSON.parse(res.body) as { code?: number; msg?: string }
  t.equal(body.code, code, `${what}: code ${code}`)
  t.match(body.msg, msg, `${what}: msg`)
}

// ---------------------------------------------------------------------------------------------
// Over a real socket.
// ---------------------------------------------------------------------------------------------

interface RawResponse extends ResponseLike {
  statusLine: string
  /** True when nothing came back before the wait ended. */
  silent: boolean
  /** True when the server closed the connection before the wait ended. */
  closedByServer: boolean
}

/** The app listening on a free loopback port. */
async function listening(t: Test): Promise<TestApp & { port: number }> {
  const test = await startTestApp(t)
  return { ...test, port: (await listenLocally(test)).port }
}

/**
 * Writes `data` on a fresh connection (then half-closes it when `end`), and reads until the server
 * closes or `waitMs` passes. Returns the first response, parsed.
 */
async function rawExchange(port: number, data: string | Buffer, { end = false, waitMs = 3_000 } = {}): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => undefined)
  const closed = once(socket, 'close').then(() => 'closed')
  if (end) socket.end(data)
  else socket.write(data)
  let timer: NodeJS.Timeout | undefined
  const ended = await Promise.race([closed, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('waited'), waitMs)))])
  clearTimeout(timer)
  const closedByServer = ended === 'closed'
  socket.destroy()
  const text = Buffer.concat(chunks).toString('latin1')
  const headEnd = text.indexOf('\r\n\r\n')
  if (headEnd < 0) return { statusLine: text, statusCode: 0, headers: {}, body: '', silent: text === '', closedByServer }
  const [statusLine = '', ...headerLines] = text.slice(0, headEnd).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? text.length - headEnd - 4)
  const body = Buffer.from(text.slice(headEnd + 4), 'latin1').subarray(0, length).toString()
  return { statusLine, statusCode: Number(statusLine.slice(9, 12)), headers, body, silent: false, closedByServer }
}

/** A raw HTTP/1.1 request to share/tasks: the carrier headers, `extra` header lines, and the body. */
function rawTasksRequest(nowMs: number, body: string | Buffer, { before = [] as string[], after = [] as string[], contentLength = String(Buffer.byteLength(body)) } = {}): Buffer {
  const headers = Object.entries(carrierHeaders(nowMs)).map(([name, value]) => `${name}: ${value}`)
  const head = [`POST ${TASKS_URL} HTTP/1.1`, 'Host: 127.0.0.1', ...before, ...headers, ...after, `Content-Length: ${contentLength}`, 'Connection: close', '', ''].join('\r\n')
  return Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body])
}

async function assertAliveOverSocket(t: Test, port: number, what: string): Promise<void> {
  const res = await rawExchange(port, 'GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
  t.equal(res.statusCode, 200, `the server still answers health on a new connection after ${what}`)
}

// ---------------------------------------------------------------------------------------------
// Deep nesting.
// ---------------------------------------------------------------------------------------------

t.test('deeply nested JSON bodies are refused with the right code, and the app survives', async (t) => {
  const test = await startTestApp(t)
  const { app } = test
  for (const depth of [10_000, 100_000]) {
    const deepArray = '['.repeat(depth) + ']'.repeat(depth)
    const deepObject = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    const tooDeep = 'Bad request: the request body nests deeper than 32 levels'
    const asBody = await postTasks(test, deepArray)
    assertKooDrive(t, asBody, 13000101, tooDeep, `an array ${depth} deep as the body`)
    const asObject = await postTasks(test, deepObject)
    assertKooDrive(t, asObject, 13000101, tooDeep, `an object ${depth} deep as the body`)
    const inField = await postTasks(test, JSON.stringify({ ...packageExample, zipName: 0 }).replace('"zipName":0', `"zipName":${deepObject}`))
    assertKooDrive(t, inField, 13000101, tooDeep, `an object ${depth} deep as zipName`)
    const inTarget = await postTasks(test, JSON.stringify({ ...vendorExample, targetFileId: 0 }).replace('"targetFileId":0', `"targetFileId":{"fileId":${deepArray},"containerId":"c"}`))
    assertKooDrive(t, inTarget, 13000101, tooDeep, `an array ${depth} deep as targetFileId.fileId`)
    const inExtra = await postTasks(test, JSON.stringify({ ...packageExample, extra: 0 }).replace('"extra":0', `"extra":${deepObject}`))
    assertKooDrive(t, inExtra, 13000101, tooDeep, `an object ${depth} deep as an unknown field`)
  }
  t.equal(await taskCount({ app }), 0, 'no task was made')
  const journal = await app.inject({ method: 'GET', url: '/__admin/requests?limit=1000' })
  t.equal(journal.statusCode, 200, 'the journal still answers after the deep bodies')
  await assertAlive(t, test, 'deep JSON')
})

t.test('a body exactly 32 deep is parsed and judged by the schema; 33 is refused as too deep', async (t) => {
  const test = await startTestApp(t)
  const nested = (depth: number) => '['.repeat(depth - 1) + ']'.repeat(depth - 1)
  const at32 = await postTasks(test, JSON.stringify({ ...packageExample, extra: 0 }).replace('"extra":0', `"extra":${nested(32)}`))
  assertKooDrive(t, at32, 13000102, 'Parameter invalid: extra is not a known field', 'the object and 31 arrays: 32 levels')
  const at33 = await postTasks(test, JSON.stringify({ ...packageExample, extra: 0 }).replace('"extra":0', `"extra":${nested(33)}`))
  assertKooDrive(t, at33, 13000101, 'Bad request: the request body nests deeper than 32 levels', '33 levels')
  const inString = await postTasks(test, JSON.stringify({ ...packageExample, zipName: `${'['.repeat(100)}.zip` }))
  t.equal(inString.statusCode, 200, 'brackets inside a string are not nesting')
  const escaped = await postTasks(test, JSON.stringify({ ...packageExample, kdstoken: `\\"${'['.repeat(100)}\\` }))
  t.equal(escaped.statusCode, 200, 'nor are they after escaped quotes and backslashes')
})

t.test('deeply nested JSON is refused by the debug-logging app too (it logs request bodies)', async (t) => {
  const test = await startTestApp(t, { env: { LOG_LEVEL: 'debug' } })
  const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)
  const res = await postTasks(test, JSON.stringify({ ...packageExample, extra: 0 }).replace('"extra":0', `"extra":${deepObject}`))
  assertKooDrive(t, res, 13000101, 'Bad request: the request body nests deeper than 32 levels', 'an object 10 000 deep, logged at debug')
  t.ok(test.logs.lines.some((line) => line.msg === 'request' && line.statusCode === 400), 'the request line was written')
  await assertAlive(t, test, 'logging a deep body')
})

// ---------------------------------------------------------------------------------------------
// Prototype pollution.
// ---------------------------------------------------------------------------------------------

t.test('__proto__, constructor and prototype keys pollute nothing', async (t) => {
  const test = await startTestApp(t)
  const { app, clock } = test
  const refusedAsMalformed = 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key'
  const target = JSON.stringify(vendorExample.targetFileId).slice(1, -1)
  const cases: { name: string; body: string; code: number; msg: string }[] = [
    { name: '__proto__ at the top', body: `{"__proto__":{"polluted":"yes"},${JSON.stringify(packageExample).slice(1)}`, code: 13000101, msg: refusedAsMalformed },
    { name: '__proto__ alone', body: '{"__proto__":{"polluted":"yes"}}', code: 13000101, msg: refusedAsMalformed },
    { name: '__proto__ in targetFileId', body: JSON.stringify(vendorExample).replace(target, `"__proto__":{"polluted":"yes"},${target}`), code: 13000101, msg: refusedAsMalformed },
    { name: '__proto__ in an object inside fileIds', body: JSON.stringify(packageExample).replace('"fileIds":[', '"fileIds":[{"__proto__":{"polluted":"yes"}},'), code: 13000101, msg: refusedAsMalformed },
    { name: 'constructor.prototype at the top', body: `{"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(packageExample).slice(1)}`, code: 13000101, msg: refusedAsMalformed },
    { name: 'constructor.prototype in targetFileId', body: JSON.stringify(vendorExample).replace(target, `"constructor":{"prototype":{"polluted":"yes"}},${target}`), code: 13000101, msg: refusedAsMalformed },
    { name: 'constructor (no prototype) at the top', body: JSON.stringify({ ...packageExample, constructor: { polluted: 'yes' } }), code: 13000102, msg: 'Parameter invalid: constructor is not a known field' },
    { name: 'prototype at the top', body: JSON.stringify({ ...packageExample, prototype: { polluted: 'yes' } }), code: 13000102, msg: 'Parameter invalid: prototype is not a known field' },
    {
      name: 'prototype in targetFileId',
      body: JSON.stringify({ ...vendorExample, targetFileId: { ...vendorExample.targetFileId, prototype: { polluted: 'yes' } } }),
      code: 13000102,
      msg: 'Parameter invalid: targetFileId.prototype is not a known field',
    },
  ]
  for (const { name, body, code, msg } of cases) {
    const res = await postTasks(test, body)
    assertKooDrive(t, res, code, msg, name)
    t.ok(prototypeIsClean(), `${name}: Object.prototype is not polluted`)
  }
  for (const query of ['__proto__[polluted]=yes', '__proto__.polluted=yes', 'constructor[prototype][polluted]=yes', '__proto__=x']) {
    const res = await app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}&${query}`, headers: carrierHeaders(clock.now(), { 'content-type': undefined }) })
    t.equal(res.statusCode, 400, `?${query}: refused`)
    t.equal(vendorEnvelopeProblem(res), undefined, `?${query}: a vendor envelope`)
    t.ok(prototypeIsClean(), `?${query}: Object.prototype is not polluted`)
  }
  t.equal(await taskCount({ app }), 0, 'no task was made')
  await assertAlive(t, test, 'prototype keys')
})

t.test('headers called __proto__ and constructor (over a real socket) are just headers', async (t) => {
  const { port, clock, app } = await listening(t)
  const res = await rawExchange(port, rawTasksRequest(clock.now(), JSON.stringify(packageExample), { after: ['__proto__: {"polluted":"yes"}', 'constructor: x', 'prototype: y'] }))
  t.equal(res.statusCode, 200, 'the request is served')
  t.ok(prototypeIsClean(), 'Object.prototype is not polluted')
  t.equal(await taskCount({ app }), 1, 'one task made')
})

// ---------------------------------------------------------------------------------------------
// Header floods, over a real socket.
// ---------------------------------------------------------------------------------------------

t.test('10 000 headers in one request: 431, in a vendor envelope, and the server survives', async (t) => {
  const { port, clock } = await listening(t)
  const flood = Array.from({ length: 10_000 }, (_, i) => `X-Flood-${i}: v`)
  const res = await rawExchange(port, rawTasksRequest(clock.now(), JSON.stringify(packageExample), { after: flood }))
  t.equal(res.statusCode, 431, 'Node refuses the header block (larger than its 16 KiB limit)')
  t.equal(vendorEnvelopeProblem(res), undefined, `a vendor envelope (got ${res.body})`)
  t.ok(res.closedByServer, 'the server closes the connection')
  await assertAliveOverSocket(t, port, '10 000 headers')
})

t.test('3 000 tiny headers (under 16 KiB): Node keeps the first 2 000, so what follows them is not seen', async (t) => {
  const { port, clock } = await listening(t)
  const flood = Array.from({ length: 3_000 }, (_, i) => `a${i}:`)
  const first = await rawExchange(port, rawTasksRequest(clock.now(), JSON.stringify(packageExample), { after: flood }))
  t.equal(first.statusCode, 200, 'the KooDrive headers before the flood are read: 200')
  const last = await rawExchange(port, rawTasksRequest(clock.now(), JSON.stringify(packageExample), { before: flood }))
  t.equal(last.statusCode, 401, 'the KooDrive headers after the 2 000th are dropped: 401')
  t.equal(vendorEnvelopeProblem(last), undefined, 'a vendor envelope')
  t.match(JSON.parse(last.body), { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: Authorization header is missing' }, 'APIGW.0301: Authorization missing')
  await assertAliveOverSocket(t, port, '3 000 headers')
})

// ---------------------------------------------------------------------------------------------
// The body limit.
// ---------------------------------------------------------------------------------------------

t.test('a 12 MiB field: at the body limit it is a too-long field, one byte over it is 413', async (t) => {
  const test = await startTestApp(t)
  const bodyOf = (totalBytes: number) => {
    const skeleton = JSON.stringify({ ...packageExample, zipName: '' })
    return skeleton.replace('"zipName":""', `"zipName":"${'x'.repeat(totalBytes - Buffer.byteLength(skeleton))}"`)
  }
  const atLimit = bodyOf(BODY_LIMIT)
  t.equal(Buffer.byteLength(atLimit), BODY_LIMIT, 'the body is exactly MOCK_BODY_LIMIT bytes')
  const under = await postTasks(test, atLimit)
  assertKooDrive(t, under, 13000102, 'Parameter invalid: zipName must be at most 255 characters long', 'a body of exactly 12 MiB')

  const overLimit = bodyOf(BODY_LIMIT + 1)
  const over = await postTasks(test, overLimit)
  t.equal(over.statusCode, 413, 'one byte more: 413')
  t.equal(vendorEnvelopeProblem(over), undefined, 'a vendor envelope')
  t.strictSame(over.json(), { error_code: 'APIGW.0201', error_msg: 'Request entity too large', request_id: over.headers['x-request-id'] }, 'APIGW.0201 Request entity too large')
  t.equal(await taskCount(test), 0, 'no task was made')
  await assertAlive(t, test, 'a 12 MiB body')
})

// ---------------------------------------------------------------------------------------------
// Bytes that are not what they claim.
// ---------------------------------------------------------------------------------------------

t.test('invalid UTF-8 in a JSON body', async (t) => {
  const test = await startTestApp(t)
  const [head, tail] = JSON.stringify({ ...packageExample, zipName: '@@' }).split('@@') as [string, string]
  const inField = Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe]), Buffer.from('.zip'), Buffer.from(tail)])
  const res = await postTasks(test, inField)
  t.ok(res.statusCode < 500, `0xff 0xfe inside zipName: no 5xx (got ${res.statusCode})`)
  t.equal(vendorEnvelopeProblem(res), undefined, '0xff 0xfe inside zipName: a vendor envelope')
  t.equal(res.statusCode, 400, `0xff 0xfe inside zipName: refused (got ${res.statusCode} ${res.body})`)
  t.equal((res.json() as { code?: number }).code, 13000101, '0xff 0xfe inside zipName: 13000101')
  const before = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(packageExample))])
  assertKooDrive(t, await postTasks(test, before), 13000101, 'Bad request: the request body is not valid UTF-8', '0xff 0xfe before the JSON')
  await assertAlive(t, test, 'invalid UTF-8')
})

t.test('NUL bytes: in a field, raw inside a JSON string, and in a header value (over a real socket)', async (t) => {
  const listeningApp = await listening(t)
  const { app, clock, port } = listeningApp
  const escaped = await postTasks(listeningApp, JSON.stringify({ ...packageExample, zipName: 'a\u0000b\r\nX-Evil: 1.zip' }))
  t.equal(escaped.statusCode, 200, 'an escaped NUL (and CR LF) in zipName is taken: the vendor only forbids / and \\')
  const { taskId } = escaped.json() as { taskId: string }
  clock.advance(3_000)
  const detail = await app.inject({ method: 'POST', url: TASK_DETAIL_URL, headers: carrierHeaders(clock.now()), payload: { taskId, shareId: packageExample.shareId } })
  const { downloadUrl } = (detail.json() as { jobInfo: { downloadUrl: string } }).jobInfo
  const zip = await app.inject({ method: 'GET', url: pathAndQuery(downloadUrl) })
  t.equal(zip.statusCode, 200, 'its zip downloads')
  t.equal(zip.headers['content-disposition'], "attachment; filename=\"a_b__X-Evil: 1.zip\"; filename*=UTF-8''a%00b%0D%0AX-Evil%3A%201.zip", 'with the name made safe for the header')
  t.equal(zip.headers['x-evil'], undefined, 'no header injected')

  const raw = JSON.stringify({ ...packageExample, zipName: 'a@b.zip' }).replace('@', '\u0000')
  assertKooDrive(t, await postTasks(listeningApp, raw), 13000101, 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key', 'a raw NUL inside a JSON string')

  for (const header of ['X-Traceid: a\u0000b', 'X-User-Id: u\u00001']) {
    const request = rawTasksRequest(clock.now(), JSON.stringify(packageExample)).toString('latin1').replace(/x-user-id: u1\r\n/, `${header}\r\n`)
    const res = await rawExchange(port, Buffer.from(request, 'latin1'))
    t.equal(res.statusCode, 400, `${JSON.stringify(header)}: Node's parser refuses it: 400`)
    t.equal(vendorEnvelopeProblem(res), undefined, `${JSON.stringify(header)}: a vendor envelope (got ${res.body})`)
  }
  await assertAliveOverSocket(t, port, 'NUL bytes')
})

t.test('Content-Length that lies', async (t) => {
  const { port, clock } = await listening(t)
  const now = clock.now()

  const huge = await rawExchange(port, rawTasksRequest(now, '{}', { contentLength: '99999999999999' }))
  t.equal(huge.statusCode, 413, 'a Content-Length of 99 999 999 999 999 (over MOCK_BODY_DRAIN_BYTES) with a 2-byte body: 413 at once')
  t.equal(vendorEnvelopeProblem(huge), undefined, 'a vendor envelope')
  t.match(JSON.parse(huge.body), { error_code: 'APIGW.0201', error_msg: 'Request entity too large' }, 'APIGW.0201')

  const justOver = await rawExchange(port, rawTasksRequest(now, '{}', { contentLength: String(BODY_LIMIT + 1) }))
  t.equal(justOver.statusCode, 413, 'MOCK_BODY_LIMIT + 1 declared, 2 bytes sent, then nothing: 413 once the body stops coming')

  for (const contentLength of ['999999999999999999999999', '-1', '12abc']) {
    const res = await rawExchange(port, rawTasksRequest(now, '{}', { contentLength }))
    t.equal(res.statusCode, 400, `Content-Length ${contentLength}: Node's parser refuses it: 400`)
    t.equal(vendorEnvelopeProblem(res), undefined, `Content-Length ${contentLength}: a vendor envelope (got ${res.body})`)
  }

  const truncated = await rawExchange(port, rawTasksRequest(now, '{}', { contentLength: '1000' }), { end: true })
  t.equal(truncated.statusCode, 400, '1000 declared, 2 bytes sent, then the client half-closes: 400')
  t.equal(vendorEnvelopeProblem(truncated), undefined, `truncated body: a vendor envelope (got ${truncated.body})`)

  const waiting = await rawExchange(port, rawTasksRequest(now, '{}', { contentLength: '1000' }), { waitMs: 300 })
  t.ok(waiting.silent, '1000 declared, 2 bytes sent, connection left open: the server waits for the rest')
  await assertAliveOverSocket(t, port, 'lying Content-Lengths')
})
