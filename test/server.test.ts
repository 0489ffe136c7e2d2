import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter, once } from 'node:events'
import { request, type IncomingMessage } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import packageJson from '../package.json' with { type: 'json' }
import { ConfigSchema } from '../src/config.js'
import { helpText } from '../src/cli.js'
import { startTestApp } from './helpers/app.js'
import { carrierHeaders, TASKS_URL, vendorExample } from './helpers/requests.js'

/** Start-up of a child with the TypeScript loader takes about a second; a hang must fail, not block. */
const STARTUP_TIMEOUT_MS = 15_000
const TEST_TIMEOUT_MS = 30_000
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** A free TCP port on the loopback interface, found by letting the OS pick one. */
async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  probe.close()
  await once(probe, 'close')
  return port
}

/** Rejects after `ms` with `message`, so a wait that never ends fails the test instead. */
function guard<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}

/** `src/server.ts` running as a real process, with its log lines parsed as they arrive. */
class ServerProcess {
  readonly child: ChildProcess
  /** Every stdout line, parsed as JSON where it is JSON. */
  readonly lines: Record<string, unknown>[] = []
  /** Stdout lines that were not JSON. */
  readonly textLines: string[] = []
  stderr = ''
  readonly closed: Promise<Exit>
  readonly #events = new EventEmitter()
  #hasClosed = false

  constructor(env: Record<string, string>, nodeArgs: string[] = [], args: string[] = []) {
    // The child's configuration is exactly `env`: no PORT or LOG_LEVEL leaks in from the shell running the tests.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in ConfigSchema.properties)))
    // process.execArgv holds tap's TypeScript loader and coverage hooks, so the child runs src/ as is and is measured.
    this.child = spawn(process.execPath, [...process.execArgv, ...nodeArgs, 'src/server.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        this.textLines.push(line)
      }
      this.#events.emit('line')
    })
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    this.closed = once(this.child, 'close').then(([code, signal]) => {
      this.#hasClosed = true
      this.#events.emit('line')
      return { code: code as number | null, signal: signal as NodeJS.Signals | null }
    })
  }

  /** The first log line matching `predicate`, waiting for it if need be. */
  waitForLine(predicate: (line: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    const found = new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = (): void => {
        const line = this.lines.find(predicate)
        if (line !== undefined) {
          this.#events.off('line', check)
          resolve(line)
        } else if (this.#hasClosed) {
          this.#events.off('line', check)
          reject(new Error(`the server exited before ${what}; stderr: ${this.stderr}`))
        }
      }
      this.#events.on('line', check)
      check()
    })
    return guard(found, STARTUP_TIMEOUT_MS, `no ${what} within ${STARTUP_TIMEOUT_MS} ms; stderr: ${this.stderr}`)
  }

  waitForReady(): Promise<Record<string, unknown>> {
    return this.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('koodrive-mock ready'), 'the ready line')
  }

  /** Kills the process if a test left it running, so a failed test cannot leave one behind. */
  killIfRunning(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}

function startServer(t: { teardown: (fn: () => void) => void }, env: Record<string, string>, nodeArgs: string[] = [], args: string[] = []): ServerProcess {
  const server = new ServerProcess(env, nodeArgs, args)
  t.teardown(() => server.killIfRunning())
  return server
}

/** A log line with the fields that change from run to run replaced by markers, when they have the right type. */
function stable(line: Record<string, unknown>, pid: number | undefined): Record<string, unknown> {
  return {
    ...line,
    time: typeof line.time === 'number' ? '<epoch ms>' : line.time,
    pid: line.pid === pid ? '<pid>' : line.pid,
    hostname: typeof line.hostname === 'string' ? '<hostname>' : line.hostname,
  }
}
const BASE = { time: '<epoch ms>', pid: '<pid>', hostname: '<hostname>' }

/** A Node option that runs `code` before src/server.ts: the only way to reach the paths a healthy start never takes. */
function preload(code: string): string {
  return `--import=data:text/javascript,${encodeURIComponent(code)}`
}

t.test('a bad configuration exits with code 1 and one message naming every bad variable', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, { PORT: 'abc', MOCK_API_VARIANT: 'x' })
  const exit = await guard(server.closed, STARTUP_TIMEOUT_MS, 'the server did not exit')
  t.strictSame(exit, { code: 1, signal: null })
  t.equal(
    server.stderr,
    'koodrive-mock: Invalid configuration (2):\n' +
      '  PORT="abc": expected an integer from 0 to 65535\n' +
      '  MOCK_API_VARIANT="x": expected carrier or enterprise\n',
  )
  t.strictSame(server.lines, [], 'no log line: the app was never built, so nothing listened')
  t.strictSame(server.textLines, [])
})

t.test('a bad seed file exits with code 1 and its problems, like a bad setting: no stack', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const seedFile = fileURLToPath(new URL('./fixtures/seed-bad-reference.json', import.meta.url))
  const server = startServer(t, { PORT: '0', MOCK_SEED_FILE: seedFile })
  const exit = await guard(server.closed, STARTUP_TIMEOUT_MS, 'the server did not exit')
  t.strictSame(exit, { code: 1, signal: null })
  t.match(server.stderr, /^koodrive-mock: Invalid world seed \(\d+ problems?\):\n {2}\S/)
  t.notMatch(server.stderr, /\n\s+at /, 'no stack trace')
  t.strictSame(server.lines, [], 'nothing listened')
})

t.test('a good configuration serves, then shuts down cleanly on SIGTERM', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const port = await freePort()
  const server = startServer(t, { PORT: String(port), MOCK_RANDOM_SEED: '42' })
  const ready = await server.waitForReady()
  t.strictSame(stable(ready, server.child.pid), {
    ...BASE,
    level: 30,
    version: packageJson.version,
    variant: 'carrier',
    randomSeed: 42,
    urls: {
      api: `http://127.0.0.1:${port}/koodrive/ose/v1`,
      dashboard: `http://127.0.0.1:${port}/__admin/`,
      docs: `http://127.0.0.1:${port}/__admin/docs`,
      health: `http://127.0.0.1:${port}/__admin/health`,
    },
    world: { seed: 'default', mode: 'lenient' },
    msg: `koodrive-mock ready, dashboard at http://127.0.0.1:${port}/__admin/ (set MOCK_RANDOM_SEED=42 to replay this run)`,
  })
  t.strictSame(server.textLines, [], 'stdout is a pipe, so every line is JSON, not pretty text')

  const health = await fetch(`http://127.0.0.1:${port}/__admin/health`)
  t.equal(health.status, 200)
  const healthBody = (await health.json()) as Record<string, unknown>
  t.strictSame(Object.keys(healthBody), ['status', 'version', 'uptimeS'])
  t.match(healthBody, { status: 'ok', version: packageJson.version, uptimeS: Number })

  const created = await fetch(`http://127.0.0.1:${port}${TASKS_URL}`, {
    method: 'POST',
    headers: carrierHeaders(Date.now()),
    body: JSON.stringify(vendorExample),
  })
  t.equal(created.status, 200)
  const createdBody = (await created.json()) as Record<string, unknown>
  // The same seed and the same request give the same task ID, in-process or not.
  const { app, clock } = await startTestApp(t, { env: { MOCK_RANDOM_SEED: '42' } })
  const inProcess = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: vendorExample })
  t.strictSame(createdBody, inProcess.json())
  t.match(createdBody, { code: 0, msg: 'Success', taskId: /^[1-9]\d{18}$/ })

  server.child.kill('SIGTERM')
  const exit = await guard(server.closed, 2_000, 'the server did not exit within 2 s of SIGTERM')
  t.strictSame(exit, { code: 0, signal: null })
  const shuttingDown = server.lines.find((line) => line.msg === 'shutting down')
  t.strictSame(shuttingDown && stable(shuttingDown, server.child.pid), { ...BASE, level: 30, signal: 'SIGTERM', msg: 'shutting down' })
  t.strictSame(
    server.lines.filter((line) => line.msg === 'request').map((line) => [line.operation, line.statusCode]),
    [['createShareTask', 200]],
    'one request line per request; the health probe is logged at debug only',
  )
  t.equal(server.stderr, '')
})

t.test('SIGINT shuts down cleanly too, and an unset seed is picked and logged for replay', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, { PORT: '0', MOCK_API_VARIANT: 'enterprise' })
  const ready = await server.waitForReady()
  const seed = ready.randomSeed
  t.ok(typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, `seed ${String(seed)} in [0, 2^32)`)
  const dashboardUrl = (ready.urls as { dashboard: string } | undefined)?.dashboard
  t.match(dashboardUrl, /^http:\/\/127\.0\.0\.1:[1-9]\d*\/__admin\/$/, 'PORT=0: the banner names the port the OS gave')
  t.equal(ready.msg, `koodrive-mock ready, dashboard at ${String(dashboardUrl)} (set MOCK_RANDOM_SEED=${String(seed)} to replay this run)`)
  t.equal(ready.variant, 'enterprise')
  const page = await fetch(String(dashboardUrl))
  t.equal(page.status, 200, 'the dashboard the banner names answers')
  t.match(page.headers.get('content-type'), /^text\/html/)
  await page.arrayBuffer()

  server.child.kill('SIGINT')
  const exit = await guard(server.closed, 2_000, 'the server did not exit within 2 s of SIGINT')
  t.strictSame(exit, { code: 0, signal: null })
  t.match(server.lines.find((line) => line.msg === 'shutting down'), { level: 30, signal: 'SIGINT' })
})

t.test('a request in flight when SIGTERM arrives still gets its answer', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const port = await freePort()
  const server = startServer(t, { PORT: String(port), MOCK_RANDOM_SEED: '42' })
  await server.waitForReady()

  const payload = JSON.stringify(vendorExample)
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: TASKS_URL,
    agent: false,
    // 100-continue makes the server say when it has taken the request on, before the body is sent.
    headers: { ...carrierHeaders(Date.now()), 'content-length': String(Buffer.byteLength(payload)), expect: '100-continue' },
  })
  req.flushHeaders()
  await guard(once(req, 'continue'), STARTUP_TIMEOUT_MS, 'no 100 Continue')

  server.child.kill('SIGTERM')
  await server.waitForLine((line) => line.msg === 'shutting down', 'the shutting down line')
  const answered = once(req, 'response')
  req.end(payload)
  const [res] = (await guard(answered, 2_000, 'no answer to the in-flight request')) as [IncomingMessage]
  let text = ''
  for await (const chunk of res) text += String(chunk)
  t.equal(res.statusCode, 200)
  t.match(JSON.parse(text), { code: 0, msg: 'Success', taskId: /^[1-9]\d{18}$/ })

  const exit = await guard(server.closed, 2_000, 'the server did not exit within 2 s of SIGTERM')
  t.strictSame(exit, { code: 0, signal: null })
})

t.test('a port already in use exits with code 1 after an error line naming EADDRINUSE', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const occupier = createServer()
  occupier.listen(0, '127.0.0.1')
  await once(occupier, 'listening')
  t.teardown(() => occupier.close())
  const { port } = occupier.address() as AddressInfo
  const server = startServer(t, { PORT: String(port) })
  const exit = await guard(server.closed, STARTUP_TIMEOUT_MS, 'the server did not exit')
  t.strictSame(exit, { code: 1, signal: null })
  t.notOk(server.lines.some((line) => typeof line.msg === 'string' && line.msg.startsWith('koodrive-mock ready')), 'never ready')
  const line = server.lines.find((l) => l.msg === 'shutting down after an error')
  t.match(line, {
    level: 50,
    err: { type: 'Error', code: 'EADDRINUSE', port, message: `listen EADDRINUSE: address already in use 127.0.0.1:${port}` },
  })
})

t.test('an unexpected start-up error is not reported as a configuration error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // An environment that cannot be read: loadConfig throws something that is not a ConfigError.
  const server = startServer(t, { PORT: '0' }, [
    preload(
      'const env = process.env; process.env = new Proxy(env, ' +
        "{ get: (target, key) => { if (key === 'PORT') throw new Error('environment unreadable'); return target[key] } })",
    ),
  ])
  const exit = await guard(server.closed, STARTUP_TIMEOUT_MS, 'the server did not exit')
  t.equal(exit.code, 1)
  t.match(server.stderr, /Error: environment unreadable/)
  t.notMatch(server.stderr, /Invalid configuration/)
  t.strictSame(server.lines, [])
})

t.test('an unexpected error while building the app is not reported as a bad seed either', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // No entropy for the random seed: buildApp throws something that is not a SeedError.
  const server = startServer(t, { PORT: '0' }, [
    preload("import crypto from 'node:crypto'; import { syncBuiltinESMExports } from 'node:module'; crypto.randomInt = () => { throw new Error('no entropy') }; syncBuiltinESMExports()"),
  ])
  const exit = await guard(server.closed, STARTUP_TIMEOUT_MS, 'the server did not exit')
  t.equal(exit.code, 1)
  t.match(server.stderr, /Error: no entropy\n\s+at /, 'the error with its stack')
  t.notMatch(server.stderr, /koodrive-mock: /)
  t.strictSame(server.lines, [])
})

t.test('flags win over their variables: --port, --seed and --world file paths as the command line gives them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const port = await freePort()
  const seedFile = fileURLToPath(new URL('fixtures/seed-valid.json', import.meta.url))
  const server = startServer(t, { PORT: '1', MOCK_RANDOM_SEED: '1', MOCK_WORLD: 'lenient' }, [], ['--port', String(port), '--seed=42', '--world', 'strict', '--seed-file', seedFile])
  const ready = await server.waitForReady()
  t.match(ready, { randomSeed: 42, urls: { health: `http://127.0.0.1:${port}/__admin/health` }, world: { seed: seedFile, mode: 'strict' } })
  const config = (await (await fetch(`http://127.0.0.1:${port}/__admin/config`)).json()) as { settings: Record<string, unknown> }
  t.strictSame(config.settings.PORT, { value: port, source: 'flag', flag: '--port' })
  t.strictSame(config.settings.MOCK_RANDOM_SEED, { value: 42, source: 'flag', flag: '--seed' })
  t.strictSame(config.settings.MOCK_CLOCK, { value: 'real', source: 'default', flag: '--clock' })
  server.child.kill('SIGTERM')
  t.strictSame(await guard(server.closed, 2_000, 'no exit after SIGTERM'), { code: 0, signal: null })
})

t.test('--help prints every flag and exits 0 without listening, whatever else the command line holds', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, {}, [], ['--port', '41004', '--help'])
  t.strictSame(await guard(server.closed, STARTUP_TIMEOUT_MS, 'no exit'), { code: 0, signal: null })
  t.equal(server.textLines.join('\n') + '\n', helpText())
  t.equal(server.stderr, '')
})

t.test('--version prints the version and exits 0', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, {}, [], ['--version'])
  t.strictSame(await guard(server.closed, STARTUP_TIMEOUT_MS, 'no exit'), { code: 0, signal: null })
  t.strictSame(server.textLines, [packageJson.version])
})

t.test('an unknown flag exits 2 with a message and nothing listening', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, {}, [], ['--port', '41004', '--prot', '1'])
  t.strictSame(await guard(server.closed, STARTUP_TIMEOUT_MS, 'no exit'), { code: 2, signal: null })
  t.equal(server.stderr, 'koodrive-mock: unknown option --prot\nRun koodrive-mock --help for the options.\n')
  t.strictSame(server.lines, [])
})

t.test('bad flag values exit 1 with one message naming each flag and its variable', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = startServer(t, { MOCK_CLOCK: 'sundial' }, [], ['--port', 'abc', '--faults', 'no-such-rules.json'])
  t.strictSame(await guard(server.closed, STARTUP_TIMEOUT_MS, 'no exit'), { code: 1, signal: null })
  t.equal(
    server.stderr,
    'koodrive-mock: Invalid configuration (3):\n' +
      '  --port "abc" (PORT): expected an integer from 0 to 65535\n' +
      '  MOCK_CLOCK="sundial": expected real or manual\n' +
      '  --faults "no-such-rules.json" (MOCK_FAULTS): cannot read the file (ENOENT: no such file or directory, open \'no-such-rules.json\')\n',
  )
})

t.test('MOCK_SEED_WATCH under a real server: an edited seed file reloads, a bad edit keeps the world and says why, a removed file serves the built-in world', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'koodrive-seed-watch-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const file = join(folder, 'world.json')
  // As an editor saves: the whole new text at once, so no poll sees half a file.
  const save = (document: unknown) => {
    writeFileSync(`${file}.new`, typeof document === 'string' ? document : JSON.stringify(document))
    renameSync(`${file}.new`, file)
  }
  const dana = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/seed-valid.json', import.meta.url)), 'utf8')) as { users: unknown[] }
  save(dana)
  const server = startServer(t, { PORT: '0', MOCK_SEED_FILE: file, MOCK_SEED_WATCH: 'true', MOCK_SEED_WATCH_INTERVAL_MS: '20' })
  const base = ((await server.waitForReady()).urls as { health: string }).health.replace('/__admin/health', '')

  interface Ready { world: { users: number; files: number }; seed: { source: string; file?: string; watching: boolean; version: number; problem?: string } }
  /** GET /__admin/ready again and again until `done` holds: the poll sees the change; a deadline bounds the wait. */
  const readyOnce = async (done: (ready: Ready) => boolean, what: string): Promise<Ready> => {
    const deadline = Date.now() + 10_000
    for (;;) {
      const ready = (await (await fetch(`${base}/__admin/ready`)).json()) as Ready
      if (done(ready)) return ready
      if (Date.now() > deadline) throw new Error(`${what}: not within 10 s; last ${JSON.stringify(ready)}`)
    }
  }

  t.match(await readyOnce(() => true, 'ready'), { world: { users: 1 }, seed: { source: 'file', file, watching: true, version: 1 } })
  save({ ...dana, users: [...dana.users, { userId: 'erin', name: 'Erin', tokens: ['erin-token'] }] })
  const changed = await readyOnce((ready) => ready.seed.version === 2, 'the edit')
  t.match(changed, { world: { users: 2 }, seed: { source: 'file' } })
  t.notOk('problem' in changed.seed)

  save('{"users": [')
  const bad = await readyOnce((ready) => ready.seed.problem !== undefined, 'the bad edit')
  t.match(bad, { world: { users: 2 }, seed: { source: 'file', version: 2, problem: /is not valid JSON/ } }, 'the last good world stays')

  rmSync(file)
  const removed = await readyOnce((ready) => ready.seed.source === 'default', 'the removal')
  t.match(removed, { world: { users: 3, files: 1244 }, seed: { file, version: 3 } }, 'the built-in world')
  t.notOk('problem' in removed.seed)

  save(dana)
  t.match(await readyOnce((ready) => ready.seed.source === 'file', 'the file coming back'), { world: { users: 1 }, seed: { version: 4 } })
  t.strictSame(
    server.lines.filter((line) => line.seedFile === file).map((line) => [line.level, line.msg]),
    [
      [30, 'seed file changed: the world is made from it again'],
      [40, `seed file not loaded, the last good world stays: ${bad.seed.problem}`],
      [40, 'seed file removed: serving the built-in default world until it comes back'],
      [30, 'seed file is back: the world is made from it again'],
    ],
    'each change is one log line',
  )

  server.child.kill('SIGTERM')
  t.strictSame(await guard(server.closed, 2_000, 'the server did not exit within 2 s of SIGTERM'), { code: 0, signal: null }, 'the watcher holds no shutdown')
  t.equal(server.stderr, '')
})
