import t, { type Test } from 'tap'
import type { App } from '../src/app.js'
import { ConfigError, loadConfig } from '../src/config.js'
import { formatXDate } from '../src/koodrive/x-date.js'
import { startTestApp } from './helpers/app.js'
import { DOWNLOAD_URL, FILES_URL, packageExample, TASK_DETAIL_URL, TASKS_URL, VERIFY_URL } from './helpers/requests.js'
import { ADMIN_CLOCK_URL } from './helpers/admin.js'
import { SHARES } from './helpers/world.js'

const ENV = { LOG_LEVEL: 'silent', MOCK_CLOCK: 'manual', MOCK_CLOCK_START: '2026-01-01T00:00:00.000Z', MOCK_RANDOM_SEED: '7' }

/** The app as the settings alone make it: its clock from MOCK_CLOCK and MOCK_CLOCK_START. */
async function appFromEnv(t: Test, env: Record<string, string>): Promise<App> {
  return (await startTestApp(t, { env, clock: 'configured' })).app
}

/** One client session: verify, list, create a zip, let it complete, poll, download one file. `adminNoise` adds admin calls between. */
async function session(app: App, adminNoise: boolean): Promise<string[]> {
  const answers: string[] = []
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const admin = url.startsWith('/__admin')
    const headers: Record<string, string> = admin
      ? { 'content-type': 'application/json' }
      : { authorization: 'Bearer ann-token', 'x-user-id': 'ann', 'x-hw-agentname': 'det', 'x-date': formatXDate(app.clock.now()), 'content-type': 'application/json' }
    const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
    if (!admin) answers.push(`${res.statusCode} ${String(res.headers['x-request-id'])} ${res.body}`)
    if (adminNoise) await app.inject({ method: 'GET', url: '/__admin/requests?limit=1' })
    return res
  }
  if (adminNoise) await app.inject({ method: 'GET', url: '/__admin/world' })
  const kdstoken = (await call('POST', VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode })).json().kdstoken as string
  await call('POST', FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken })
  const taskId = (await call('POST', TASKS_URL, packageExample)).json().taskId as string
  await call('POST', TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })
  await call('POST', ADMIN_CLOCK_URL, { advanceMs: 3_000 })
  await call('POST', TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })
  await call('POST', DOWNLOAD_URL, { shareId: packageExample.shareId, fileId: packageExample.fileIds[0] })
  return answers
}

t.test('MOCK_CLOCK_START: two runs with the same seed and requests answer byte for byte the same, admin calls between or not', async (t) => {
  const first = await session(await appFromEnv(t, ENV), false)
  const second = await session(await appFromEnv(t, ENV), true)
  t.equal(first.length, 6)
  t.strictSame(second, first, 'bodies and X-Request-Ids are identical')
  t.match(first[4], /"createTime":"20260101000000".*"downloadUrl":"http:\/\/localhost:80\/obs\/koodrive-share\/packages\//, 'times follow from the start instant')
})

t.test('MOCK_CLOCK_START sets where the manual clock starts', async (t) => {
  const app = await appFromEnv(t, ENV)
  const clock = await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })
  t.strictSame(clock.json(), { mode: 'manual', nowMs: Date.UTC(2026, 0, 1), now: '2026-01-01T00:00:00.000Z', offsetMs: 0 })
})

t.test('admin calls draw request IDs from a stream of their own', async (t) => {
  const quiet = await appFromEnv(t, ENV)
  const busy = await appFromEnv(t, ENV)
  for (let i = 0; i < 3; i++) await busy.inject({ method: 'GET', url: '/__admin/health' })
  const idOf = async (app: App) => (await app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/userInfo?shortUrl=1' })).headers['x-request-id']
  t.equal(await idOf(busy), await idOf(quiet), 'the first KooDrive call has the same ID however many admin calls came before')
  const adminIds = new Set<unknown>()
  for (const app of [quiet, busy]) adminIds.add((await app.inject({ method: 'GET', url: '/__admin/health' })).headers['x-request-id'])
  t.equal(adminIds.size, 2, 'the admin stream moved on in the busy app')
})

t.test('MOCK_CLOCK_START must be an ISO-8601 time, and goes with MOCK_CLOCK=manual', async (t) => {
  const expected = 'expected an ISO-8601 time such as 2026-01-01T00:00:00Z, with MOCK_CLOCK=manual'
  for (const [env, value] of [
    [{ MOCK_CLOCK: 'manual', MOCK_CLOCK_START: 'yesterday' }, 'yesterday'],
    [{ MOCK_CLOCK: 'manual', MOCK_CLOCK_START: '2026-02-30T00:00:00Z' }, '2026-02-30T00:00:00Z'],
    [{ MOCK_CLOCK_START: '2026-01-01T00:00:00Z' }, '2026-01-01T00:00:00Z'],
  ] as [Record<string, string>, string][]) {
    t.throws(() => loadConfig(env), new ConfigError(`Invalid configuration (1):\n  MOCK_CLOCK_START="${value}": ${expected}`), JSON.stringify(env))
  }
})
