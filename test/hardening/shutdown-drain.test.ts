import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import type { App } from '../../src/app.js'
import { listenLocally, startTestApp } from '../helpers/app.js'
import type { LogCapture } from '../helpers/logs.js'
import { carrierHeaders, USER_INFO_URL } from '../helpers/requests.js'
import { eventually, guard, HEALTH_REQUEST, RawConnection, rawRequest } from './raw-sockets.js'

/**
 * Issue 10 §5: shutdown that loses nothing, in the process (`app.close()`, what SIGTERM and a test
 * suite's `mock.close()` call); sigterm-exit.test.ts checks the real process's exit.
 */

/** Real latency: what is under test is how closing the app cuts a real wait short. */
async function serve(t: Test, env: Record<string, string>): Promise<{ app: App; logs: LogCapture; port: number }> {
  const { app, logs } = await startTestApp(t, { env, latency: 'real' })
  return { app, logs, port: (await listenLocally({ app })).port }
}

const userInfo = (extra: Record<string, string> = {}) =>
  rawRequest([
    `GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries({ ...carrierHeaders(Date.now()), ...extra }).map(([name, value]) => `${name}: ${value}`),
  ])

/** Resolves once the server holds `count` connections and has read the requests written to them. */
async function inFlight(app: App, count: number): Promise<void> {
  const open = () => new Promise<number>((resolve) => app.server.getConnections((_error, n) => resolve(n)))
  const deadline = performance.now() + 2_000
  while ((await open()) < count) {
    if (performance.now() > deadline) throw new Error(`fewer than ${count} connections open`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  // A probe on another connection, answered, means the server has read what was sent before it.
  const probe = await RawConnection.open((app.server.address() as AddressInfo).port)
  probe.write(HEALTH_REQUEST)
  await probe.answer(0)
  probe.destroy()
}

t.test('close(): slowed requests are answered at once with Connection: close; idle, dawdling and hung connections close', async (t) => {
  const { app, logs, port } = await serve(t, { MOCK_SHUTDOWN_GRACE_MS: '5000' })
  const slowed = await RawConnection.open(port)
  slowed.write(userInfo({ 'x-mock-fault': 'latency=60000' }))
  const dribbled = await RawConnection.open(port)
  dribbled.write(userInfo({ 'x-mock-fault': 'connection=slow; latency=60000' }))
  const pipelined = await RawConnection.open(port)
  pipelined.write(userInfo({ 'x-mock-fault': 'latency=60000' }) + userInfo({ 'x-mock-fault': 'latency=60000' }))
  const idle = await RawConnection.open(port)
  idle.write(HEALTH_REQUEST)
  await idle.answer(0)
  const dawdling = await RawConnection.open(port)
  dawdling.write('GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
  const silent = await RawConnection.open(port)
  const hung = await RawConnection.open(port)
  hung.write(userInfo({ 'x-mock-fault': 'connection=hang' }))
  await inFlight(app, 7)

  const closingAt = performance.now()
  const closed = app.close()
  const answerOf = async (connection: RawConnection, n = 0) => {
    const answer = await connection.answer(n, 1_000)
    return { statusCode: answer.statusCode, connection: answer.headers.connection, body: JSON.parse(answer.body) as Record<string, unknown> }
  }
  const share = { code: 0, msg: 'Success' }
  t.match(await answerOf(slowed), { statusCode: 200, connection: 'close', body: share }, 'a request slowed by latencyMs is answered, Connection: close')
  t.match(await answerOf(dribbled), { statusCode: 200, body: share }, 'a dribbled body arrives whole')
  t.match(await answerOf(pipelined, 0), { statusCode: 200, connection: 'keep-alive', body: share }, 'the first of two pipelined requests: answered, keep-alive (another follows)')
  t.match(await answerOf(pipelined, 1), { statusCode: 200, connection: 'close', body: share }, 'the last one: answered, Connection: close')
  t.ok(performance.now() - closingAt < 500, `all answered within ${Math.round(performance.now() - closingAt)} ms of close()`)
  for (const [what, connection] of [['slowed', slowed], ['dribbled', dribbled], ['pipelined', pipelined], ['idle', idle], ['dawdling', dawdling], ['silent', silent], ['hung', hung]] as const) {
    await connection.closedWithin(1_000)
    t.pass(`the ${what} connection is closed by the server`)
  }
  t.equal(dawdling.received.length + silent.received.length + hung.received.length, 0, 'nothing written to the dawdling, silent and hung ones')
  await guard(closed, 1_000, 'close() did not end')
  t.ok(performance.now() - closingAt < 1_000, `close() ended after ${Math.round(performance.now() - closingAt)} ms, well within the grace`)
  const draining = logs.lines.find((line) => line.msg === 'draining: answering the requests in flight')
  t.match(draining, { level: 30, graceMs: 5000 }, 'one line says the server drains')
  t.ok((draining?.closedConnections as number) >= 3, `the idle, dawdling and silent connections among the ${String(draining?.closedConnections)} closed at once`)
  t.notOk(logs.lines.some((line) => (line.level as number) >= 40), 'no warning: nothing outlasted the grace')
})

t.test('close() with MOCK_LATENCY_MS: the baseline latency ends at once too', async (t) => {
  const { app, port } = await serve(t, { MOCK_LATENCY_MS: '60000' })
  const slowed = await RawConnection.open(port)
  slowed.write(userInfo())
  await inFlight(app, 1)
  const closed = app.close()
  const answer = await slowed.answer(0, 1_000)
  t.equal(answer.statusCode, 200)
  t.equal(answer.headers.connection, 'close')
  await guard(closed, 1_000, 'close() did not end')
})

t.test('close(): a slow upload keeps the grace to finish, then is closed; close() ends after MOCK_SHUTDOWN_GRACE_MS', async (t) => {
  const { app, logs, port } = await serve(t, { MOCK_SHUTDOWN_GRACE_MS: '300' })
  const finishing = await RawConnection.open(port)
  const body = JSON.stringify({ shortUrl: '1822239307136816339' })
  const head = rawRequest(['POST /koodrive/ose/v1/share/verify HTTP/1.1', 'Host: 127.0.0.1', ...Object.entries(carrierHeaders(Date.now())).map(([n, v]) => `${n}: ${v}`), `Content-Length: ${body.length}`])
  finishing.write(head + body.slice(0, 5))
  const stalled = await RawConnection.open(port)
  stalled.write(head + body.slice(0, 5))
  await inFlight(app, 2)

  const closingAt = performance.now()
  const closed = app.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  finishing.write(body.slice(5))
  const answer = await finishing.answer(0, 1_000)
  t.equal(answer.statusCode, 400, 'a body that arrives within the grace is answered (this one lacks extractCode: 400)')
  t.equal(answer.headers.connection, 'close', 'Connection: close')
  const stalledFor = (await stalled.closedWithin(1_000)) - (closingAt - stalled.openedAtMs)
  t.ok(stalledFor >= 280 && stalledFor < 800, `the stalled upload is closed ${Math.round(stalledFor)} ms after close() began`)
  await guard(closed, 1_000, 'close() did not end after the grace')
  t.match(logs.lines.find((line) => line.level === 40), { msg: 'shutdown grace over (MOCK_SHUTDOWN_GRACE_MS=300): closing the connections still being answered' })
  const abandoned = () => logs.lines.some((line) => line.msg === 'request abandoned: the connection closed before its body arrived')
  await eventually(abandoned, 1_000, 'the stalled upload was not logged as abandoned')
  t.notOk(logs.lines.some((line) => (line.level as number) >= 50), 'no error line: the stalled upload is logged as abandoned')
})
