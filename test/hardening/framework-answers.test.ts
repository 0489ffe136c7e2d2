import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp, carrierHeaders, USER_INFO_URL, type LogCapture } from '../helpers.js'
import { eventually, RawConnection, rawRequest } from './raw-sockets.js'

/**
 * Issue 10 §9: a client that abandons an upload is one log line, not an error with a stack, and
 * nothing is written back; a client error never splices an answer into one being sent.
 */

async function serve(t: Test, env: Record<string, string> = {}): Promise<{ app: App; logs: LogCapture; port: number; url: string }> {
  const { app, logs } = await buildTestApp(env)
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { app, logs, port, url: `http://127.0.0.1:${port}` }
}

const kooDriveLines = (overrides: Record<string, string | undefined> = {}) => Object.entries(carrierHeaders(Date.now(), overrides)).map(([name, value]) => `${name}: ${value}`)

const ABANDONED = 'request abandoned: the connection closed before its body arrived'

t.test('a client abandoning an upload: one info line, no error, no stack, nothing written back', async (t) => {
  const { app, logs, port } = await serve(t)
  const responses: ServerResponse[] = []
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => responses.push(response))
  const client = await RawConnection.open(port)
  client.write(rawRequest(['POST /koodrive/ose/v1/share/tasks HTTP/1.1', 'Host: 127.0.0.1', ...kooDriveLines(), 'Content-Length: 100000']) + '{"taskType":1,')
  await eventually(() => responses.length === 1, 1_000, 'the request did not reach the server')
  client.destroy()
  await eventually(() => logs.lines.some((line) => line.msg === ABANDONED), 1_000, 'no abandoned line')
  t.match(logs.lines.filter((line) => line.msg === ABANDONED), [{ level: 30, operation: 'createShareTask', method: 'POST', path: '/koodrive/ose/v1/share/tasks', contentLength: '100000' }])
  t.strictSame(logs.lines.filter((line) => (line.level as number) >= 40), [], 'no warning or error line')
  t.notMatch(JSON.stringify(logs.lines), /stack/, 'no stack anywhere')
  t.strictSame({ headersSent: responses[0]?.headersSent, writableEnded: responses[0]?.writableEnded }, { headersSent: false, writableEnded: false }, 'no answer was started')
  t.strictSame(logs.lines.filter((line) => line.msg === 'request'), [], 'and no request line claims one')
})

t.test('a malformed request pipelined behind an answer being sent closes the connection without splicing an error into that answer', async (t) => {
  const { port } = await serve(t)
  const client = await RawConnection.open(port)
  client.write(rawRequest([`GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`, 'Host: 127.0.0.1', ...kooDriveLines({ 'x-mock-fault': 'connection=slow; latency=400' })]))
  await eventually(() => client.received.includes('\r\n\r\n'), 1_000, 'the slow answer did not start')
  client.write('NOT HTTP AT ALL\r\n\r\n')
  await client.closedWithin(1_000)
  const text = client.received.toString('latin1')
  t.equal(text.split('HTTP/1.1 ').length - 1, 1, 'one status line: the answer that was under way')
  t.notMatch(text, /Bad request/, 'no error envelope written into it')
})
