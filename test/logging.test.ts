import { once } from 'node:events'
import { Writable } from 'node:stream'
import t from 'tap'
import { createLogger } from '../src/logging.js'
import { startTestApp } from './helpers/app.js'
import { LogCapture } from './helpers/logs.js'
import { carrierHeaders, TASKS_URL, vendorExample } from './helpers/requests.js'

/** Collects raw text, for output that is not JSON. */
class TextCapture extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString()
    this.emit('text')
    done()
  }
}

/** A log line with the fields that change from run to run replaced by markers, when they have the right type. */
function stable(line: Record<string, unknown> | undefined): Record<string, unknown> {
  if (line === undefined) return {}
  return {
    ...line,
    time: typeof line.time === 'number' ? '<epoch ms>' : line.time,
    pid: line.pid === process.pid ? '<pid>' : line.pid,
    hostname: typeof line.hostname === 'string' ? '<hostname>' : line.hostname,
  }
}

/** What stable() leaves of pino's own fields. */
const BASE = { time: '<epoch ms>', pid: '<pid>', hostname: '<hostname>' }

/** Colours depend on the terminal; the text does not. */
// eslint-disable-next-line no-control-regex -- the escape character is what a colour code starts with
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g

const SECRET_TOKEN = 'aea2968ec8cfac338cd4647f071c44644c491d0a2039cd6c'

t.test('writes one JSON line per entry to the given stream', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs })
  log.info({ taskId: '1' }, 'task %s created', 'one')
  t.equal(logs.lines.length, 1)
  t.strictSame(stable(logs.lines[0]), { ...BASE, level: 30, taskId: '1', msg: 'task one created' })
})

t.test('writes nothing below the configured level', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'warn' }, { stream: logs })
  t.equal(log.level, 'warn')
  log.debug('d')
  log.info('i')
  log.warn('w')
  log.error('e')
  t.strictSame(logs.lines.map((line) => [line.level, line.msg]), [[40, 'w'], [50, 'e']])
})

t.test('silent writes nothing at all', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'silent' }, { stream: logs })
  log.fatal('f')
  t.strictSame(logs.lines, [])
})

t.test('trace and debug lines are written when the level asks for them', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'trace' }, { stream: logs })
  log.trace('t')
  log.debug('d')
  t.strictSame(logs.lines.map((line) => [line.level, line.msg]), [[10, 't'], [20, 'd']])
})

t.test('redacts the authorization header, kdstoken and extract codes, at the top and one level down', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs })
  log.info(
    {
      headers: { authorization: 'Bearer secret', 'x-user-id': 'u1' },
      body: {
        kdstoken: SECRET_TOKEN,
        extractCode: '1234',
        shareId: '1689765568237837824',
        share: { kdstoken: SECRET_TOKEN, extractCode: '5678', id: 's1' },
      },
    },
    'request',
  )
  t.strictSame(stable(logs.lines[0]), {
    ...BASE,
    level: 30,
    headers: { authorization: '[Redacted]', 'x-user-id': 'u1' },
    body: {
      kdstoken: '[Redacted]',
      extractCode: '[Redacted]',
      shareId: '1689765568237837824',
      share: { kdstoken: '[Redacted]', extractCode: '[Redacted]', id: 's1' },
    },
    msg: 'request',
  })
})

t.test('redacts secret names at any depth and in any case, in arrays too, and a secret field itself', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs })
  log.info({ body: { meta: { KdsToken: SECRET_TOKEN }, list: [{ extractCode: '31945314' }, [{ AUTHORIZATION: 'x' }]] }, token: 'admin-secret', n: 1 }, 'nested')
  t.strictSame(stable(logs.lines[0]), {
    ...BASE,
    level: 30,
    body: { meta: { KdsToken: '[Redacted]' }, list: [{ extractCode: '[Redacted]' }, [{ AUTHORIZATION: '[Redacted]' }]] },
    token: '[Redacted]',
    n: 1,
    msg: 'nested',
  })
})

t.test('an error keeps its message and stack: it is not data to redact', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs })
  log.error({ err: new Error('boom'), nothing: null }, 'failed')
  t.match(logs.lines[0], { err: { type: 'Error', message: 'boom', stack: /^Error: boom/ }, nothing: null, msg: 'failed' })
})

t.test('redaction leaves the logged object itself untouched', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs })
  const body = { kdstoken: SECRET_TOKEN }
  log.info({ body }, 'request')
  t.strictSame(body, { kdstoken: SECRET_TOKEN })
})

t.test('child loggers redact too', async (t) => {
  const logs = new LogCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: logs }).child({ reqId: 'r1' })
  log.info({ headers: { authorization: 'Bearer secret' } }, 'request')
  t.strictSame(stable(logs.lines[0]), {
    ...BASE,
    level: 30,
    reqId: 'r1',
    headers: { authorization: '[Redacted]' },
    msg: 'request',
  })
})

t.test('pretty output is human-readable text on the given stream, still redacted', async (t) => {
  const out = new TextCapture()
  const log = createLogger({ LOG_LEVEL: 'info' }, { stream: out, pretty: true })
  const written = once(out, 'text')
  log.info({ body: { kdstoken: SECRET_TOKEN } }, 'hello from pretty')
  await written
  const text = out.text.replace(ANSI_COLOUR, '')
  t.throws(() => JSON.parse(text), SyntaxError, 'not JSON')
  t.match(text, /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(\d+\): hello from pretty\n {4}body: \{\n {6}"kdstoken": "\[Redacted\]"\n {4}\}\n$/)
  t.notMatch(text, SECRET_TOKEN)
})

t.test('pretty output also honours the level', async (t) => {
  const out = new TextCapture()
  const log = createLogger({ LOG_LEVEL: 'error' }, { stream: out, pretty: true })
  const written = once(out, 'text')
  log.info('not shown')
  log.error('shown')
  await written
  t.match(out.text.replace(ANSI_COLOUR, ''), /^\[[\d:.]+\] ERROR \(\d+\): shown\n$/)
})

t.test('without a stream the logger writes to standard output', async (t) => {
  // Silent, so nothing lands in the TAP stream: this pins that both forms build a working logger.
  const plain = createLogger({ LOG_LEVEL: 'silent' })
  t.equal(plain.level, 'silent')
  plain.fatal('never written')
  const pretty = createLogger({ LOG_LEVEL: 'silent' }, { pretty: true })
  t.equal(pretty.level, 'silent')
  pretty.fatal('never written')
})

t.test('at debug level the request line carries the body, with its secrets redacted', async (t) => {
  const { app, clock, logs } = await startTestApp(t, { env: { LOG_LEVEL: 'debug' } })
  const res = await app.inject({
    method: 'POST',
    url: TASKS_URL,
    headers: carrierHeaders(clock.now()),
    payload: { ...vendorExample, targetFileId: { ...vendorExample.targetFileId } },
  })
  t.equal(res.statusCode, 200)
  const request = logs.lines.find((line) => line.msg === 'request')
  t.strictSame(request?.body, { ...vendorExample, kdstoken: '[Redacted]' })
  t.notOk(JSON.stringify(logs.lines).includes(SECRET_TOKEN), 'the token appears in no line')
  t.notOk(JSON.stringify(logs.lines).includes('test-token'), 'nor does the bearer token')
})

t.test('at info level the request line leaves the body out', async (t) => {
  const { app, clock, logs } = await startTestApp(t, { env: { LOG_LEVEL: 'info' } })
  await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: vendorExample })
  const request = logs.lines.find((line) => line.msg === 'request')
  t.ok(request, 'a request line is written')
  t.notOk(request !== undefined && 'body' in request)
})
