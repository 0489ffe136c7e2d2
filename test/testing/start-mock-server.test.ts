import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import * as library from '../../src/index.js'
import { AdminClient, startMockServer, type MockServer, type MockServerOptions } from '../../src/index.js'
import { VERSION } from '../../src/version.js'
import { carrierHeaders, packageExample } from '../helpers/requests.js'
import { validateResponses } from '../support/response-validation.js'

async function start(t: Test, options?: MockServerOptions): Promise<MockServer> {
  const mock = await startMockServer(options, { instrument: validateResponses })
  t.teardown(() => mock.close())
  return mock
}

/** A port nothing listens on right now (the OS picks it; it is closed again before use). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A KooDrive call over the socket, signed by the emulator's clock. */
function kooDrive(mock: MockServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${mock.url}/koodrive/ose/v1/${path}`, { method: 'POST', headers: carrierHeaders(mock.app.clock.now()), body: JSON.stringify(body) })
}

/** Creates a package task, moves the clock past its end and returns its downloadUrl. */
async function zipUrl(mock: MockServer): Promise<string> {
  const created = (await (await kooDrive(mock, 'share/tasks', packageExample)).json()) as { taskId: string }
  await mock.admin.clock.advance(3000)
  const detail = (await (await kooDrive(mock, 'share/taskDetail', { taskId: created.taskId, shareId: packageExample.shareId })).json()) as {
    jobInfo: { taskStatus: number; downloadUrl: string }
  }
  if (detail.jobInfo.taskStatus !== 2) throw new Error(`task not completed: ${JSON.stringify(detail)}`)
  return detail.jobInfo.downloadUrl
}

t.test('the package exports the in-process server, the client and the app factory', async (t) => {
  t.strictSame(Object.keys(library).sort(), ['AdminApiError', 'AdminClient', 'ConfigError', 'buildApp', 'createKooDriveClient', 'loadConfig', 'signRequest', 'startMockServer'])
})

t.test('startMockServer(): a manual clock, silent logs, seed 1, on a free port of 127.0.0.1', async (t) => {
  const before = Date.now()
  const mock = await start(t)
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const port = Number(new URL(mock.url).port)
  t.ok(port > 0, `port ${port}`)
  t.equal(mock.app.config.PORT, 0, 'it asked the OS for a port')
  t.equal(mock.app.config.HOST, '127.0.0.1')
  t.equal(mock.app.config.MOCK_CLOCK, 'manual')
  t.equal(mock.app.config.LOG_LEVEL, 'silent')
  t.equal(mock.app.config.MOCK_RANDOM_SEED, 1)
  t.equal(mock.app.randomSeed, 1)
  t.type(mock.admin, AdminClient)
  t.equal(mock.admin.baseUrl, mock.url)

  const clock = await mock.admin.clock.get()
  t.equal(clock.mode, 'manual')
  t.ok(clock.nowMs >= before && clock.nowMs <= Date.now(), 'the manual clock starts at the wall time')
  t.strictSame(await mock.admin.clock.get(), clock, 'and stands still')
  const health = await mock.admin.health()
  t.type(health.uptimeS, 'number')
  t.strictSame(health, { status: 'ok', version: VERSION, uptimeS: health.uptimeS }, 'it answers')
})

t.test('the same seed gives the same task IDs on every start', async (t) => {
  const first = await start(t)
  const second = await start(t)
  const idOf = async (mock: MockServer) => ((await (await kooDrive(mock, 'share/tasks', packageExample)).json()) as { taskId: string }).taskId
  t.equal(await idOf(first), await idOf(second))
})

t.test('env overrides the defaults; the process environment is not read', async (t) => {
  process.env.MOCK_WORLD = 'strict'
  t.teardown(() => {
    delete process.env.MOCK_WORLD
  })
  const defaults = await start(t)
  t.equal(defaults.app.config.MOCK_WORLD, 'lenient', 'process.env.MOCK_WORLD is ignored')

  const mock = await start(t, { env: { MOCK_WORLD: 'strict', MOCK_RANDOM_SEED: '7', MOCK_CLOCK: 'real', LOG_LEVEL: 'error' } })
  t.equal(mock.app.config.MOCK_WORLD, 'strict')
  t.equal(mock.app.randomSeed, 7)
  t.equal((await mock.admin.clock.get()).mode, 'real')
  t.equal(mock.app.config.LOG_LEVEL, 'error')
})

t.test('PORT and HOST come from the options, never from env', async (t) => {
  const mock = await start(t, { env: { PORT: '1', HOST: '0.0.0.0' } })
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(new URL(mock.url).port, '1')
})

t.test('a bad env throws the config error naming the variable', async (t) => {
  await t.rejects(startMockServer({ env: { MOCK_WORLD: 'chaotic' } }), { name: 'ConfigError', message: /MOCK_WORLD/ })
})

t.test('download URLs carry the real port, not :0, and serve the zip', async (t) => {
  const mock = await start(t)
  const downloadUrl = await zipUrl(mock)
  t.ok(downloadUrl.startsWith(`${mock.url}/obs/koodrive-share/packages/`), downloadUrl)
  const zip = await fetch(downloadUrl)
  t.equal(zip.status, 200)
  t.equal(zip.headers.get('content-type'), 'application/zip')
  t.match(zip.headers.get('content-disposition'), /^attachment; filename="holiday.zip"/)
  const bytes = Buffer.from(await zip.arrayBuffer())
  t.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip')
})

t.test('a given port: listened on, and in download URLs', async (t) => {
  const port = await freePort()
  const mock = await start(t, { port })
  t.equal(mock.url, `http://127.0.0.1:${port}`)
  const downloadUrl = await zipUrl(mock)
  t.ok(downloadUrl.startsWith(`http://127.0.0.1:${port}/obs/`), downloadUrl)
  t.equal((await fetch(downloadUrl)).status, 200)
})

t.test('an IPv6 host is bracketed in the URL', async (t) => {
  const mock = await start(t, { host: '::1' })
  t.match(mock.url, /^http:\/\/\[::1\]:\d+$/)
  t.equal((await mock.admin.health()).status, 'ok')
  const downloadUrl = await zipUrl(mock)
  t.ok(downloadUrl.startsWith(`${mock.url}/obs/`), downloadUrl)
})

t.test('MOCK_PUBLIC_URL wins over the listening address', async (t) => {
  const mock = await start(t, { env: { MOCK_PUBLIC_URL: 'http://mock.test:8080/' } })
  t.ok((await zipUrl(mock)).startsWith('http://mock.test:8080/obs/koodrive-share/'))
})

t.test('close() stops the server', async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  t.equal((await fetch(`${mock.url}/__admin/health`)).status, 200)
  await mock.close()
  t.equal(mock.app.server.listening, false)
  await t.rejects(fetch(`${mock.url}/__admin/health`), TypeError, 'nothing answers any more')
})
