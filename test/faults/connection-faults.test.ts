import Fastify from 'fastify'
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import t, { type Test } from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { ManualClock } from '../../src/domain/time-and-ids/clock.js'
import { RandomStream } from '../../src/domain/time-and-ids/random.js'
import { seededStream } from '../../src/domain/time-and-ids/random.js'
import { installFaultHooks, MALFORMED_BODY } from '../../src/plugins/faults.js'
import { FaultPlan } from '../../src/faults/fault-plan.js'
import { listenLocally, startTestApp, type TestApp } from '../helpers/app.js'
import { listFaults, replaceFaults } from '../helpers/faults.js'
import { requestLogLines } from '../helpers/logs.js'
import { carrierHeaders, DOWNLOAD_URL, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { expectedContent } from '../helpers/objects.js'
import { taskCount } from '../helpers/admin.js'

/** Real sockets: a wait that never ends must fail the test, not hang the run. */
const TEST_TIMEOUT_MS = 20_000
const QUARTERLY_REPORT = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'

interface Served extends TestApp {
  base: string
  port: number
}

/** The app holding `rules` on 127.0.0.1, a free port, with real waits unless `latency` says otherwise; closed after the test. */
async function serve(t: Test, rules: FaultRule[], env: Record<string, string> = {}, latency: 'real' | 'recorded' = 'real'): Promise<Served> {
  const test = await startTestApp(t, { env, faults: rules, latency })
  const { port, url } = await listenLocally(test)
  return { ...test, base: url, port }
}

/** POST share/tasks with the vendor example, as a browser or a plain client would. */
function postTask({ base, clock }: Served, signal?: AbortSignal): Promise<Response> {
  return fetch(`${base}${TASKS_URL}`, {
    method: 'POST',
    headers: carrierHeaders(clock.now()),
    body: JSON.stringify(vendorExample),
    ...(signal === undefined ? {} : { signal }),
  })
}

/** What a rejected fetch (or body read) carried: its name, message and cause, for assertions and the report. */
interface Failure {
  name: string
  message: string
  causeName: string | undefined
  causeMessage: string | undefined
  causeCode: string | undefined
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise
  } catch (error) {
    const { name, message, cause } = error as Error & { cause?: Error & { code?: string } }
    return { name, message, causeName: cause?.name, causeMessage: cause?.message, causeCode: cause?.code }
  }
  throw new Error('expected a failure, it succeeded')
}

/** Everything a raw TCP client gets for `request`: the bytes, the socket error, whether the server closed. */
interface RawExchange {
  received: Buffer
  errorCode: string | undefined
  closed: boolean
  /** Resolves when the connection has closed, whoever closed it. */
  whenClosed: Promise<void>
  end: () => void
}

async function rawExchange(port: number, request: string, settleMs: number): Promise<RawExchange> {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  const exchange: RawExchange = {
    received: Buffer.alloc(0),
    errorCode: undefined,
    closed: false,
    // Not events.once: it rejects on 'error', and a reset is an error before the close.
    whenClosed: new Promise((resolve) => socket.once('close', () => resolve())),
    end: () => socket.destroy(),
  }
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', (error: Error & { code?: string }) => {
    exchange.errorCode = error.code
  })
  void exchange.whenClosed.then(() => {
    exchange.closed = true
  })
  await once(socket, 'connect')
  socket.write(request)
  await Promise.race([exchange.whenClosed, new Promise((resolve) => setTimeout(resolve, settleMs))])
  exchange.received = Buffer.concat(chunks)
  return exchange
}

/** An HTTP/1.1 POST share/tasks with the vendor example, as text. */
function rawTaskRequest(clock: ManualClock): string {
  const body = JSON.stringify(vendorExample)
  const headers = { ...carrierHeaders(clock.now()), host: '127.0.0.1', 'content-length': String(Buffer.byteLength(body)) }
  return `POST ${TASKS_URL} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`
}

/** The presigned URL (path and query) of the vendor example's file. */
async function downloadPathOf(served: Served): Promise<string> {
  const res = await fetch(`${served.base}${DOWNLOAD_URL}`, {
    method: 'POST',
    headers: carrierHeaders(served.clock.now()),
    body: JSON.stringify({ shareId: SHARES.vendorExample.shareId, fileId: QUARTERLY_REPORT }),
  })
  const url = new URL(((await res.json()) as { downloadUrl: string }).downloadUrl)
  return url.pathname + url.search
}

t.test('reset: the connection is reset (TCP RST); fetch rejects with cause ECONNRESET', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'rst', operation: 'createShareTask', connection: 'reset' }])
  const failure = await failureOf(postTask(served))
  t.comment(`reset, fetch saw: ${JSON.stringify(failure)}`)
  t.strictSame(failure, { name: 'TypeError', message: 'fetch failed', causeName: 'Error', causeMessage: 'read ECONNRESET', causeCode: 'ECONNRESET' })
  const raw = await rawExchange(served.port, rawTaskRequest(served.clock), 2000)
  t.equal(raw.received.length, 0, 'a raw client gets no byte')
  t.equal(raw.errorCode, 'ECONNRESET', 'and a reset, not a clean close')
  t.ok(raw.closed)
  t.equal(await taskCount(served), 0, 'the route never ran')
  t.strictSame((await listFaults(served))[0], { id: 'rst', operation: 'createShareTask', connection: 'reset', matched: 2, fired: 2 })
})

t.test('empty: the connection closes with no response; fetch rejects (other side closed)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ connection: 'empty' }])
  const failure = await failureOf(postTask(served))
  t.comment(`empty, fetch saw: ${JSON.stringify(failure)}`)
  t.strictSame(failure, { name: 'TypeError', message: 'fetch failed', causeName: 'SocketError', causeMessage: 'other side closed', causeCode: 'UND_ERR_SOCKET' })
  const raw = await rawExchange(served.port, rawTaskRequest(served.clock), 2000)
  t.equal(raw.received.length, 0, 'no byte')
  t.ok(raw.closed, 'closed')
  t.equal(raw.errorCode, undefined, 'a clean close (FIN), not a reset')
  t.equal(await taskCount(served), 0)
})

t.test('hang: no response ever; the client times out on its own', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'black-hole', connection: 'hang' }])
  const started = Date.now()
  const failure = await failureOf(postTask(served, AbortSignal.timeout(300)))
  t.comment(`hang, fetch saw: ${JSON.stringify(failure)} after ${Date.now() - started} ms`)
  t.strictSame(failure, { name: 'TimeoutError', message: 'The operation was aborted due to timeout', causeName: undefined, causeMessage: undefined, causeCode: undefined })
  t.ok(Date.now() - started >= 290, 'only the client\'s own timeout ended it')
  t.strictSame((await listFaults(served))[0], { id: 'black-hole', connection: 'hang', matched: 1, fired: 1 })
  // After the abort undici opens a spare keep-alive connection that sends nothing; Node's server.close()
  // waits for it until undici drops it (its 4 s keep-alive timeout), so this test's teardown takes ~4 s.
})

t.test('hang: closing the app destroys the hung sockets at once, and the close finishes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ connection: 'hang' }])
  // Raw clients that keep their end open: the server must not wait on them when closing.
  const first = await rawExchange(served.port, rawTaskRequest(served.clock), 100)
  const second = await rawExchange(served.port, rawTaskRequest(served.clock), 200)
  for (const raw of [first, second]) {
    t.equal(raw.received.length, 0, 'no byte')
    t.notOk(raw.closed, 'still open: the server holds the connection')
  }
  const closing = Date.now()
  await served.app.close()
  await Promise.all([first.whenClosed, second.whenClosed])
  const took = Date.now() - closing
  t.ok(took < 1000, `app.close() and the hung sockets' close took ${took} ms`)
  t.equal(first.errorCode, undefined, 'closed, not reset')
})

t.test('hang: a client that gives up frees its socket before the app closes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ connection: 'hang' }])
  const raw = await rawExchange(served.port, rawTaskRequest(served.clock), 100)
  raw.end()
  await raw.whenClosed
  const closing = Date.now()
  await served.app.close()
  t.ok(Date.now() - closing < 2000)
})

t.test('malformed: 200 with a JSON content type whose body is not JSON; res.json() throws', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'proxy-page', connection: 'malformed' }])
  const res = await postTask(served)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/json/)
  t.equal(res.headers.get('x-mock-fault-applied'), 'proxy-page')
  const failure = await failureOf(res.json())
  t.comment(`malformed, res.json() saw: ${JSON.stringify(failure)}`)
  t.equal(failure.name, 'SyntaxError')
  t.match(failure.message, /not valid JSON/)
  const again = await postTask(served)
  t.equal(await again.text(), MALFORMED_BODY)
  t.match(requestLogLines(served.logs)[0], { statusCode: 200, fault: 'proxy-page' })
})

t.test('truncate: a JSON reply announces its Content-Length, then the connection closes half-way', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'cut', connection: 'truncate' }])
  const res = await postTask(served)
  t.equal(res.status, 200, 'the status and headers arrive')
  const announced = Number(res.headers.get('content-length'))
  t.ok(announced > 0, `Content-Length: ${announced}`)
  t.equal(res.headers.get('x-mock-fault-applied'), 'cut')
  const failure = await failureOf(res.text())
  t.comment(`truncate (JSON), reading the body saw: ${JSON.stringify(failure)}`)
  t.strictSame(failure, { name: 'TypeError', message: 'terminated', causeName: 'SocketError', causeMessage: 'other side closed', causeCode: 'UND_ERR_SOCKET' })
  const raw = await rawExchange(served.port, rawTaskRequest(served.clock), 2000)
  t.ok(raw.closed, 'the server closed the connection')
  const text = raw.received.toString('latin1')
  const split = text.indexOf('\r\n\r\n')
  const head = text.slice(0, split)
  const body = raw.received.subarray(split + 4)
  t.match(head, /^HTTP\/1\.1 200 OK/)
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1])
  t.equal(body.length, Math.floor(length / 2), `half the body: ${body.length} of ${length} bytes`)
  t.equal(body.toString(), '{"code":0,"msg":"Success","taskId":"'.slice(0, body.length), 'the first bytes of the real reply')
  t.equal(await taskCount(served), 2, 'the route ran: only the reply was cut')
})

t.test('truncate: a download stream stops half-way through its Content-Length', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [])
  const path = await downloadPathOf(served)
  await replaceFaults(served, [{ operation: 'downloadObject', connection: 'truncate' }])
  const res = await fetch(`${served.base}${path}`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-length'), '1048576')
  let received = 0
  const reading = (async () => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length
  })()
  const failure = await failureOf(reading)
  t.comment(`truncate (download), reading the body saw: ${JSON.stringify(failure)} after ${received} bytes`)
  t.strictSame(failure, { name: 'TypeError', message: 'terminated', causeName: 'SocketError', causeMessage: 'other side closed', causeCode: 'UND_ERR_SOCKET' })
  t.equal(received, 524288, 'exactly half of the announced 1048576 bytes')
})

t.test('truncate: a stream with no Content-Length is cut before anything is sent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // No emulated route streams without a length, so a bare Fastify with the fault hooks stands in.
  const app = Fastify()
  t.teardown(() => app.close())
  const plan = new FaultPlan(seededStream(42, RandomStream.FAULTS))
  plan.replace([{ operation: 'downloadObject', connection: 'truncate' }])
  installFaultHooks(app, { planOf: () => plan, headerEnabled: false, baseline: undefined, sleep: async () => {}, hangMaxMs: 60_000, onUnfinished: () => {} })
  app.get('/stream', { schema: { operationId: 'downloadObject' } }, async () => Readable.from([Buffer.from('first chunk'), Buffer.from('second chunk')]))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  // Half of an unknown length is 0 bytes: the connection closes before even the headers leave.
  const failure = await failureOf(fetch(`http://127.0.0.1:${port}/stream`))
  t.strictSame(failure, { name: 'TypeError', message: 'fetch failed', causeName: 'SocketError', causeMessage: 'other side closed', causeCode: 'UND_ERR_SOCKET' })
})

t.test('slow: the full, correct body arrives, dribbled over latencyMs (real timers)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'slowpoke', connection: 'slow', latencyMs: 60 }])
  const started = Date.now()
  const res = await postTask(served)
  t.equal(res.status, 200)
  const body = (await res.json()) as { code: number; msg: string; taskId: string }
  const took = Date.now() - started
  t.comment(`slow, fetch got the whole body in ${took} ms`)
  t.match(body, { code: 0, msg: 'Success', taskId: /^\d{19}$/ })
  t.equal(res.headers.get('content-length'), String(JSON.stringify(body).length))
  t.ok(took >= 50, `it took at least about 60 ms (${took})`)
  t.equal(res.headers.get('x-mock-fault-applied'), 'slowpoke')
})

t.test('slow: a download arrives whole and byte for byte (real timers)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [], { MOCK_ZIP_MAX_FILE_BYTES: '200000' })
  const path = await downloadPathOf(served)
  await replaceFaults(served, [{ operation: 'downloadObject', connection: 'slow', latencyMs: 60 }])
  const res = await fetch(`${served.base}${path}`)
  t.equal(res.status, 200)
  t.strictSame(Buffer.from(await res.arrayBuffer()), await expectedContent(QUARTERLY_REPORT, 200000))
})

t.test('a connection fault can wait for the body: a rule on taskType resets only dumps', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ match: { taskType: 2 }, connection: 'reset' }])
  const failure = await failureOf(postTask(served))
  t.equal(failure.causeCode, 'ECONNRESET')
  const zip = await fetch(`${served.base}${TASKS_URL}`, {
    method: 'POST',
    headers: carrierHeaders(served.clock.now()),
    body: JSON.stringify({ ...vendorExample, taskType: 1, targetFileId: undefined, zipName: 'a.zip' }),
  })
  t.equal(zip.status, 200)
})

t.test('latency before a connection fault: the wait comes first', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ connection: 'empty', latencyMs: 800 }], {}, 'recorded')
  const failure = await failureOf(postTask(served))
  t.equal(failure.causeCode, 'UND_ERR_SOCKET')
  t.strictSame(served.slept, [800])
})

t.test('the X-Mock-Fault header can reset a connection too', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [])
  const failure = await failureOf(
    fetch(`${served.base}${TASKS_URL}`, {
      method: 'POST',
      headers: { ...carrierHeaders(served.clock.now()), 'x-mock-fault': 'connection=reset' },
      body: JSON.stringify(vendorExample),
    }),
  )
  t.equal(failure.causeCode, 'ECONNRESET')
})

t.test('a request whose connection a rule reset, emptied or hung still leaves a log line naming the fault', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const served = await serve(t, [{ id: 'rst', first: 1, connection: 'reset' }, { id: 'gone', first: 1, connection: 'empty' }])
  await failureOf(postTask(served))
  await failureOf(postTask(served))
  t.strictSame(
    requestLogLines(served.logs).map((line) => line.fault),
    ['rst', 'gone'],
    'one line per faulted request',
  )
})
