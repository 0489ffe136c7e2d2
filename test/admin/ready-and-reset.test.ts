import t from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, createTask, FILES_URL, kdstokenFor, packageExample, postApi, taskDetail, vendorExample } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, ADMIN_FAULTS_URL, adminTask, dumpCopies, worldSeed } from '../helpers/admin.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'

const PARAMETER_INVALID = 13000102

const DEFAULT_COUNTS = {
  users: DEFAULT_WORLD.users.length,
  spaces: DEFAULT_WORLD.spaces.length,
  files: DEFAULT_WORLD.files.length,
  shares: DEFAULT_WORLD.shares.length,
}

const reset = (app: TestApp['app'], query = '') => app.inject({ method: 'POST', url: `/__admin/reset${query}` })
const faultRules = async (app: TestApp['app']) => (await app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })).json<{ rules: unknown[] }>().rules
const addFault = (app: TestApp['app'], rule: unknown) => app.inject({ method: 'POST', url: ADMIN_FAULTS_URL, payload: rule as Record<string, unknown> })

/** A rule that makes every cancelJob fail: calling cancel once matches and fires it once. */
const CANCEL_FAILS = { id: 'cancel-fails', operation: 'cancelJob', error: 13000201 }

t.test('GET /__admin/ready: 200 with the status, the world counts, the number of tasks and where the world came from', async (t) => {
  const test = await startTestApp(t)
  const res = await test.app.inject({ method: 'GET', url: '/__admin/ready' })
  t.equal(res.statusCode, 200)
  const seed = { source: 'default', watching: false, loadedAt: new Date(START_MS).toISOString(), version: 1 }
  t.strictSame(res.json(), { status: 'ready', world: DEFAULT_COUNTS, tasks: 0, seed })
  t.strictSame(DEFAULT_COUNTS, { users: 3, spaces: 3, files: 1244, shares: 7 }, 'the default world, as the README describes it')

  await createTask(test, packageExample)
  await createTask(test, packageExample)
  t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/ready' })).json(), { status: 'ready', world: DEFAULT_COUNTS, tasks: 2, seed }, 'tasks counted')
})

t.test('POST /__admin/reset answers with the status, the seed world counts, the fault rules left and how long it took', async (t) => {
  const { app } = await startTestApp(t)
  const res = await reset(app)
  t.equal(res.statusCode, 200)
  const body = res.json<{ durationMs: unknown }>()
  t.type(body.durationMs, 'number')
  t.ok((body.durationMs as number) >= 0, 'durationMs is not negative')
  t.strictSame(body, { status: 'reset', world: DEFAULT_COUNTS, faultRules: 0, durationMs: body.durationMs })
})

t.test('reset puts the world back to its seed: dumped copies go, bytes used come back, added shares go', async (t) => {
  const test = await startTestApp(t)
  const { app } = test
  const usedBefore = app.emulator.world.spaces.get(SPACES.ann)?.usedBytes
  const seedBefore = (await app.inject({ method: 'GET', url: '/__admin/world' })).json()

  const dumpId = await createTask(test, vendorExample)
  await app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs: 3000 } })
  t.match((await taskDetail(test, dumpId, vendorExample.shareId)).json(), { jobInfo: { taskStatus: 2, taskResultCode: 1 } }, 'the dump completed')
  const added = await app.inject({
    method: 'POST',
    url: '/__admin/world/shares',
    payload: {
      share: { shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'ann', containerId: SPACES.ann, fileIds: ['Fnew'] },
      files: [{ fileId: 'Fnew', containerId: SPACES.ann, parentId: 'root', name: 'new.pdf', type: 'file', size: 1000 }],
    },
  })
  t.equal(added.statusCode, 201)
  t.equal((await dumpCopies(test)).length, 1, 'the dump made its copy')
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/ready' })).json<{ world: unknown }>().world, { ...DEFAULT_COUNTS, files: DEFAULT_COUNTS.files + 2, shares: DEFAULT_COUNTS.shares + 1 })
  t.not(app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBefore, 'the copy and the new file take space')

  const res = await reset(app)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json<{ world: unknown }>().world, DEFAULT_COUNTS)
  t.strictSame(await dumpCopies(test), [], 'the dumped copy is gone')
  const seedAfter = await worldSeed(test)
  t.notOk(seedAfter.shares.some((share) => share.shareId === '1000000000000000001'), 'the added share is gone')
  t.notOk(seedAfter.files.some((file) => file.fileId === 'Fnew'), 'the added file is gone')
  t.equal(app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBefore, 'bytes used are the seed\'s again')
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/world' })).json(), seedBefore, 'the world document is the seed\'s again')
})

t.test('reset clears the tasks: an old task is 13000309 for its owner', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  t.equal((await taskDetail(test, taskId, packageExample.shareId)).statusCode, 200)
  await reset(test.app)
  assertKooDriveError(t, await taskDetail(test, taskId, packageExample.shareId), 13000309, `Resource not found: no task ${taskId} (taskId) for user u1`)
  t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/tasks' })).json(), { total: 0, tasks: [] })
  t.equal((await test.app.inject({ method: 'GET', url: '/__admin/ready' })).json<{ tasks: number }>().tasks, 0)
})

t.test('reset clears the share tokens: an old kdstoken no longer opens a protected share', async (t) => {
  const test = await startTestApp(t)
  const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode)
  t.equal((await postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken })).statusCode, 200, 'the token works before')
  await reset(test.app)
  assertKooDriveError(
    t,
    await postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken }),
    13000410,
    'No permission: the kdstoken is not valid for this share and user',
  )
})

t.test('reset empties the request journal (the reset itself is not journaled)', async (t) => {
  const test = await startTestApp(t)
  await createTask(test, packageExample)
  t.equal((await test.app.inject({ method: 'GET', url: '/__admin/requests/count' })).json<{ count: number }>().count, 1)
  await reset(test.app)
  t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/requests' })).json(), { total: 0, requests: [] })
})

t.test('reset leaves the clock where it is', async (t) => {
  const { app } = await startTestApp(t)
  await app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs: 60_000 } })
  await reset(app)
  t.match((await app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })).json(), { nowMs: START_MS + 60_000, offsetMs: 60_000 })
})

t.test('reset keeps the fault rules and zeroes their counters', async (t) => {
  const test = await startTestApp(t)
  t.equal((await addFault(test.app, CANCEL_FAILS)).statusCode, 201)
  t.equal((await postApi(test, CANCEL_URL, { jobId: '1' })).statusCode, 500, 'the rule fires')
  t.strictSame(await faultRules(test.app), [{ ...CANCEL_FAILS, matched: 1, fired: 1 }])

  const res = await reset(test.app)
  t.equal(res.json<{ faultRules: number }>().faultRules, 1)
  t.strictSame(await faultRules(test.app), [{ ...CANCEL_FAILS, matched: 0, fired: 0 }])
  t.equal((await postApi(test, CANCEL_URL, { jobId: '1' })).statusCode, 500, 'and it still fires')

  await reset(test.app, '?faults=false')
  t.strictSame(await faultRules(test.app), [{ ...CANCEL_FAILS, matched: 0, fired: 0 }], '?faults=false is the default')
})

t.test('reset?faults=true puts the rules back to MOCK_FAULTS: rules added at run time go, removed ones come back', async (t) => {
  const envRule = { id: 'env-rule', operation: 'getShareTaskDetail', error: 'APIGW.0308' }
  const test = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify([envRule]) } })
  t.equal((await addFault(test.app, CANCEL_FAILS)).statusCode, 201)
  t.equal((await postApi(test, CANCEL_URL, { jobId: '1' })).statusCode, 500)
  t.equal((await faultRules(test.app)).length, 2)

  const res = await reset(test.app, '?faults=true')
  t.equal(res.statusCode, 200)
  t.equal(res.json<{ faultRules: number }>().faultRules, 1)
  t.strictSame(await faultRules(test.app), [{ ...envRule, matched: 0, fired: 0 }], 'only the env rule, counters at zero')

  await test.app.inject({ method: 'DELETE', url: ADMIN_FAULTS_URL })
  t.strictSame(await faultRules(test.app), [])
  await reset(test.app, '?faults=true')
  t.strictSame(await faultRules(test.app), [{ ...envRule, matched: 0, fired: 0 }], 'a cleared plan gets the env rule back')
})

t.test('reset?faults=true brings back the MOCK_ERROR_RATE rule', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ERROR_RATE: '0.25' } })
  const configured = [{ id: 'MOCK_ERROR_RATE', operation: '*', probability: 0.25, error: 13000201, matched: 0, fired: 0 }]
  t.strictSame(await faultRules(app), configured)
  await app.inject({ method: 'DELETE', url: ADMIN_FAULTS_URL })
  await reset(app)
  t.strictSame(await faultRules(app), [], 'a plain reset keeps the plan as it is')
  t.equal((await reset(app, '?faults=true')).json<{ faultRules: number }>().faultRules, 1)
  t.strictSame(await faultRules(app), configured)
})

t.test('reset?faults=true with no MOCK_FAULTS leaves no rules', async (t) => {
  const { app } = await startTestApp(t)
  await addFault(app, CANCEL_FAILS)
  const res = await reset(app, '?faults=true')
  t.equal(res.json<{ faultRules: number }>().faultRules, 0)
  t.strictSame(await faultRules(app), [])
})

t.test('a MOCK_FAULTS rule without an id keeps its generated id across reset?faults=true', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_FAULTS: '[{"operation":"cancelJob","error":13000201}]' } })
  t.match(await faultRules(app), [{ id: 'MOCK_FAULTS-1' }], 'named after its place in MOCK_FAULTS')
  await reset(app, '?faults=true')
  t.match(await faultRules(app), [{ id: 'MOCK_FAULTS-1' }], 'X-Mock-Fault-Applied names the same rule before and after a reset')
})

t.test('reset refuses a bad query with 13000102 and resets nothing', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  assertKooDriveError(t, await reset(test.app, '?faults=bogus'), PARAMETER_INVALID, 'Parameter invalid: faults must be one of true, false')
  assertKooDriveError(t, await reset(test.app, '?faults=TRUE'), PARAMETER_INVALID, 'Parameter invalid: faults must be one of true, false')
  assertKooDriveError(t, await reset(test.app, '?world=true'), PARAMETER_INVALID, 'Parameter invalid: world is not a known field')
  t.ok(await adminTask(test, taskId), 'the task is still there')
})
