import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { discardBody } from '../../src/http/body-drain.js'
import { RawConnection } from '../hardening/raw-sockets.js'

const MAX_BYTES = 1000
const IDLE_MS = 50

/** A server whose handler runs `drain` on each request and answers with what it resolved to. */
async function drainingServer(t: Test, drain: (request: IncomingMessage) => Promise<boolean>): Promise<{ port: number; results: boolean[] }> {
  const results: boolean[] = []
  const server = createServer((request, response) => {
    void drain(request).then((drained) => {
      results.push(drained)
      response.end(String(drained))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { port: (server.address() as AddressInfo).port, results }
}

const post = (headers: string[], body = '') => `POST / HTTP/1.1\r\nHost: x\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n${body}`
const chunk = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`

t.test('a body within the bound is read to its end: true', async (t) => {
  const { port } = await drainingServer(t, (request) => discardBody(request, MAX_BYTES, IDLE_MS))
  const client = await RawConnection.open(port)
  client.write(post(['Content-Length: 10']))
  await new Promise((resolve) => setTimeout(resolve, 10))
  client.write('0123456789')
  t.equal((await client.answer(0)).body, 'true')
  client.write(post(['Transfer-Encoding: chunked'], chunk('a'.repeat(600)) + chunk('b'.repeat(300)) + '0\r\n\r\n'))
  t.equal((await client.answer(1)).body, 'true', 'a chunked one too')
  client.destroy()
})

t.test('a body already read whole: true at once', async (t) => {
  const { port } = await drainingServer(t, async (request) => {
    for await (const piece of request) void piece
    return discardBody(request, 0, IDLE_MS)
  })
  const client = await RawConnection.open(port)
  client.write(post(['Content-Length: 5'], 'hello'))
  t.equal((await client.answer(0)).body, 'true')
  client.destroy()
})

t.test('a declared length over the bound is not read: false at once', async (t) => {
  const { port } = await drainingServer(t, (request) => discardBody(request, MAX_BYTES, 10_000))
  const client = await RawConnection.open(port)
  client.write(post([`Content-Length: ${MAX_BYTES + 1}`]))
  t.equal((await client.answer(0, 500)).body, 'false')
  client.destroy()
})

t.test('a chunked body that grows past the bound: false once it does', async (t) => {
  const { port } = await drainingServer(t, (request) => discardBody(request, MAX_BYTES, 10_000))
  const client = await RawConnection.open(port)
  client.write(post(['Transfer-Encoding: chunked'], chunk('a'.repeat(600))))
  await new Promise((resolve) => setTimeout(resolve, 10))
  client.write(chunk('b'.repeat(600)))
  t.equal((await client.answer(0, 500)).body, 'false')
  client.destroy()
})

t.test(`a body that stops for ${IDLE_MS} ms: false then`, async (t) => {
  const { port } = await drainingServer(t, (request) => discardBody(request, MAX_BYTES, IDLE_MS))
  const client = await RawConnection.open(port)
  client.write(post(['Content-Length: 10'], '01234'))
  t.equal((await client.answer(0, 1_000)).body, 'false')
  t.ok(performance.now() - client.openedAtMs >= IDLE_MS - 5, 'after the pause')
  client.destroy()
})

t.test('the client closes mid-body: false', async (t) => {
  const { port, results } = await drainingServer(t, (request) => discardBody(request, MAX_BYTES, 10_000))
  const client = await RawConnection.open(port)
  client.write(post(['Content-Length: 10'], '01234'))
  await new Promise((resolve) => setTimeout(resolve, 20))
  client.destroy()
  const deadline = performance.now() + 1_000
  while (results.length === 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  t.strictSame(results, [false])
})

t.test('a request already destroyed: false at once', async (t) => {
  const { port } = await drainingServer(t, (request) => {
    request.destroy()
    return discardBody(request, MAX_BYTES, 10_000)
  })
  const client = await RawConnection.open(port)
  client.write(post(['Content-Length: 10'], '01234'))
  await client.closedWithin(1_000)
  t.pass('the connection closed, the drain did not wait')
})
