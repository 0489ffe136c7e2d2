import t from 'tap'
import { createKooDriveClient, startMockServer, type MockServer } from '../../src/index.js'
import { packageExample } from '../helpers/requests.js'

const WORKERS = 16

/** What one worker saw: the IDs it was given, and every way another worker could have leaked in. */
interface WorkerRun {
  name: string
  taskIds: string[]
  requestIds: string[]
  failures: string[]
}

/**
 * One test worker, as a Vitest or Playwright worker would run against a shared emulator: reset its
 * namespace, inject a fault, run the flow (the fault, then a package download polled to completion
 * and fetched), move its clock, and check that its namespace holds exactly what it did.
 */
async function worker(mock: MockServer, name: string): Promise<WorkerRun> {
  const admin = mock.admin.namespace(name)
  const kd = createKooDriveClient({ baseUrl: mock.url, token: 'ann-token', userId: 'ann', namespace: name })
  const run: WorkerRun = { name, taskIds: [], requestIds: [], failures: [] }
  const expect = (ok: boolean, what: string) => {
    if (!ok) run.failures.push(what)
  }
  await admin.reset({ faults: true })
  await admin.faults.add({ id: `${name}-once`, operation: 'createShareTask', error: 13000007, times: 1 })
  const body = { ...packageExample, taskType: 1 as const, zipName: `${name}.zip` }
  const refused = await kd.POST('/koodrive/ose/v1/share/tasks', { body })
  expect((refused.error as { code?: number } | undefined)?.code === 13000007, 'its own fault fired on its first create')
  for (let i = 0; i < 2; i++) {
    const created = await kd.POST('/koodrive/ose/v1/share/tasks', { body })
    run.requestIds.push(String(created.response.headers.get('x-request-id')))
    if (created.data === undefined) return { ...run, failures: [...run.failures, `create failed: ${JSON.stringify(created.error)}`] }
    run.taskIds.push(created.data.taskId)
  }
  const clock = await admin.clock.advance(60_000)
  expect(clock.offsetMs === 60_000, `its clock moved by its own advance only (offset ${clock.offsetMs})`)
  for (const taskId of run.taskIds) {
    const detail = await kd.POST('/koodrive/ose/v1/share/taskDetail', { body: { taskId, shareId: packageExample.shareId } })
    expect(detail.data?.jobInfo.taskStatus === 2, `task ${taskId} completed`)
    const downloadUrl = detail.data?.jobInfo.downloadUrl ?? ''
    expect(new URL(downloadUrl).searchParams.get('namespace') === name, 'its download URL names its namespace')
    const zip = await fetch(downloadUrl)
    expect(zip.status === 200 && zip.headers.get('content-disposition')?.includes(`${name}.zip`) === true, 'its zip downloads under its name')
    await zip.arrayBuffer()
  }
  const tasks = await admin.tasks.list()
  expect(tasks.length === 2 && tasks.every((task) => run.taskIds.includes(task.taskId)), `its namespace holds its 2 tasks only (${tasks.length})`)
  expect((await admin.requests.count({ operation: 'createShareTask' })) === 3, 'its journal has its 3 creates')
  const calls = await admin.requests.count()
  expect(calls === 7, `and its 7 calls (3 creates, 2 polls, 2 downloads), nothing else (${calls})`)
  const [rule] = await admin.faults.list()
  expect(rule?.id === `${name}-once` && rule.fired === 1, 'its rule fired once, for it')
  return run
}

t.test(`${WORKERS} parallel workers on one server, each in its own namespace: no failures, no cross-talk`, async (t) => {
  const mock = await startMockServer({ env: { MOCK_RANDOM_SEED: '11' } })
  t.teardown(() => mock.close())
  const names = Array.from({ length: WORKERS }, (_, i) => `worker-${i}`)
  const runs = await Promise.all(names.map((name) => worker(mock, name)))
  const failures = runs.flatMap((run) => run.failures.map((failure) => `${run.name}: ${failure}`))
  t.same(failures, [], 'no worker saw anything wrong')
  const taskIds = runs.flatMap((run) => run.taskIds)
  t.equal(new Set(taskIds).size, WORKERS * 2, 'task IDs are unique across namespaces')
  const listed = await mock.admin.namespaces.list()
  t.same(listed.map((namespace) => namespace.name).sort(), ['default', ...names].sort())
  t.equal(listed.find((namespace) => namespace.name === 'default')?.requests, 0, 'default saw none of it')
  t.comment(`${WORKERS} workers: ${failures.length} failures, ${taskIds.length - new Set(taskIds).size} shared task IDs`)

  // Each namespace's IDs follow from the seed, its name and its own requests: the same worker alone
  // on a fresh server gets the same task and request IDs as it did among fifteen others.
  const alone = await startMockServer({ env: { MOCK_RANDOM_SEED: '11' } })
  t.teardown(() => alone.close())
  const solo = await worker(alone, 'worker-5')
  t.same(solo.failures, [])
  const together = runs[5] as WorkerRun
  t.same([solo.taskIds, solo.requestIds], [together.taskIds, together.requestIds], 'worker-5 alone and among 15 others: the same IDs')
})
