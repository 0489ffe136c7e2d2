import t, { type Test } from 'tap'
import type { App } from '../../src/app.js'
import { START_MS, startTestApp } from '../helpers/app.js'
import { carrierHeaders, createTask, FILES_URL, kdstokenFor, packageExample, postApi, taskDetail, TASKS_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL } from '../helpers/admin.js'
import { SHARES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'

const BAD_REQUEST = 13000101
const PARAMETER_INVALID = 13000102

/** The real app built straight from an environment, without the test clock: what `npm start` runs. */
async function appFromEnv(t: Test, env: Record<string, string>): Promise<App> {
  return (await startTestApp(t, { env, clock: 'configured' })).app
}

const advance = (app: App, payload: unknown) =>
  app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, headers: { 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })

t.test('GET /__admin/clock: mode, nowMs, the same as ISO, and how far it was moved', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { mode: 'manual', nowMs: START_MS, now: '2026-11-26T10:00:00.500Z', offsetMs: 0 })
})

t.test('POST /__admin/clock {advanceMs} moves the clock forward and answers with the new state', async (t) => {
  const { app, clock } = await startTestApp(t)
  const res = await advance(app, { advanceMs: 90_000 })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { mode: 'manual', nowMs: START_MS + 90_000, now: '2026-11-26T10:01:30.500Z', offsetMs: 90_000 })
  t.equal(clock.now(), START_MS + 90_000, 'the clock every route reads')
  t.strictSame((await advance(app, { advanceMs: 0 })).json(), res.json(), 'advanceMs 0 is allowed and changes nothing')
  await advance(app, { advanceMs: 10 * 365 * 24 * 3600 * 1000 })
  t.equal((await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).json().offsetMs, 90_000 + 10 * 365 * 24 * 3600 * 1000, 'up to ten years at once, and it adds up')
})

t.test('tasks progress with the admin clock, and kdstokens expire with it', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode)
  await advance(test.app, { advanceMs: 1750 })
  t.match((await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo, { taskStatus: 1, progress: 50 })
  await advance(test.app, { advanceMs: 1250 })
  t.match((await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo, { taskStatus: 2, progress: 100, downloadUrl: String })
  t.equal((await postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken })).statusCode, 200)
  await advance(test.app, { advanceMs: 1_200_000 })
  t.equal((await postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken })).json().code, 13000410, 'MOCK_KDSTOKEN_TTL_S (1200 s) later')
})

t.test('bad bodies are 13000102 naming the field (13000101 when not a JSON object), and leave the clock alone', async (t) => {
  const { app, clock } = await startTestApp(t)
  const cases: [string, unknown, string][] = [
    ['rejects a negative advanceMs: time only moves forward', { advanceMs: -1 }, 'advanceMs must be >= 0'],
    ['rejects a non-integer advanceMs', { advanceMs: 1.5 }, 'advanceMs must be an integer'],
    ['rejects advanceMs as a string', { advanceMs: '1000' }, 'advanceMs must be an integer'],
    ['rejects more than ten years', { advanceMs: 10 * 365 * 24 * 3600 * 1000 + 1 }, 'advanceMs must be <= 315360000000'],
    ['rejects a missing advanceMs', {}, 'advanceMs is required'],
    ['rejects an unknown field', { advanceMs: 1000, setMs: 0 }, 'setMs is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await advance(app, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('rejects a JSON array', async (t) => {
    assertKooDriveError(t, await advance(app, '[1000]'), BAD_REQUEST, 'Bad request: the request body must be a JSON object')
  })
  t.test('the clock did not move', async (t) => {
    t.equal(clock.now(), START_MS)
  })
})

t.test('the admin clock needs no KooDrive headers', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs: 5 } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['x-request-id'], /^[0-9a-f]{32}$/)
})

t.test('MOCK_CLOCK=real: real time, shifted by however far the admin API moved it', async (t) => {
  const app = await appFromEnv(t, { MOCK_CLOCK: 'real', MOCK_RANDOM_SEED: '42' })
  const before = Date.now()
  const state = (await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).json()
  const after = Date.now()
  t.equal(state.mode, 'real')
  t.equal(state.offsetMs, 0)
  t.ok(state.nowMs >= before && state.nowMs <= after, 'now is now')
  t.equal(state.now, new Date(state.nowMs).toISOString())

  const moved = (await advance(app, { advanceMs: 3_600_000 })).json()
  t.equal(moved.mode, 'real')
  t.equal(moved.offsetMs, 3_600_000)
  t.ok(moved.nowMs >= after + 3_600_000 && moved.nowMs <= Date.now() + 3_600_000, 'an hour ahead of the wall clock')

  // A client signs X-Date with the emulator's time: requests still pass the 15-minute window.
  const created = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(app.clock.now()), payload: packageExample })
  t.equal(created.statusCode, 200)
  await advance(app, { advanceMs: 3000 })
  const detail = await app.inject({
    method: 'POST',
    url: '/koodrive/ose/v1/share/taskDetail',
    headers: carrierHeaders(app.clock.now()),
    payload: { taskId: created.json().taskId, shareId: packageExample.shareId },
  })
  t.match(detail.json().jobInfo, { taskStatus: 2, progress: 100 }, 'tasks complete by the shifted clock')
})

t.test('MOCK_CLOCK=manual without an injected clock: starts at the wall time and stands still', async (t) => {
  const before = Date.now()
  const app = await appFromEnv(t, { MOCK_CLOCK: 'manual', MOCK_RANDOM_SEED: '42' })
  const after = Date.now()
  const first = (await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).json()
  t.equal(first.mode, 'manual')
  t.ok(first.nowMs >= before && first.nowMs <= after)
  t.strictSame((await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).json(), first, 'time does not pass by itself')
  t.equal((await advance(app, { advanceMs: 1000 })).json().nowMs, first.nowMs + 1000)
})

t.test('without MOCK_RANDOM_SEED a fresh seed is picked, and exposed for replaying the run', async (t) => {
  // Empty is unset, as in a compose file: the helper's default seed does not apply.
  const app = await appFromEnv(t, { MOCK_CLOCK: 'manual', MOCK_RANDOM_SEED: '' })
  t.ok(Number.isInteger(app.randomSeed) && app.randomSeed >= 0 && app.randomSeed < 2 ** 32)
})
