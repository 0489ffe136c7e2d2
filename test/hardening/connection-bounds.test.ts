import t, { type Test } from 'tap'
import { loadConfig } from '../../src/config.js'
import { timeoutCheckIntervalMs } from '../../src/http/http-server.js'
import { OVER_CAP_IDLE_MS } from '../../src/http/open-connections.js'
import type { App } from '../../src/app.js'
import { listenLocally, startTestApp } from '../helpers/app.js'
import type { LogCapture } from '../helpers/logs.js'
import { carrierHeaders, USER_INFO_URL } from '../helpers/requests.js'
import { REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { listFaults } from '../helpers/faults.js'
import { eventually, fetchOutcomesFromWorker, guard, HEALTH_REQUEST, RawConnection, rawRequest, type RawAnswer } from './raw-sockets.js'

/**
 * Issue 10 §3: connections are bounded. Each case runs against the real server on a real port,
 * with timeouts of a few hundred milliseconds set through the settings, so every wait is short.
 */

const OVER_CAP_MESSAGE = 'The throttling threshold has been reached: 3 connections are open (MOCK_MAX_CONNECTIONS); retry on a new connection'
const ABANDONED = 'request abandoned: the connection closed before its body arrived'

/** The emulator on a free port, its logs captured. */
async function serve(t: Test, env: Record<string, string>): Promise<{ app: App; logs: LogCapture; port: number; url: string }> {
  const { app, logs } = await startTestApp(t, { env })
  return { app, logs, ...(await listenLocally({ app })) }
}

/** Asserts a gateway envelope whose request_id is the X-Request-Id. */
function assertGateway(t: Test, answer: RawAnswer, status: number, errorCode: string, errorMsg: string): void {
  t.equal(answer.statusCode, status, `HTTP ${status}`)
  t.match(answer.headers['x-request-id'], REQUEST_ID_PATTERN, 'X-Request-Id')
  t.strictSame(JSON.parse(answer.body), { error_code: errorCode, error_msg: errorMsg, request_id: answer.headers['x-request-id'] }, 'the gateway envelope')
}

const userInfoRequest = (extra: Record<string, string> = {}) =>
  rawRequest([
    `GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries({ ...carrierHeaders(Date.now()), ...extra }).map(([name, value]) => `${name}: ${value}`),
  ])

t.test('the defaults cut a client dawdling over its headers within half a minute', async (t) => {
  const config = loadConfig({})
  const checkedEveryMs = timeoutCheckIntervalMs(config)
  t.equal(checkedEveryMs, 1000, 'timeouts are checked every second, not every 30 s (Node\'s connectionsCheckingInterval default)')
  t.ok(config.MOCK_HEADERS_TIMEOUT_MS + checkedEveryMs <= 30_000, `cut at most ${config.MOCK_HEADERS_TIMEOUT_MS + checkedEveryMs} ms after the first byte`)
  t.equal(timeoutCheckIntervalMs({ ...config, MOCK_HEADERS_TIMEOUT_MS: 200 }), 50, 'a quarter of a short timeout')
  t.equal(timeoutCheckIntervalMs({ ...config, MOCK_HEADERS_TIMEOUT_MS: 1, MOCK_REQUEST_TIMEOUT_MS: 1 }), 10, 'never more often than every 10 ms')

  const { app } = await serve(t, {})
  const server = app.server
  t.strictSame(
    { headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout, keepAliveTimeout: server.keepAliveTimeout },
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 },
    'the server is built with the settings',
  )
})

t.test('slowloris: a header line every 50 ms is cut at MOCK_HEADERS_TIMEOUT_MS with 408 APIGW.0201', async (t) => {
  const { port } = await serve(t, { MOCK_HEADERS_TIMEOUT_MS: '300', MOCK_REQUEST_TIMEOUT_MS: '2000' })
  const lorises = await Promise.all(Array.from({ length: 20 }, () => RawConnection.open(port)))
  const dribble = setInterval(() => {
    for (const loris of lorises) if (loris.socket.writable) loris.write(`X-Slow-${Math.random().toString(36).slice(2, 8)}: 1\r\n`)
  }, 50)
  t.teardown(() => clearInterval(dribble))
  for (const loris of lorises) loris.write('GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n')

  // Clients under the timeout are served meanwhile.
  const honest = await RawConnection.open(port)
  honest.write(HEALTH_REQUEST)
  t.equal((await honest.answer(0)).statusCode, 200, 'a client sending whole requests is served')

  const closedAfter = await guard(Promise.all(lorises.map((loris) => loris.closed)), 2_000, 'not every slowloris was cut within 2 s')
  t.ok(Math.min(...closedAfter) >= 280 && Math.max(...closedAfter) < 1_000, `all 20 cut between ${Math.min(...closedAfter)} and ${Math.max(...closedAfter)} ms`)
  for (const loris of lorises.slice(0, 3)) {
    assertGateway(t, await loris.answer(0), 408, 'APIGW.0201', 'Request timeout: the request headers did not arrive within 300 ms (MOCK_HEADERS_TIMEOUT_MS)')
    t.equal(loris.answers[0]?.headers.connection, 'close', 'Connection: close')
  }
  honest.write(HEALTH_REQUEST)
  t.equal((await honest.answer(1)).statusCode, 200, 'the honest client\'s keep-alive connection still works')
  honest.destroy()
})

t.test('a connection that never sends a byte is closed at MOCK_HEADERS_TIMEOUT_MS, with nothing written', async (t) => {
  const { port } = await serve(t, { MOCK_HEADERS_TIMEOUT_MS: '300', MOCK_REQUEST_TIMEOUT_MS: '2000' })
  const silent = await RawConnection.open(port)
  const closedAfter = await silent.closedWithin(2_000)
  t.ok(closedAfter >= 280 && closedAfter < 1_000, `closed after ${closedAfter} ms`)
  t.equal(silent.received.length, 0, 'no answer to a request that was never sent')
})

t.test('a slow upload is cut at MOCK_REQUEST_TIMEOUT_MS with 408 APIGW.0201, logged as abandoned', async (t) => {
  const { port, logs } = await serve(t, { MOCK_HEADERS_TIMEOUT_MS: '200', MOCK_REQUEST_TIMEOUT_MS: '500' })
  const uploader = await RawConnection.open(port)
  uploader.write(rawRequest(['POST /koodrive/ose/v1/share/verify HTTP/1.1', 'Host: 127.0.0.1', ...Object.entries(carrierHeaders(Date.now())).map(([n, v]) => `${n}: ${v}`), 'Content-Length: 1000']))
  const dribble = setInterval(() => uploader.socket.writable && uploader.write(' '), 50)
  t.teardown(() => clearInterval(dribble))
  const closedAfter = await uploader.closedWithin(2_000)
  t.ok(closedAfter >= 480 && closedAfter < 1_200, `cut after ${closedAfter} ms`)
  assertGateway(t, await uploader.answer(0), 408, 'APIGW.0201', 'Request timeout: the request did not arrive whole within 500 ms (MOCK_REQUEST_TIMEOUT_MS)')
  await eventually(() => logs.lines.some((line) => line.msg === ABANDONED), 1_000, 'no abandoned line')
  t.match(logs.lines.filter((line) => line.msg === ABANDONED), [{ level: 30, operation: 'verifyShare', path: '/koodrive/ose/v1/share/verify', contentLength: '1000' }], 'one info line: abandoned')
  t.equal(logs.lines.filter((line) => (line.level as number) >= 50).length, 0, 'no error line')
})

t.test('an idle keep-alive connection is closed MOCK_KEEP_ALIVE_TIMEOUT_MS (+ Node\'s 1 s margin) after its answer', async (t) => {
  const { port } = await serve(t, { MOCK_KEEP_ALIVE_TIMEOUT_MS: '100' })
  const idle = await RawConnection.open(port)
  idle.write(HEALTH_REQUEST)
  const answer = await idle.answer(0)
  const answeredAfter = performance.now() - idle.openedAtMs
  t.equal(answer.headers.connection, 'keep-alive')
  const closedAfter = await idle.closedWithin(3_000)
  t.ok(closedAfter - answeredAfter >= 1_000 && closedAfter - answeredAfter < 1_600, `closed ${Math.round(closedAfter - answeredAfter)} ms after its answer`)
})

t.test('MOCK_MAX_CONNECTIONS: past the cap a request gets 429 APIGW.0308 with Retry-After and Connection: close; those under it are served', async (t) => {
  const { app, url, port } = await serve(t, { MOCK_MAX_CONNECTIONS: '3' })
  const admitted = await Promise.all([1, 2, 3].map(() => RawConnection.open(port)))
  for (const connection of admitted) connection.write(HEALTH_REQUEST)
  for (const connection of admitted) t.equal((await connection.answer(0)).statusCode, 200, 'under the cap: served')

  const refused = await RawConnection.open(port)
  refused.write(userInfoRequest())
  const answer = await refused.answer(0)
  assertGateway(t, answer, 429, 'APIGW.0308', OVER_CAP_MESSAGE)
  t.equal(answer.headers['retry-after'], '1', 'Retry-After: 1')
  t.equal(answer.headers.connection, 'close', 'Connection: close')
  t.equal(answer.headers['access-control-allow-origin'], '*', 'CORS headers, so a page can read it')
  await refused.closedWithin(1_000)

  // Node's fetch, from another thread, with a 4 MiB body: it reads the 429, not a reset.
  const outcomes = await fetchOutcomesFromWorker({ url: `${url}/__admin/faults`, headers: { 'content-type': 'application/json' }, bytes: 4 * 1024 * 1024, tries: 5, chunked: false })
  t.strictSame(outcomes, { [`429 APIGW.0308 ${OVER_CAP_MESSAGE}, request_id = X-Request-Id, Connection: close`]: 5 }, 'fetch with a body reads the 429, 5 times of 5')
  t.equal((await listFaults({ app })).length, 0, 'the refused requests did nothing')

  for (const [i, connection] of admitted.entries()) {
    connection.write(HEALTH_REQUEST)
    t.equal((await connection.answer(1)).statusCode, 200, `admitted connection ${i + 1} is still served`)
  }

  const silent = await RawConnection.open(port)
  const silentFor = await silent.closedWithin(OVER_CAP_IDLE_MS + 1_000)
  t.ok(silentFor >= OVER_CAP_IDLE_MS - 50, `a silent connection over the cap is closed after ${silentFor} ms`)

  admitted[0]?.destroy()
  await admitted[0]?.closed
  const late = await guard(
    (async () => {
      // The server sees the close a moment after the client: retry until a new connection is admitted.
      for (;;) {
        const connection = await RawConnection.open(port)
        connection.write(HEALTH_REQUEST)
        const status = (await connection.answer(0)).statusCode
        connection.destroy()
        if (status === 200) return status
      }
    })(),
    2_000,
    'no connection admitted after one closed',
  )
  t.equal(late, 200, 'once one closes, a new connection is served')
  for (const connection of admitted) connection.destroy()
})

t.test('the cap is logged when reached and when cleared, once each, with how many were refused', async (t) => {
  const { logs, port } = await serve(t, { MOCK_MAX_CONNECTIONS: '1' })
  const first = await RawConnection.open(port)
  first.write(HEALTH_REQUEST)
  await first.answer(0)
  const over = await Promise.all([1, 2].map(() => RawConnection.open(port)))
  for (const connection of over) connection.write(HEALTH_REQUEST)
  for (const connection of over) t.equal((await connection.answer(0)).statusCode, 429, 'over the cap: 429')
  first.destroy()
  await guard(Promise.all([first.closed, ...over.map((connection) => connection.closed)]), 2_000, 'connections did not close')
  await eventually(() => logs.lines.some((line) => typeof line.msg === 'string' && line.msg.startsWith('back under')), 1_000, 'no "back under the cap" line')
  const capLines = logs.lines.filter((line) => typeof line.msg === 'string' && /connection cap/.test(line.msg)).map(({ level, msg }) => ({ level, msg }))
  t.strictSame(capLines, [
    { level: 40, msg: 'connection cap reached: 1 connections are open (MOCK_MAX_CONNECTIONS); requests on new ones get 429' },
    { level: 30, msg: 'back under the connection cap (MOCK_MAX_CONNECTIONS=1); 2 connections were refused' },
  ])
})

t.test('a server hovering at the cap logs it once, and clears at 90 % of it', async (t) => {
  const { logs, port } = await serve(t, { MOCK_MAX_CONNECTIONS: '20' })
  const capLines = () => logs.lines.filter((line) => typeof line.msg === 'string' && /connection cap/.test(line.msg)).map((line) => line.msg)
  const openServed = async (count: number) => {
    const connections = await Promise.all(Array.from({ length: count }, () => RawConnection.open(port)))
    for (const connection of connections) connection.write(HEALTH_REQUEST)
    return Promise.all(connections.map(async (connection) => ({ connection, status: (await connection.answer(0)).statusCode })))
  }
  const admitted = (await openServed(20)).map(({ connection }) => connection)
  t.strictSame((await openServed(1)).map(({ status }) => status), [429], 'the 21st is refused')
  const closeOne = async () => {
    const connection = admitted.shift() as RawConnection
    connection.destroy()
    await connection.closed
  }
  await closeOne()
  const again = await guard(
    (async () => {
      for (;;) {
        const [{ connection, status }] = (await openServed(1)) as [{ connection: RawConnection; status: number }]
        if (status === 200) return connection
        connection.destroy()
      }
    })(),
    2_000,
    'no room after one closed',
  )
  admitted.push(again)
  t.strictSame((await openServed(1)).map(({ status }) => status), [429], 'full again: refused')
  t.strictSame(capLines(), ['connection cap reached: 20 connections are open (MOCK_MAX_CONNECTIONS); requests on new ones get 429'], 'one "reached" line, no "cleared" at 19 of 20')
  for (let i = 0; i < 2; i++) await closeOne()
  await eventually(() => capLines().length === 2, 1_000, 'no "cleared" line at 18 of 20')
  t.match(capLines()[1], /^back under the connection cap \(MOCK_MAX_CONNECTIONS=20\); \d+ connections were refused$/, 'cleared at 18 of 20')
  for (const connection of admitted) connection.destroy()
})

t.test('connection=hang: the socket is released after MOCK_HANG_MAX_MS, without an answer', async (t) => {
  const { port } = await serve(t, { MOCK_HANG_MAX_MS: '300' })
  const hung = await RawConnection.open(port)
  hung.write(userInfoRequest({ 'x-mock-fault': 'connection=hang' }))
  const closedAfter = await hung.closedWithin(2_000)
  t.ok(closedAfter >= 280 && closedAfter < 1_000, `released after ${closedAfter} ms`)
  t.equal(hung.received.length, 0, 'no answer: a hang never answers')
})
