import { createServer } from 'node:http'
import { Socket, type AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { clientErrorReply } from '../src/error-replies.js'
import { checkFaultRules, FaultRuleError } from '../src/faults/rule-check.js'
import { FAULTABLE_OPERATIONS } from '../src/koodrive/operations.js'
import { AdminApiError, AdminClient } from '../src/testing/admin-client.js'

/** clientErrorReply as the app wires it, for a server with no request in flight. */
const replyWithIds = (id: string) =>
  clientErrorReply({
    nextRequestId: () => id,
    mayWriteTo: () => true,
    isReadingBody: () => false,
    timeouts: { MOCK_HEADERS_TIMEOUT_MS: 10_000, MOCK_REQUEST_TIMEOUT_MS: 30_000, MOCK_KEEP_ALIVE_TIMEOUT_MS: 5_000 },
  })

/** A socket whose written bytes the test reads back. */
function capturingSocket(): { socket: Socket; written: () => string } {
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const socket = new Socket()
  socket.end = ((data: string) => {
    sink.write(data)
    return socket
  }) as Socket['end']
  Object.defineProperty(socket, 'writable', { value: true })
  return { socket, written: () => Buffer.concat(chunks).toString() }
}

t.test('a parser error without a code still gets 13000101 naming what Node said', async (t) => {
  const { socket, written } = capturingSocket()
  replyWithIds('a'.repeat(32))(new Error('Parse Error: odd'), socket)
  const [head, body] = written().split('\r\n\r\n')
  t.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(head, /\r\nX-Request-Id: a{32}\r\n/)
  t.strictSame(JSON.parse(body as string), { code: 13000101, msg: 'Bad request: the request is not valid HTTP (Parse Error: odd)' })
})

t.test('a parser error on a reset or closed socket destroys it without writing', async (t) => {
  for (const [what, error, writable] of [
    ['a reset', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
    ['a closed socket', Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }), false],
  ] as const) {
    const socket = new Socket()
    Object.defineProperty(socket, 'writable', { value: writable })
    let destroyed = false
    socket.destroy = (() => {
      destroyed = true
      return socket
    }) as Socket['destroy']
    replyWithIds('b'.repeat(32))(error, socket)
    t.ok(destroyed, `${what}: destroyed`)
  }
})

t.test('a fault rule error deep in a tuple names the item', async (t) => {
  try {
    checkFaultRules([{ latencyMs: [1, 'x'] }], 'rules', FAULTABLE_OPERATIONS)
    t.fail('accepted')
  } catch (error) {
    t.type(error, FaultRuleError)
    t.strictSame((error as FaultRuleError).problems, ['rules[0].latencyMs: milliseconds: fixed, or [min, max] drawn uniformly (seeded)'])
  }
})

t.test('the admin client carries a non-JSON error body as text', async (t) => {
  const proxy = createServer((_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' })
    response.end('<html>bad gateway</html>')
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => proxy.close(() => resolve())))
  const client = new AdminClient(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)
  await t.rejects(client.ready(), new AdminApiError(502, '<html>bad gateway</html>'))
  try {
    await client.ready()
  } catch (error) {
    t.equal((error as AdminApiError).body, '<html>bad gateway</html>')
    t.equal((error as AdminApiError).status, 502)
  }
})
