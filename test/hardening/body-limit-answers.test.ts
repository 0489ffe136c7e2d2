import t, { type Test } from 'tap'
import { DRAIN_IDLE_MS } from '../../src/http/body-drain.js'
import { listenLocally, startTestApp } from '../helpers/app.js'
import type { LogCapture } from '../helpers/logs.js'
import { carrierHeaders, TASKS_URL } from '../helpers/requests.js'
import { eventually, fetchOutcomesFromWorker, RawConnection, rawRequest } from './raw-sockets.js'

/**
 * Issue 10 §4: a 413 that clients can read. The server reads and throws away the rest of a body
 * over MOCK_BODY_LIMIT before it answers and closes; closing while the client still sends made its
 * kernel reset the connection, and Node's fetch saw EPIPE instead of the 413 about half the time.
 */

const BODY_LIMIT = 64 * 1024
const BODY_BYTES = 4 * 1024 * 1024
const TRIES = 20

async function serve(t: Test, env: Record<string, string> = {}): Promise<{ url: string; port: number; logs: LogCapture }> {
  const { app, logs } = await startTestApp(t, { env: { MOCK_BODY_LIMIT: String(BODY_LIMIT), ...env } })
  return { ...(await listenLocally({ app })), logs }
}

const tally = (url: string, chunked: boolean) =>
  fetchOutcomesFromWorker({ url: `${url}${TASKS_URL}`, headers: carrierHeaders(Date.now()), bytes: BODY_BYTES, tries: TRIES, chunked })

const EXPECTED = '413 APIGW.0201 Request entity too large, request_id = X-Request-Id, Connection: close'

t.test(`fetch with a ${BODY_BYTES} B Content-Length body over a ${BODY_LIMIT} B limit reads the 413 envelope ${TRIES} times out of ${TRIES}`, async (t) => {
  const { url } = await serve(t)
  t.strictSame(await tally(url, false), { [EXPECTED]: TRIES })
})

t.test(`fetch with a streamed (chunked) body over the limit reads the 413 envelope ${TRIES} times out of ${TRIES}`, async (t) => {
  const { url } = await serve(t)
  t.strictSame(await tally(url, true), { [EXPECTED]: TRIES })
})

const rawTasks = (contentLength: number, body: string) =>
  rawRequest([`POST ${TASKS_URL} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(carrierHeaders(Date.now())).map(([n, v]) => `${n}: ${v}`), `Content-Length: ${contentLength}`]) + body

t.test('a declared length over MOCK_BODY_DRAIN_BYTES is not read: 413 at once', async (t) => {
  const { port } = await serve(t, { MOCK_BODY_DRAIN_BYTES: String(BODY_BYTES) })
  const client = await RawConnection.open(port)
  client.write(rawTasks(BODY_BYTES + 1, '{}'))
  const answer = await client.answer(0, 500)
  t.equal(answer.statusCode, 413)
  t.equal(answer.headers.connection, 'close')
  t.ok((await client.closedWithin(500)) < 500, 'answered and closed without waiting for the body')
})

t.test(`a client that declares more than it sends gets its 413 once the body stops for ${DRAIN_IDLE_MS} ms`, async (t) => {
  const { port } = await serve(t)
  const client = await RawConnection.open(port)
  client.write(rawTasks(BODY_LIMIT + 1, '{}'))
  const answer = await client.answer(0, DRAIN_IDLE_MS + 1_000)
  const after = performance.now() - client.openedAtMs
  t.equal(answer.statusCode, 413)
  t.ok(after >= DRAIN_IDLE_MS - 50 && after < DRAIN_IDLE_MS + 500, `answered after ${Math.round(after)} ms`)
  await client.closedWithin(500)
})

t.test('a client that gives up while its over-limit body is being read: logged as abandoned, nothing answered', async (t) => {
  const { port, logs } = await serve(t)
  const client = await RawConnection.open(port)
  client.write(rawTasks(BODY_LIMIT * 2, ' '.repeat(BODY_LIMIT + 10)))
  await new Promise((resolve) => setTimeout(resolve, 100))
  client.destroy()
  const abandoned = 'request abandoned: the connection closed before its body arrived'
  await eventually(() => logs.lines.some((line) => line.msg === abandoned), 1_000, 'no abandoned line')
  t.strictSame(logs.lines.filter((line) => (line.level as number) >= 40), [], 'no warning or error')
  t.strictSame(logs.lines.filter((line) => line.msg === 'request'), [], 'no answer logged')
})
