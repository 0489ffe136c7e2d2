import type { IncomingMessage, ServerResponse } from 'node:http'
import t, { type Test } from 'tap'
import type { App } from '../../src/app.js'
import { listenLocally, startTestApp } from '../helpers/app.js'
import type { LogCapture } from '../helpers/logs.js'
import { carrierHeaders, USER_INFO_URL } from '../helpers/requests.js'
import { REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { eventually, RawConnection, rawRequest, type RawAnswer } from './raw-sockets.js'

/**
 * Issue 10 §8 and §9: answers that came from Fastify, @fastify/static or Node instead of the
 * emulator (Swagger UI's refusals, a request without Host) are in the vendor's envelope; a client
 * that abandons an upload is one log line, not an error with a stack, and nothing is written back.
 */

/** On a real socket, with real latency: a `slow` answer must really be under way when the next bytes arrive. */
async function serve(t: Test, env: Record<string, string> = {}): Promise<{ app: App; logs: LogCapture; port: number; url: string }> {
  const { app, logs } = await startTestApp(t, { env, latency: 'real' })
  return { app, logs, ...(await listenLocally({ app })) }
}

const NOT_FOUND = 'The API does not exist or has not been published in the environment'

async function envelopeOf(res: Response): Promise<{ status: number; body: unknown; requestId: string | null }> {
  return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') }
}

t.test('Swagger UI\'s refusals are gateway envelopes with the X-Request-Id', async (t) => {
  const { url } = await serve(t)
  // Make sure the docs instance is built, so the cases below reach it.
  t.equal((await fetch(`${url}/__admin/docs/static/index.css`)).status, 200, 'a file Swagger UI has: 200')
  const cases: [string, string, RequestInit, number, string, string][] = [
    ['a path @fastify/static refuses (an empty segment)', '/__admin/docs/static//index.css', {}, 404, 'APIGW.0101', `${NOT_FOUND}: GET /__admin/docs/static//index.css`],
    ['a file it does not have', '/__admin/docs/static/nothing.js', {}, 404, 'APIGW.0101', `${NOT_FOUND}: GET /__admin/docs/static/nothing.js`],
    ['a route it does not have', '/__admin/docs/nothing-here', {}, 404, 'APIGW.0101', `${NOT_FOUND}: GET /__admin/docs/nothing-here`],
    ['a Range past the end', '/__admin/docs/static/index.css', { headers: { range: 'bytes=99999999-' } }, 416, 'APIGW.0201', 'Range Not Satisfiable: GET /__admin/docs/static/index.css'],
    ['a precondition that fails', '/__admin/docs/static/index.css', { headers: { 'if-match': '"not-this-one"' } }, 412, 'APIGW.0201', 'Precondition Failed: GET /__admin/docs/static/index.css'],
  ]
  for (const [what, path, init, status, errorCode, errorMsg] of cases) {
    const { status: got, body, requestId } = await envelopeOf(await fetch(`${url}${path}`, init))
    t.match(requestId, REQUEST_ID_PATTERN, `${what}: X-Request-Id`)
    t.strictSame({ got, body }, { got: status, body: { error_code: errorCode, error_msg: errorMsg, request_id: requestId } }, `${what}: ${status} ${errorCode}`)
  }
})

/** One raw request on a new connection, and its answer. */
async function exchange(port: number, request: string): Promise<RawAnswer> {
  const connection = await RawConnection.open(port)
  connection.write(request)
  const answer = await connection.answer(0)
  connection.destroy()
  return answer
}

function assertHostRequired(t: Test, answer: RawAnswer, what: string): void {
  t.equal(answer.statusCode, 400, `${what}: 400`)
  t.match(answer.headers['x-request-id'], REQUEST_ID_PATTERN, `${what}: X-Request-Id`)
  t.strictSame(JSON.parse(answer.body), { code: 13000102, msg: 'Parameter invalid: header Host is required (HTTP/1.1)' }, `${what}: 13000102 naming Host`)
}

const kooDriveLines = (overrides: Record<string, string | undefined> = {}) => Object.entries(carrierHeaders(Date.now(), overrides)).map(([name, value]) => `${name}: ${value}`)

t.test('an HTTP/1.1 request without Host gets 400 13000102 naming it, not Node\'s bare 400', async (t) => {
  const { port } = await serve(t)
  assertHostRequired(t, await exchange(port, rawRequest(['GET /__admin/health HTTP/1.1'])), 'the admin API')
  assertHostRequired(t, await exchange(port, rawRequest([`GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`, ...kooDriveLines()])), 'a carrier KooDrive route')
  t.equal((await exchange(port, rawRequest(['GET /__admin/health HTTP/1.0']))).statusCode, 200, 'HTTP/1.0 needs no Host')
  t.equal((await exchange(port, rawRequest(['GET /__admin/health HTTP/1.1', 'Host: 127.0.0.1']))).statusCode, 200, 'with Host: 200')
})

t.test('enterprise: KooDrive routes check Host among their own header rules, in their order', async (t) => {
  const { port } = await serve(t, { MOCK_API_VARIANT: 'enterprise' })
  const noAuthorization = await exchange(port, rawRequest([`GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`, ...kooDriveLines({ authorization: undefined })]))
  t.equal(noAuthorization.statusCode, 401, 'no Host and no Authorization: the token is checked first, 401')
  t.equal((JSON.parse(noAuthorization.body) as { error_code: string }).error_code, 'APIGW.0301')
  const noHost = await exchange(port, rawRequest([`GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`, ...kooDriveLines()]))
  t.strictSame(JSON.parse(noHost.body), { code: 13000102, msg: 'Parameter invalid: header Host is required' }, 'then the enterprise rule names Host')
  assertHostRequired(t, await exchange(port, rawRequest(['GET /__admin/health HTTP/1.1'])), 'the admin API')
})

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
