import t, { type Test } from 'tap'
import type { Seed } from '../../schemas/seed.js'
import { AdminApiError, AdminClient, startMockServer, type MockServer, type MockServerOptions } from '../../src/index.js'
import { VERSION } from '../../src/version.js'
import { carrierHeaders, packageExample, vendorExample } from '../helpers/requests.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { validateResponses } from '../support/response-validation.js'

const DEFAULT_COUNTS = { users: 3, spaces: 3, files: 1244, shares: 7 }

async function start(t: Test, options?: MockServerOptions): Promise<MockServer> {
  const mock = await startMockServer(options, { instrument: validateResponses })
  t.teardown(() => mock.close())
  return mock
}

/** A KooDrive call over the socket as `userId`, signed by the emulator's clock. */
async function kooDrive(mock: MockServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${mock.url}/koodrive/ose/v1/${path}`, { method: 'POST', headers: carrierHeaders(mock.app.clock.now(), headers), body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const createTask = async (mock: MockServer, body: unknown, headers: Record<string, string> = {}) => (await kooDrive(mock, 'share/tasks', body, headers)).body.taskId as string

t.test('health and ready', async (t) => {
  const mock = await start(t)
  const health = await mock.admin.health()
  t.strictSame(health, { status: 'ok', version: VERSION, uptimeS: health.uptimeS })
  t.type(health.uptimeS, 'number')
  const ready = await mock.admin.ready()
  t.strictSame(ready, { status: 'ready', world: DEFAULT_COUNTS, tasks: 0, seed: { source: 'default', watching: false, loadedAt: ready.seed.loadedAt, version: 1 } })
  t.equal(ready.seed.loadedAt, new Date(mock.app.clock.now()).toISOString(), 'loaded at start, by the emulator\'s (manual) clock')
  await createTask(mock, packageExample)
  t.match(await mock.admin.ready(), { status: 'ready', world: DEFAULT_COUNTS, tasks: 1 })
})

t.test('reset, and reset with the fault rules', async (t) => {
  const envRule = { id: 'env-rule', operation: 'cancelJob' as const, error: 13000201 }
  const mock = await start(t, { env: { MOCK_FAULTS: JSON.stringify([envRule]) } })
  await createTask(mock, packageExample)
  await mock.admin.faults.add({ id: 'added', operation: 'getShareTaskDetail', error: 'APIGW.0308' })

  const plain = await mock.admin.reset()
  t.strictSame(plain, { status: 'reset', world: DEFAULT_COUNTS, faultRules: 2, durationMs: plain.durationMs })
  t.type(plain.durationMs, 'number')
  t.strictSame(await mock.admin.tasks.list(), [], 'tasks cleared')

  const withFaults = await mock.admin.reset({ faults: true })
  t.strictSame(withFaults, { status: 'reset', world: DEFAULT_COUNTS, faultRules: 1, durationMs: withFaults.durationMs })
  t.strictSame(await mock.admin.faults.list(), [{ ...envRule, matched: 0, fired: 0 }])

  await mock.admin.faults.add({ id: 'added', operation: 'getShareTaskDetail', error: 'APIGW.0308' })
  t.equal((await mock.admin.reset({ faults: false })).faultRules, 2, 'faults: false keeps the rules')
})

t.test('faults: list, replace, add, clear', async (t) => {
  const mock = await start(t)
  t.strictSame(await mock.admin.faults.list(), [])
  const throttle = { id: 'throttle', operation: 'getShareTaskDetail' as const, every: 2, error: 'APIGW.0308', retryAfterS: 1 }
  t.strictSame(await mock.admin.faults.replace([throttle]), [{ ...throttle, matched: 0, fired: 0 }])
  const added = await mock.admin.faults.add({ operation: 'cancelJob', error: 13000201 })
  t.strictSame(added, { operation: 'cancelJob', error: 13000201, id: 'rule-1', matched: 0, fired: 0 })

  t.equal((await kooDrive(mock, 'cancel', { jobId: '1' })).status, 500, 'the added rule fires')
  t.strictSame(await mock.admin.faults.list(), [
    { ...throttle, matched: 0, fired: 0 },
    { ...added, matched: 1, fired: 1 },
  ])
  t.equal(await mock.admin.faults.clear(), undefined)
  t.strictSame(await mock.admin.faults.list(), [])
  t.strictSame(await mock.admin.faults.replace([]), [])
})

t.test('requests: list, count and clear, with every filter', async (t) => {
  const mock = await start(t)
  const t0 = mock.app.clock.now()
  await kooDrive(mock, 'share/verify', { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode })
  await kooDrive(mock, 'share/verify', { shortUrl: SHARES.contracts.shortUrl, extractCode: '00000000' }, { 'x-user-id': 'ann' })
  await mock.admin.clock.advance(1000)
  await createTask(mock, packageExample)

  const all = await mock.admin.requests.list()
  t.strictSame(all.map((entry) => [entry.id, entry.operation, entry.userId, entry.status]), [
    [3, 'createShareTask', 'u1', 200],
    [2, 'verifyShare', 'ann', 400],
    [1, 'verifyShare', 'u1', 200],
  ])
  t.match(all[2], {
    method: 'POST',
    path: '/koodrive/ose/v1/share/verify',
    query: '',
    time: new Date(t0).toISOString(),
    headers: { authorization: '[Redacted]', 'x-user-id': 'u1' },
    body: { shortUrl: SHARES.contracts.shortUrl, extractCode: '[Redacted]' },
    responseBody: { code: 0, msg: 'Success', kdstoken: '[Redacted]' },
    fault: null,
  })
  const ids = async (filter: Parameters<AdminClient['requests']['list']>[0]) => (await mock.admin.requests.list(filter)).map((entry) => entry.id)
  t.strictSame(await ids({ operation: 'verifyShare' }), [2, 1])
  t.strictSame(await ids({ status: 400 }), [2])
  t.strictSame(await ids({ userId: 'u1' }), [3, 1])
  t.strictSame(await ids({ since: t0 + 1000 }), [3], 'since as epoch ms')
  t.strictSame(await ids({ since: new Date(t0 + 1000).toISOString() }), [3], 'since as ISO')
  t.strictSame(await ids({ limit: 1 }), [3])
  t.strictSame(await ids({ operation: 'verifyShare', userId: undefined, limit: 1 }), [2], 'undefined filters are left out')
  t.equal(await mock.admin.requests.count(), 3)
  t.equal(await mock.admin.requests.count({ operation: 'verifyShare', status: 200 }), 1)
  t.equal(await mock.admin.requests.count({ since: t0 + 1 }), 1)
  t.equal(await mock.admin.requests.clear(), undefined)
  t.equal(await mock.admin.requests.count(), 0)
  t.strictSame(await mock.admin.requests.list(), [])
})

t.test('tasks: list with filters, get, act', async (t) => {
  const mock = await start(t)
  const zip = await createTask(mock, packageExample)
  const dump = await createTask(mock, vendorExample, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })

  t.strictSame((await mock.admin.tasks.list()).map((task) => task.taskId), [dump, zip])
  t.strictSame((await mock.admin.tasks.list({ taskType: 1 })).map((task) => task.taskId), [zip])
  t.strictSame((await mock.admin.tasks.list({ userId: 'ann', shareId: vendorExample.shareId })).map((task) => task.taskId), [dump])
  t.strictSame((await mock.admin.tasks.list({ taskStatus: 0, limit: 1 })).map((task) => task.taskId), [dump])
  t.strictSame(await mock.admin.tasks.list({ taskStatus: 2 }), [])

  const one = await mock.admin.tasks.get(dump)
  t.match(one, { taskId: dump, userId: 'ann', shareId: vendorExample.shareId, jobInfo: { taskStatus: 0, progress: 0 }, request: { kdstoken: '[Redacted]' } })

  const completed = await mock.admin.tasks.act(zip, 'complete')
  t.match(completed, { taskId: zip, jobInfo: { taskStatus: 2, taskResultCode: 1, progress: 100, downloadUrl: `${mock.url}/obs/koodrive-share/packages/${zip}/holiday.zip?` } })
  t.equal((await fetch(completed.jobInfo.downloadUrl as string)).status, 200, 'the zip is there at once')
  const cancelled = await mock.admin.tasks.act(dump, 'cancel')
  t.match(cancelled, { jobInfo: { taskStatus: 3 } })
  t.strictSame((await mock.admin.tasks.list({ taskStatus: 3 })).map((task) => task.taskId), [dump])
})

t.test('clock: get and advance', async (t) => {
  const mock = await start(t)
  const before = await mock.admin.clock.get()
  t.strictSame(before, { mode: 'manual', nowMs: before.nowMs, now: new Date(before.nowMs).toISOString(), offsetMs: 0 })
  const after = await mock.admin.clock.advance(90_000)
  t.strictSame(after, { mode: 'manual', nowMs: before.nowMs + 90_000, now: new Date(before.nowMs + 90_000).toISOString(), offsetMs: 90_000 })
  t.strictSame(await mock.admin.clock.get(), after)
})

t.test('world: get, replace, addShare', async (t) => {
  const mock = await start(t)
  const world = await mock.admin.world.get()
  t.strictSame([world.users.length, world.spaces.length, world.files.length, world.shares.length], [3, 3, 1244, 7])

  const small: Seed = {
    users: [{ userId: 'u1', name: 'Ann', tokens: ['t-ann'] }],
    spaces: [{ containerId: 'IAAann1', ownerId: 'u1', capacityBytes: 1_000_000 }],
    files: [{ fileId: 'Fa', containerId: 'IAAann1', parentId: 'root', name: 'a.pdf', type: 'file', size: 1024 }],
    shares: [{ shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'u1', containerId: 'IAAann1', fileIds: ['Fa'] }],
  }
  t.strictSame(await mock.admin.world.replace(small), { users: 1, spaces: 1, files: 1, shares: 1 })
  t.strictSame(
    await mock.admin.world.addShare({
      share: { shareId: '1000000000000000003', shortUrl: '1000000000000000004', ownerId: 'u1', containerId: 'IAAann1', fileIds: ['Fb'] },
      files: [{ fileId: 'Fb', containerId: 'IAAann1', parentId: 'root', name: 'b.pdf', type: 'file', size: 1 }],
    }),
    { users: 1, spaces: 1, files: 2, shares: 2 },
  )
  t.strictSame((await mock.admin.world.get()).shares.map((share) => share.shareId), ['1000000000000000001', '1000000000000000003'])
  t.strictSame(await mock.admin.world.replace(world), DEFAULT_COUNTS, 'and back')
  t.equal((await kooDrive(mock, 'share/tasks', { ...packageExample, containerId: SPACES.ann })).status, 200)
})

t.test('an error answer is an AdminApiError with the status and the body', async (t) => {
  const mock = await start(t)
  const error = await mock.admin.tasks.act('1234567890123456789', 'complete').then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  t.type(error, AdminApiError)
  t.type(error, Error)
  const apiError = error as AdminApiError
  t.equal(apiError.name, 'AdminApiError')
  t.equal(apiError.status, 400)
  t.strictSame(apiError.body, { code: 13000309, msg: 'Resource not found: no task 1234567890123456789' })
  t.equal(apiError.message, 'admin API answered 400: {"code":13000309,"msg":"Resource not found: no task 1234567890123456789"}')

  await t.rejects(mock.admin.clock.advance(-1), { name: 'AdminApiError', status: 400, body: { code: 13000102, msg: 'Parameter invalid: advanceMs must be >= 0' } })
  await t.rejects(mock.admin.faults.add({ latencyMs: [5, 1] }), { name: 'AdminApiError', status: 400, body: { code: 13000102, msg: 'Parameter invalid: rule.latencyMs: [min, max] needs min <= max, got [5, 1]' } })
  const dangling: Seed = { users: [], spaces: [], files: [], shares: [{ shareId: '1', shortUrl: '2', ownerId: 'nobody', containerId: 'IAAx', fileIds: ['Fx'] }] }
  await t.rejects(mock.admin.world.replace(dangling), { name: 'AdminApiError', status: 400, body: { code: 13000102, msg: /^Parameter invalid: shares\[0\] \(shareId "1"\): ownerId "nobody" is not a user/ } })
  await t.rejects(mock.admin.requests.list({ since: 'yesterday' }), { name: 'AdminApiError', status: 400, body: { msg: 'Parameter invalid: since must be an ISO-8601 time or epoch milliseconds, got "yesterday"' } })
})

t.test('a task ID is escaped in the path', async (t) => {
  const mock = await start(t)
  await t.rejects(mock.admin.tasks.get('a/b?c'), { name: 'AdminApiError', status: 400, body: { code: 13000309, msg: 'Resource not found: no task a/b?c' } })
})

t.test('with MOCK_ADMIN_TOKEN the server\'s client sends the token; a client without it gets 401', async (t) => {
  const mock = await start(t, { env: { MOCK_ADMIN_TOKEN: 's3cret' } })
  t.strictSame(await mock.admin.faults.list(), [], 'the server\'s own client is authorized')
  t.equal((await mock.admin.reset()).status, 'reset')

  const anonymous = new AdminClient(mock.url)
  t.equal((await anonymous.health()).status, 'ok', 'health is open')
  t.equal((await anonymous.ready()).status, 'ready', 'ready is open')
  const error = await anonymous.faults.list().then(
    () => undefined,
    (thrown: unknown) => thrown as AdminApiError,
  )
  t.equal(error?.status, 401)
  const body = error?.body as { error_code: string; error_msg: string; request_id: string }
  t.strictSame(body, {
    error_code: 'APIGW.0301',
    error_msg: 'Incorrect IAM authentication information: the admin API needs Authorization: Bearer <MOCK_ADMIN_TOKEN>',
    request_id: body.request_id,
  })
  await t.rejects(new AdminClient(mock.url, 'wrong').clock.get(), { name: 'AdminApiError', status: 401 })
  t.equal((await new AdminClient(mock.url, 's3cret').clock.get()).mode, 'manual', 'a client made with the token')
})
