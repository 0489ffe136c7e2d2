import t from 'tap'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, createTask, packageExample, postApi, taskDetail, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { dumpCopies } from '../helpers/admin.js'

const BAD_REQUEST = 13000101
const PARAMETER_INVALID = 13000102
const RESOURCE_NOT_FOUND = 13000309
const REPORT_ID = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'

const cancel = (test: TestApp, jobId: unknown, headers: Record<string, string | undefined> = {}) => postApi(test, CANCEL_URL, { jobId }, headers)

t.test('a pending task cancels: status 3 from then on, progress 0, no startTime, endTime the moment of cancelling', async (t) => {
  const test = await startTestApp(t)
  const usedBefore = test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes
  const taskId = await createTask(test, vendorExample)
  test.clock.advance(200)
  const res = await cancel(test, taskId)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { code: 0, msg: 'Success' })
  const cancelled = {
    code: 0,
    msg: 'Success',
    jobInfo: { userId: 'u1', taskId, taskType: 2, taskStatus: 3, createTime: '20261126100000', endTime: '20261126100000', progress: 0 },
    taskInfos: [{ fileId: REPORT_ID, status: '0', srcContainerId: SPACES.ann }],
  }
  t.strictSame((await taskDetail(test, taskId, vendorExample.shareId)).json(), cancelled)
  test.clock.advance(60_000)
  t.strictSame((await taskDetail(test, taskId, vendorExample.shareId)).json(), cancelled, 'a minute later: still cancelled, nothing moved')
  t.equal((await dumpCopies(test, REPORT_ID)).length, 0, 'the dump never copied')
  t.equal(test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBefore, 'the target space is as it was')
})

t.test('a processing task cancels with its progress frozen where it was', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, vendorExample)
  test.clock.advance(1750)
  t.equal((await taskDetail(test, taskId, vendorExample.shareId)).json().jobInfo.progress, 50)
  t.equal((await cancel(test, taskId)).statusCode, 200)
  const expected = {
    userId: 'u1',
    taskId,
    taskType: 2,
    taskStatus: 3,
    createTime: '20261126100000',
    startTime: '20261126100001',
    endTime: '20261126100002',
    progress: 50,
  }
  t.strictSame((await taskDetail(test, taskId, vendorExample.shareId)).json().jobInfo, expected)
  test.clock.advance(10_000)
  t.strictSame((await taskDetail(test, taskId, vendorExample.shareId)).json().jobInfo, expected, 'frozen')
  t.equal((await dumpCopies(test, REPORT_ID)).length, 0, 'the dump never copied')
})

t.test('a cancelled dump can be made again into the same folder, and then copies', async (t) => {
  const test = await startTestApp(t)
  const first = await createTask(test, vendorExample)
  await cancel(test, first)
  const second = await createTask(test, vendorExample)
  test.clock.advance(3000)
  t.match((await taskDetail(test, second, vendorExample.shareId)).json(), { jobInfo: { taskStatus: 2, taskResultCode: 1 }, taskInfos: [{ status: '1' }] })
  t.equal((await dumpCopies(test, REPORT_ID)).length, 1)
})

t.test('a cancelled package download never gets a downloadUrl', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  test.clock.advance(2999)
  await cancel(test, taskId)
  test.clock.advance(10_000)
  const { jobInfo } = (await taskDetail(test, taskId, packageExample.shareId)).json()
  t.match(jobInfo, { taskStatus: 3, progress: 99 })
  t.notOk('downloadUrl' in jobInfo)
  t.notOk('taskResultCode' in jobInfo)
})

t.test('only a pending or processing task cancels: 13000102 otherwise', async (t) => {
  const test = await startTestApp(t)
  t.test('a completed task', async (t) => {
    const taskId = await createTask(test, packageExample)
    test.clock.advance(3000)
    assertKooDriveError(t, await cancel(test, taskId), PARAMETER_INVALID, `Parameter invalid: jobId ${taskId} is already completed; only a pending or processing task can be cancelled`)
    t.equal((await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo.taskStatus, 2, 'it stays completed')
  })
  t.test('a task at the very millisecond it completes', async (t) => {
    const taskId = await createTask(test, vendorExample)
    test.clock.advance(3000)
    assertKooDriveError(t, await cancel(test, taskId), PARAMETER_INVALID, `Parameter invalid: jobId ${taskId} is already completed; only a pending or processing task can be cancelled`)
  })
  t.test('a task cancelled already', async (t) => {
    const taskId = await createTask(test, packageExample)
    await cancel(test, taskId)
    assertKooDriveError(t, await cancel(test, taskId), PARAMETER_INVALID, `Parameter invalid: jobId ${taskId} is already cancelled; only a pending or processing task can be cancelled`)
  })
  t.test('MOCK_TASK_DURATION_MS=0: a task is completed before it can be cancelled', async (t) => {
    const instant = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0' } })
    const taskId = await createTask(instant, packageExample)
    t.equal((await cancel(instant, taskId)).json().code, PARAMETER_INVALID)
  })
})

t.test('a job the caller may not see is 13000309', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  assertKooDriveError(t, await cancel(test, '1234567890123456789'), RESOURCE_NOT_FOUND, 'Resource not found: no task 1234567890123456789 (jobId) for user u1')
  assertKooDriveError(t, await cancel(test, taskId, { 'x-user-id': 'bob' }), RESOURCE_NOT_FOUND, `Resource not found: no task ${taskId} (jobId) for user bob`)
  test.clock.advance(3000)
  t.equal((await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo.taskStatus, 2, "bob's attempt left u1's task running")
})

t.test('the body rules: each broken rule is 400 13000102 naming the field', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, unknown, string][] = [
    ['rejects a missing jobId', {}, 'jobId is required'],
    ['rejects an empty jobId', { jobId: '' }, 'jobId must not be empty'],
    // eslint-disable-next-line no-loss-of-precision -- a client that sends the ID as a number loses its last digits: exactly the mistake under test
    ['rejects a numeric jobId', { jobId: 1234567890123456789 }, 'jobId must be a string'],
    ['rejects a jobId over 128 characters', { jobId: '1'.repeat(129) }, 'jobId must be at most 128 characters long'],
    ['rejects an unknown field', { jobId: '1', taskId: '1' }, 'taskId is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await postApi(test, CANCEL_URL, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('rejects a body that is not a JSON object with 13000101', async (t) => {
    assertKooDriveError(t, await postApi(test, CANCEL_URL, '["1"]'), BAD_REQUEST, 'Bad request: the request body must be a JSON object')
  })
})

t.test('a task cancelled in the millisecond it was created never started', async (t) => {
  const test = await startTestApp(t)
  t.equal(test.clock.now(), START_MS)
  const res = await postApi(test, TASKS_URL, packageExample)
  const taskId = res.json().taskId as string
  t.equal((await cancel(test, taskId)).statusCode, 200)
  t.strictSame((await taskDetail(test, taskId, packageExample.shareId)).json().jobInfo, {
    userId: 'u1',
    taskId,
    taskType: 1,
    taskStatus: 3,
    createTime: '20261126100000',
    endTime: '20261126100000',
    progress: 0,
  })
})
