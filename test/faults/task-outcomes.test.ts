import t from 'tap'
import type { TaskDetailResponse } from '../../schemas/task-detail.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, createTask, fetchObject, packageExample, postApi, taskDetail, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { unzip } from '../helpers/zips.js'
import { taskTime } from '../helpers/tasks.js'
import { dumpCopies, taskCount } from '../helpers/admin.js'

const QUARTERLY_REPORT = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'
/** Files the lenient world makes up in the vendor example's share on first use. */
const MADE_UP = ['FmadeUpFileNumber0000000000000001', 'FmadeUpFileNumber0000000000000002']
const TARGET = vendorExample.targetFileId
/** The default timing: pending 500 ms, completed 3000 ms after creation. */
const START_DELAY_MS = 500
const DURATION_MS = 3000

const dumpOf = (fileIds: string[]) => ({ ...vendorExample, fileIds })
const zipOf = (fileIds: string[]) => ({ ...packageExample, fileIds })

/** share/taskDetail of a task, which must answer 200. */
async function detailOf(test: TestApp, taskId: string, shareId = vendorExample.shareId): Promise<TaskDetailResponse> {
  const res = await taskDetail(test, taskId, shareId)
  if (res.statusCode !== 200) throw new Error(`share/taskDetail failed: ${res.body}`)
  return res.json() as TaskDetailResponse
}

/** Copies a dump made in the vendor example's target folder. */
const copiesInTarget = async (test: TestApp) =>
  (await dumpCopies(test)).filter((file) => file.containerId === TARGET.containerId && file.parentId === TARGET.fileId).length

t.test('success (or no rule): every file succeeds, the dump copies them', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'success' } }] })
  const before = await copiesInTarget(test)
  const res = await postApi(test, TASKS_URL, dumpOf([QUARTERLY_REPORT, MADE_UP[0]!]))
  t.equal(res.headers['x-mock-fault-applied'], 'rule-1')
  test.clock.advance(DURATION_MS)
  const detail = await detailOf(test, res.json().taskId)
  t.equal(detail.jobInfo.taskStatus, 2)
  t.equal(detail.jobInfo.taskResultCode, 1)
  t.strictSame(detail.taskInfos.map((file) => file.status), ['1', '1'])
  t.ok(detail.taskInfos.every((file) => typeof file.newFileId === 'string'))
  t.equal(await copiesInTarget(test), before + 2)
})

t.test('partial on a dump of 2 files: the second fails, taskResultCode 2, only the first is copied', async (t) => {
  const test = await startTestApp(t, { faults: [{ id: 'partial-dump', operation: 'createShareTask', match: { taskType: 2 }, task: { outcome: 'partial' } }] })
  const before = await copiesInTarget(test)
  const res = await postApi(test, TASKS_URL, dumpOf([QUARTERLY_REPORT, MADE_UP[0]!]))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-mock-fault-applied'], 'partial-dump')
  const taskId = res.json().taskId as string
  test.clock.advance(DURATION_MS - 1)
  t.equal((await detailOf(test, taskId)).jobInfo.taskStatus, 1, 'processing until its normal end')
  test.clock.advance(1)
  const detail = await detailOf(test, taskId)
  t.match(detail.jobInfo, { taskStatus: 2, taskResultCode: 2, progress: 100, endTime: taskTime(test.clock.now()) })
  t.equal(detail.taskInfos.length, 2)
  t.match(detail.taskInfos[0], { fileId: QUARTERLY_REPORT, status: '1', newFileId: /^F/ })
  t.strictSame(detail.taskInfos[1], { fileId: MADE_UP[0], status: '2', srcContainerId: vendorExample.containerId })
  t.equal(await copiesInTarget(test), before + 1)
})

t.test('partial on 3 files fails every second one', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'partial' } }] })
  const taskId = await createTask(test, dumpOf([QUARTERLY_REPORT, ...MADE_UP]))
  test.clock.advance(DURATION_MS)
  const detail = await detailOf(test, taskId)
  t.equal(detail.jobInfo.taskResultCode, 2)
  t.strictSame(detail.taskInfos.map((file) => file.status), ['1', '2', '1'])
})

t.test('partial on a single file fails it: "2", all failed', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'partial' } }] })
  const before = await copiesInTarget(test)
  const taskId = await createTask(test, vendorExample)
  test.clock.advance(DURATION_MS)
  const detail = await detailOf(test, taskId)
  t.strictSame(detail.taskInfos, [{ fileId: QUARTERLY_REPORT, status: '2', srcContainerId: vendorExample.containerId }])
  t.equal(detail.jobInfo.taskResultCode, 3)
  t.equal(await copiesInTarget(test), before)
})

t.test('partial on a package download: the zip holds only the files that succeeded', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', match: { taskType: 1 }, task: { outcome: 'partial' } }] })
  const taskId = await createTask(test, zipOf([QUARTERLY_REPORT, MADE_UP[0]!]))
  test.clock.advance(DURATION_MS)
  const detail = await detailOf(test, taskId)
  t.equal(detail.jobInfo.taskResultCode, 2)
  t.strictSame(detail.taskInfos.map((file) => file.status), ['1', '2'])
  t.type(detail.jobInfo.downloadUrl, 'string', 'a partly failed package still has its zip')
  const zip = await fetchObject(test, detail.jobInfo.downloadUrl as string)
  t.equal(zip.statusCode, 200)
  t.strictSame((await unzip(zip.rawPayload)).map((entry) => entry.name), ['Quarterly report.pdf'])
})

t.test('failed: every file "2", taskResultCode 3, no downloadUrl', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'failed' } }] })
  const taskId = await createTask(test, zipOf([QUARTERLY_REPORT, MADE_UP[0]!]))
  test.clock.advance(DURATION_MS)
  const detail = await detailOf(test, taskId)
  t.match(detail.jobInfo, { taskStatus: 2, taskResultCode: 3, progress: 100 })
  t.notOk('downloadUrl' in detail.jobInfo, 'nothing to download')
  t.strictSame(detail.taskInfos.map((file) => file.status), ['2', '2'])
})

t.test('failed on a dump copies nothing', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'failed' } }] })
  const before = await copiesInTarget(test)
  const taskId = await createTask(test, dumpOf([QUARTERLY_REPORT, ...MADE_UP]))
  test.clock.advance(DURATION_MS * 10)
  const detail = await detailOf(test, taskId)
  t.equal(detail.jobInfo.taskResultCode, 3)
  t.strictSame(detail.taskInfos, [QUARTERLY_REPORT, ...MADE_UP].map((fileId) => ({ fileId, status: '2', srcContainerId: vendorExample.containerId })))
  t.equal(await copiesInTarget(test), before, 'no copy in the target folder')
})

t.test('cancelled: pending, then cancelled (3) once it would have started; nothing completes', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'cancelled' } }] })
  const before = await copiesInTarget(test)
  const createdAt = test.clock.now()
  const taskId = await createTask(test, vendorExample)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 0, progress: 0 })
  test.clock.advance(START_DELAY_MS - 1)
  t.equal((await detailOf(test, taskId)).jobInfo.taskStatus, 0, 'still pending just before the start')
  test.clock.advance(1)
  const cancelled = await detailOf(test, taskId)
  t.strictSame(cancelled.jobInfo, {
    userId: 'u1',
    taskId,
    taskType: 2,
    taskStatus: 3,
    createTime: taskTime(createdAt),
    startTime: taskTime(createdAt + START_DELAY_MS),
    endTime: taskTime(createdAt + START_DELAY_MS),
    progress: 0,
  })
  t.strictSame(cancelled.taskInfos, [{ fileId: QUARTERLY_REPORT, status: '0', srcContainerId: vendorExample.containerId }])
  test.clock.advance(DURATION_MS * 10)
  t.strictSame((await detailOf(test, taskId)).jobInfo, cancelled.jobInfo, 'it stays cancelled')
  t.equal(await copiesInTarget(test), before, 'the dump copied nothing')
  const cancel = await postApi(test, CANCEL_URL, { jobId: taskId })
  t.equal(cancel.statusCode, 400, 'a cancelled task cannot be cancelled again')
})

t.test('stuck: processing for ever, progress stops at 99', async (t) => {
  const test = await startTestApp(t, { faults: [{ id: 'stuck-zip', operation: 'createShareTask', match: { taskType: 1 }, task: { outcome: 'stuck' } }] })
  const createdAt = test.clock.now()
  const taskId = await createTask(test, packageExample)
  test.clock.advance(START_DELAY_MS + (DURATION_MS - START_DELAY_MS) / 2)
  const halfway = await detailOf(test, taskId)
  t.match(halfway.jobInfo, { taskStatus: 1, progress: 50 }, 'progress rises as for a normal task')
  test.clock.advance(DURATION_MS)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 1, progress: 99 })
  test.clock.advance(30 * 86_400_000)
  const later = await detailOf(test, taskId)
  t.strictSame(later.jobInfo, {
    userId: 'u1',
    taskId,
    taskType: 1,
    taskStatus: 1,
    createTime: taskTime(createdAt),
    startTime: taskTime(createdAt + START_DELAY_MS),
    progress: 99,
  }, 'a month later: still processing at 99 %, no end, no result')
  t.strictSame(later.taskInfos.map((file) => file.status), ['0'])
  const cancel = await postApi(test, CANCEL_URL, { jobId: taskId })
  t.equal(cancel.statusCode, 200, 'a stuck task can still be cancelled')
  t.equal((await detailOf(test, taskId)).jobInfo.taskStatus, 3)
})

t.test('durationMs overrides when the task ends', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'failed', durationMs: 60_000 } }] })
  const taskId = await createTask(test, vendorExample)
  test.clock.advance(DURATION_MS)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 1, progress: 4 }, 'the default end has passed: still processing')
  test.clock.advance(60_000 - DURATION_MS)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 2, taskResultCode: 3 })
})

t.test('durationMs 0 ends the task at creation; success with a duration is a normal task that takes that long', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', first: 1, task: { outcome: 'partial', durationMs: 0 } }, { operation: 'createShareTask', task: { outcome: 'success', durationMs: 10_000 } }] })
  const instant = await createTask(test, dumpOf([QUARTERLY_REPORT, MADE_UP[0]!]))
  t.match((await detailOf(test, instant)).jobInfo, { taskStatus: 2, taskResultCode: 2, progress: 100 })
  const slow = await createTask(test, packageExample)
  test.clock.advance(9_999)
  t.equal((await detailOf(test, slow)).jobInfo.taskStatus, 1)
  test.clock.advance(1)
  t.match((await detailOf(test, slow)).jobInfo, { taskStatus: 2, taskResultCode: 1 })
})

t.test('stuck with a durationMs reaches 99 % by then', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'stuck', durationMs: 100_500 } }] })
  const taskId = await createTask(test, vendorExample)
  test.clock.advance(START_DELAY_MS + 50_000)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 1, progress: 50 })
  test.clock.advance(50_000)
  t.match((await detailOf(test, taskId)).jobInfo, { taskStatus: 1, progress: 99 })
})

t.test('the X-Mock-Fault header forces an outcome: task=, taskDuration=', async (t) => {
  const test = await startTestApp(t)
  const partial = await createTask(test, dumpOf([QUARTERLY_REPORT, MADE_UP[0]!]), { 'x-mock-fault': 'task=partial' })
  const failed = await createTask(test, packageExample, { 'x-mock-fault': 'task=failed; taskDuration=100' })
  const stuck = await createTask(test, packageExample, { 'x-mock-fault': 'task=stuck' })
  const cancelled = await createTask(test, vendorExample, { 'x-mock-fault': 'task=cancelled' })
  const normal = await createTask(test, packageExample)
  test.clock.advance(100)
  t.match((await detailOf(test, failed)).jobInfo, { taskStatus: 2, taskResultCode: 3 }, 'taskDuration=100: done after 100 ms')
  test.clock.advance(DURATION_MS)
  t.strictSame((await detailOf(test, partial)).taskInfos.map((file) => file.status), ['1', '2'])
  t.match((await detailOf(test, stuck)).jobInfo, { taskStatus: 1, progress: 99 })
  t.equal((await detailOf(test, cancelled)).jobInfo.taskStatus, 3)
  t.match((await detailOf(test, normal)).jobInfo, { taskStatus: 2, taskResultCode: 1 }, 'a request without the header is untouched')
})

t.test('a task rule with an error does not create the task', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', task: { outcome: 'partial' }, error: 13000201 }] })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 500)
  t.equal(await taskCount(test), 0)
})

t.test('a task rule on every operation leaves the other operations alone', async (t) => {
  const test = await startTestApp(t, { faults: [{ id: 'one-failure', first: 1, task: { outcome: 'failed' } }] })
  const taskId = await createTask(test, vendorExample, { 'x-mock-fault': 'latency=0' })
  const detail = await taskDetail(test, taskId, vendorExample.shareId)
  t.equal(detail.statusCode, 200)
  t.equal(detail.headers['x-mock-fault-applied'], undefined, 'a taskDetail has no outcome to force: no fault applied to it', { })
  const second = await createTask(test, vendorExample)
  test.clock.advance(DURATION_MS)
  t.equal((await detailOf(test, second)).jobInfo.taskResultCode, 3, 'the one failure is left for the next createShareTask', { })
})
