import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { ConfigSchema } from '../../src/config.js'
import { carrierHeaders, packageExample, TASKS_URL, USER_INFO_URL } from '../helpers/requests.js'
import { RawConnection, rawRequest as rawHttp } from './raw-sockets.js'

/**
 * SIGTERM while ~200 requests are in flight: 10 keep-alive connections, each with 20 requests
 * pipelined on it (so all 200 are with the server at once, two in three slowed by
 * `X-Mock-Fault: latency=300`). Every one must be answered 200, a new connection must be refused
 * once the server stops listening, and the process must exit 0 within 2 s.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const STARTUP_TIMEOUT_MS = 15_000
const CONNECTIONS = 10
const PIPELINED = 20

function guard<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}

async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  probe.close()
  await once(probe, 'close')
  return port
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Milliseconds from SIGTERM (or from start, when no SIGTERM was sent). */
  afterMs: number
}

/** src/server.ts as a real process, with tap's TypeScript loader (process.execArgv), as test/server.test.ts runs it. */
class ServerProcess {
  readonly child: ChildProcess
  readonly lines: Record<string, unknown>[] = []
  stderr = ''
  sigtermAtMs = performance.now()
  readonly exited: Promise<Exit>

  constructor(env: Record<string, string>) {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in ConfigSchema.properties)))
    this.child = spawn(process.execPath, [...process.execArgv, 'src/server.ts'], { cwd: REPO_ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        this.lines.push({ text: line })
      }
    })
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      afterMs: Math.round(performance.now() - this.sigtermAtMs),
    }))
  }

  async waitForLine(predicate: (line: Record<string, unknown>) => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs
    while (!this.lines.some(predicate)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the server exited before ${what}; stderr: ${this.stderr}`)
      if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  sigterm(): void {
    this.sigtermAtMs = performance.now()
    this.child.kill('SIGTERM')
  }

  killIfRunning(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}

async function startServer(t: Test, env: Record<string, string> = {}): Promise<{ server: ServerProcess; port: number }> {
  const port = await freePort()
  const server = new ServerProcess({ PORT: String(port), HOST: '127.0.0.1', MOCK_RANDOM_SEED: '42', ...env })
  t.teardown(() => server.killIfRunning())
  await server.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('koodrive-mock ready'), 'the ready line', STARTUP_TIMEOUT_MS)
  return { server, port }
}

interface Answer {
  statusCode: number
  body: string
}

/**
 * A keep-alive connection with `PIPELINED` requests written to it at once, and the answers read
 * back in order (HTTP/1.1 pipelining: each answer has a Content-Length).
 */
/** A promise with its resolve and reject (Promise.withResolvers is Node 22+). */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve: () => void = () => {}
  let reject: (error: Error) => void = () => {}
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

class PipelinedConnection {
  readonly answers: Answer[] = []
  closed = false
  error: string | undefined
  /** Resolves at the first answer. */
  readonly firstAnswer: Promise<void>
  /** Resolves once every answer is in; rejects when the connection closes before. */
  readonly allAnswers: Promise<void>
  #buffer = Buffer.alloc(0)

  constructor(
    readonly socket: Socket,
    readonly expected: number,
  ) {
    const first = deferred()
    const all = deferred()
    this.firstAnswer = first.promise
    this.allAnswers = all.promise
    // Either may end up unused (a test that gives up early): never an unhandled rejection.
    this.firstAnswer.catch(() => undefined)
    this.allAnswers.catch(() => undefined)
    socket.on('data', (chunk: Buffer) => {
      this.#read(chunk)
      if (this.answers.length > 0) first.resolve()
      if (this.answers.length >= this.expected) all.resolve()
    })
    socket.on('error', (error) => {
      this.error = error.message
    })
    socket.on('close', () => {
      this.closed = true
      const problem = new Error(`closed after ${this.answers.length} of ${this.expected} answers (${this.error ?? 'no socket error'})`)
      first.reject(problem)
      all.reject(problem)
    })
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const headEnd = this.#buffer.indexOf('\r\n\r\n')
      if (headEnd < 0) return
      const head = this.#buffer.subarray(0, headEnd).toString('latin1')
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
      if (this.#buffer.length < headEnd + 4 + length) return
      const body = this.#buffer.subarray(headEnd + 4, headEnd + 4 + length).toString()
      this.#buffer = this.#buffer.subarray(headEnd + 4 + length)
      this.answers.push({ statusCode: Number(head.slice(9, 12)), body })
    }
  }
}

/**
 * One request as raw HTTP/1.1: createShareTask, two in three slowed by `X-Mock-Fault: latency=300`.
 * The first of each connection is fast, so its answer shows the server has the connection's requests.
 */
function rawRequest(connection: number, index: number): string {
  const body = JSON.stringify({ ...packageExample, zipName: `load-${connection}-${index}.zip` })
  const headers = carrierHeaders(Date.now(), index % 3 === 0 ? {} : { 'x-mock-fault': 'latency=300' })
  const lines = [`POST ${TASKS_URL} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: keep-alive', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)]
  return `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
}

/** Opens the connections, writes every request, and waits until each connection has its first answer. */
async function loadUp(port: number): Promise<PipelinedConnection[]> {
  const sockets = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const socket = connect(port, '127.0.0.1')
      await guard(once(socket, 'connect'), 5_000, 'could not connect')
      return socket
    }),
  )
  const pipelines = sockets.map((_, c) => Array.from({ length: PIPELINED }, (_, i) => rawRequest(c, i)).join(''))
  const connections = sockets.map((socket) => new PipelinedConnection(socket, PIPELINED))
  sockets.forEach((socket, c) => socket.write(pipelines[c] as string))
  // The slow requests behind each first answer (300 ms) are certainly still in flight then.
  await guard(Promise.all(connections.map((connection) => connection.firstAnswer)), 10_000, 'no first answer on every connection')
  return connections
}

const stillDue = (connections: PipelinedConnection[]) => connections.reduce((due, connection) => due + connection.expected - connection.answers.length, 0)

/** Tries new connections every 5 ms until one is refused; resolves with how many answers were still due then. */
async function refusedConnection(port: number, connections: PipelinedConnection[], timeoutMs: number): Promise<{ code: string; stillDue: number }> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const socket = connect(port, '127.0.0.1')
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'))
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    socket.destroy()
    if (outcome !== 'connected') return { code: outcome, stillDue: stillDue(connections) }
    if (performance.now() > deadline) return { code: 'still accepting connections', stillDue: -1 }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const successes = (connections: PipelinedConnection[]) =>
  connections.flatMap((connection) => connection.answers).filter((answer) => answer.statusCode === 200 && /^\{"code":0,"msg":"Success","taskId":"[1-9]\d{18}"\}$/.test(answer.body)).length

t.test('SIGTERM with 200 requests in flight on keep-alive connections: all answered, new connections refused, exit 0 within 2 s', { timeout: 40_000 }, async (t) => {
  const { server, port } = await startServer(t)
  const connections = await loadUp(port)
  t.teardown(() => connections.forEach((connection) => connection.socket.destroy()))

  const dueAtSigterm = stillDue(connections)
  server.sigterm()
  t.ok(dueAtSigterm >= CONNECTIONS * (PIPELINED - 1), `${dueAtSigterm} of ${CONNECTIONS * PIPELINED} requests in flight at SIGTERM`)
  await server.waitForLine((line) => line.msg === 'shutting down', 'the shutting down line', 2_000)
  const refused = await refusedConnection(port, connections, 1_000)
  t.equal(refused.code, 'ECONNREFUSED', `a new connection is refused once the server stops listening (${refused.stillDue} answers still due then)`)

  // The client keeps its keep-alive connections open, as a pool does: the server must close them.
  const answered = await guard(Promise.all(connections.map((connection) => connection.allAnswers)), 2_000, 'not every in-flight request was answered within 2 s').then(
    () => 'all answered',
    (error: Error) => error.message,
  )
  t.equal(answered, 'all answered', 'every connection got all its answers')
  t.equal(successes(connections), CONNECTIONS * PIPELINED, `all ${CONNECTIONS * PIPELINED} in-flight requests answered 200 with a task ID`)

  const exit = await guard(server.exited, 5_000, 'the server did not exit within 5 s of SIGTERM')
  t.strictSame({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `exit code 0 (exited after ${exit.afterMs} ms)`)
  t.ok(exit.afterMs < 2_000, `exits within 2 s of SIGTERM (${exit.afterMs} ms)`)
  t.equal(server.stderr, '', 'nothing on stderr')
})

t.test('the same load, but each client closes its connection once answered: exit 0 within 2 s', { timeout: 40_000 }, async (t) => {
  const { server, port } = await startServer(t)
  const connections = await loadUp(port)
  t.teardown(() => connections.forEach((connection) => connection.socket.destroy()))
  for (const connection of connections) void connection.allAnswers.then(() => connection.socket.end(), () => undefined)

  server.sigterm()
  const refused = await refusedConnection(port, connections, 1_000)
  t.equal(refused.code, 'ECONNREFUSED', 'a new connection is refused once the server stops listening')
  await guard(Promise.all(connections.map((connection) => connection.allAnswers)), 2_000, 'not every in-flight request was answered within 2 s')
  t.equal(successes(connections), CONNECTIONS * PIPELINED, `all ${CONNECTIONS * PIPELINED} in-flight requests answered 200 with a task ID`)
  const exit = await guard(server.exited, 5_000, 'the server did not exit within 5 s of SIGTERM')
  t.strictSame({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `exit code 0 (exited after ${exit.afterMs} ms)`)
  t.ok(exit.afterMs < 2_000, `exits within 2 s of SIGTERM (${exit.afterMs} ms)`)
  t.equal(server.stderr, '', 'nothing on stderr')
})

t.test('SIGTERM with work that would outlast the grace: slowed requests answered, Connection: close on each, hung and stalled sockets closed, exit 0', { timeout: 40_000 }, async (t) => {
  const GRACE_MS = 500
  const { server, port } = await startServer(t, { MOCK_SHUTDOWN_GRACE_MS: String(GRACE_MS) })
  const userInfo = (fault: string) =>
    rawHttp([
      `GET ${USER_INFO_URL}?shortUrl=1822239307136816339 HTTP/1.1`,
      'Host: 127.0.0.1',
      ...Object.entries(carrierHeaders(Date.now(), { 'x-mock-fault': fault })).map(([name, value]) => `${name}: ${value}`),
    ])
  // 50 keep-alive connections, each with a request slowed by 300 ms at SIGTERM (the 50 loops, at once).
  const keptAlive = await Promise.all(Array.from({ length: 50 }, () => RawConnection.open(port)))
  for (const connection of keptAlive) connection.write(userInfo('latency=300'))
  const minute = await RawConnection.open(port)
  minute.write(userInfo('latency=60000'))
  const hung = await RawConnection.open(port)
  hung.write(userInfo('connection=hang'))
  const stalled = await RawConnection.open(port)
  stalled.write(rawHttp(['POST /koodrive/ose/v1/share/verify HTTP/1.1', 'Host: 127.0.0.1', ...Object.entries(carrierHeaders(Date.now())).map(([n, v]) => `${n}: ${v}`), 'Content-Length: 100']) + '{"sh')
  t.teardown(() => [...keptAlive, minute, hung, stalled].forEach((connection) => connection.destroy()))
  // Every request is with the server once a probe on a new connection is answered after them.
  const probe = await RawConnection.open(port)
  probe.write(rawHttp(['GET /__admin/health HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close']))
  await probe.answer(0, 5_000)

  server.sigterm()
  const answers = await Promise.all(keptAlive.map((connection) => connection.answer(0, 2_000)))
  t.strictSame(
    [...new Set(answers.map((answer) => `${answer.statusCode} Connection: ${answer.headers.connection}`))],
    ['200 Connection: close'],
    'all 50 answered 200 with Connection: close, so no client sends another request on a closing connection',
  )
  await Promise.all(keptAlive.map((connection) => connection.closedWithin(2_000)))
  t.strictSame(keptAlive.map((connection) => connection.error).filter((error) => error !== undefined), [], 'each then closed by the server, none reset')
  const slowed = await minute.answer(0, 2_000)
  t.strictSame([slowed.statusCode, slowed.headers.connection], [200, 'close'], 'a request slowed by 60 s is answered at once')
  await hung.closedWithin(1_000)
  t.equal(hung.received.length, 0, 'the hung socket is closed without an answer')
  await stalled.closedWithin(GRACE_MS + 1_000)
  t.pass('the stalled upload is closed once the grace is over')

  const exit = await guard(server.exited, 5_000, 'the server did not exit within 5 s of SIGTERM')
  t.strictSame({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `exit code 0 (exited after ${exit.afterMs} ms)`)
  t.ok(exit.afterMs < GRACE_MS + 1_000, `exits within MOCK_SHUTDOWN_GRACE_MS + 1 s of SIGTERM (${exit.afterMs} ms)`)
  t.equal(server.stderr, '', 'nothing on stderr (no "killed by timeout")')
})
