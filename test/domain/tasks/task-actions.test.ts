import t from 'tap'
import { resultView } from '../../helpers/tasks.js'
import type { Seed } from '../../../schemas/seed.js'
import type { CreateShareTaskBody } from '../../../schemas/share-tasks.js'
import { ManualClock } from '../../../src/domain/time-and-ids/clock.js'
import { Emulator } from '../../../src/domain/emulator.js'
import { createShareTask } from '../../../src/domain/tasks/share-tasks.js'
import { TASK_ACTIONS } from '../../../schemas/admin.js'
import { actOnTask, findTask } from '../../../src/domain/tasks/task-actions.js'
import { taskPhaseAt, TaskStatus } from '../../../src/domain/tasks/task-lifecycle.js'
import { KooDriveError } from '../../../src/domain/errors.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0, 500)
const SRC = 'IAAsrcSpace1'
const DST = 'IAAdstSpace2'
const SHARE_ID = '1000000000000000001'

const SEED: Seed = {
  users: [
    { userId: 'ann', name: 'Ann', tokens: ['ann-token'] },
    { userId: 'bob', name: 'Bob', tokens: ['bob-token'] },
  ],
  spaces: [
    { containerId: SRC, ownerId: 'ann', capacityBytes: 10_000 },
    { containerId: DST, ownerId: 'bob', capacityBytes: 10_000 },
  ],
  files: [
    { fileId: 'Fa', containerId: SRC, parentId: 'root', name: 'a.txt', type: 'file', size: 10 },
    { fileId: 'Fb', containerId: SRC, parentId: 'root', name: 'b.txt', type: 'file', size: 20 },
    { fileId: 'Fc', containerId: SRC, parentId: 'root', name: 'c.txt', type: 'file', size: 30 },
    { fileId: 'Ftarget', containerId: DST, parentId: 'root', name: 'Saved', type: 'folder' },
  ],
  shares: [{ shareId: SHARE_ID, shortUrl: 'src-share', ownerId: 'ann', containerId: SRC, fileIds: ['Fa', 'Fb', 'Fc'] }],
}

/** Pending for 1 s, processing until 10 s. */
function emulator(): { emulator: Emulator; clock: ManualClock } {
  const clock = new ManualClock(T0)
  return {
    clock,
    emulator: new Emulator({
      clock,
      randomSeed: 42,
      seed: SEED,
      mode: 'strict',
      timing: { startDelayMs: 1_000, durationMs: 10_000 },
      maxTasks: 100,
      maxWorldEntries: 100_000,
      kdstokenTtlMs: 60_000,
      auth: 'lenient',
      tokenTtlMs: 1_200_000,
      maxFileBytes: 1024,
      objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share',
    }),
  }
}

const dump = (fileIds: string[]): CreateShareTaskBody => ({ taskType: 2, containerId: SRC, fileIds, shareId: SHARE_ID, targetFileId: { fileId: 'Ftarget', containerId: DST } })
const zip = (fileIds: string[]): CreateShareTaskBody => ({ taskType: 1, containerId: SRC, fileIds, shareId: SHARE_ID, zipName: 'out.zip' })
const copiesIn = (e: Emulator) => e.world.childrenOf(DST, 'Ftarget').map((file) => [file.copiedFromId, file.fileId, file.editedAtMs])

t.test('TASK_ACTIONS: the four actions, in the order the API documents them', async (t) => {
  t.strictSame(TASK_ACTIONS, ['complete', 'fail', 'partial', 'cancel'])
})

t.test('findTask: any user\'s task; an unknown one is 13000309', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', dump(['Fa']), T0)
  t.equal(findTask(e, task.taskId), task)
  t.throws(() => findTask(e, 'nope'), new KooDriveError(13000309, 'Resource not found: no task nope'))
  try {
    findTask(e, 'nope')
  } catch (error) {
    t.match(error, { code: 13000309, message: 'Resource not found: no task nope' })
    t.notOk('statusCode' in (error as object), 'a domain error has no HTTP status: the HTTP layer gives it one')
  }
})

t.test('complete on a pending dump: it starts and ends now, and its copies are made now', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', dump(['Fa', 'Fb']), T0)
  const now = T0 + 300
  const acted = actOnTask(e, task.taskId, 'complete', now)
  t.equal(acted, task, 'the stored task, changed in place')
  t.equal(task.startAtMs, now)
  t.equal(task.endAtMs, now)
  t.equal(task.outcome, undefined)
  const copies = copiesIn(e)
  t.strictSame(copies.map(([from, , at]) => [from, at]), [['Fa', now], ['Fb', now]])
  t.strictSame(resultView(task), {
    files: [
      { fileId: 'Fa', status: '1', newFileId: copies[0]?.[1] },
      { fileId: 'Fb', status: '1', newFileId: copies[1]?.[1] },
    ],
    resultCode: 1,
  })
  t.strictSame(taskPhaseAt(task, now), { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: now, endedAtMs: now })
})

t.test('complete on a processing task keeps its start', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', zip(['Fa']), T0)
  const now = T0 + 5_000
  actOnTask(e, task.taskId, 'complete', now)
  t.equal(task.startAtMs, T0 + 1_000)
  t.equal(task.endAtMs, now)
  t.strictSame(resultView(task), { files: [{ fileId: 'Fa', status: '1' }], resultCode: 1, packaged: true })
})

t.test('the emulator does not complete an ended task a second time at its old end', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', dump(['Fa']), T0)
  actOnTask(e, task.taskId, 'complete', T0 + 2_000)
  const result = task.result
  e.settle(T0 + 20_000)
  t.equal(task.result, result, 'the same result object')
  t.equal(copiesIn(e).length, 1, 'one copy')
})

t.test('fail: every file fails, no copies, no package', async (t) => {
  const { emulator: e } = emulator()
  const dumped = createShareTask(e, 'bob', dump(['Fa', 'Fb']), T0)
  const zipped = createShareTask(e, 'bob', zip(['Fa', 'Fb']), T0)
  actOnTask(e, dumped.taskId, 'fail', T0 + 100)
  actOnTask(e, zipped.taskId, 'fail', T0 + 100)
  t.equal(dumped.outcome, 'failed')
  t.strictSame(resultView(dumped), { files: [{ fileId: 'Fa', status: '2' }, { fileId: 'Fb', status: '2' }], resultCode: 3 })
  t.strictSame(resultView(zipped), { files: [{ fileId: 'Fa', status: '2' }, { fileId: 'Fb', status: '2' }], resultCode: 3 })
  t.strictSame(copiesIn(e), [])
})

t.test('partial: every second file fails; a package is still made', async (t) => {
  const { emulator: e } = emulator()
  const dumped = createShareTask(e, 'bob', dump(['Fa', 'Fb', 'Fc']), T0)
  const zipped = createShareTask(e, 'bob', zip(['Fa', 'Fb']), T0)
  actOnTask(e, dumped.taskId, 'partial', T0 + 100)
  actOnTask(e, zipped.taskId, 'partial', T0 + 100)
  t.equal(dumped.outcome, 'partial')
  t.strictSame(copiesIn(e).map(([from]) => from), ['Fa', 'Fc'])
  t.match(resultView(dumped), { files: [{ fileId: 'Fa', status: '1' }, { fileId: 'Fb', status: '2' }, { fileId: 'Fc', status: '1' }], resultCode: 2 })
  t.strictSame(resultView(zipped), {
    files: [{ fileId: 'Fa', status: '1' }, { fileId: 'Fb', status: '2' }],
    resultCode: 2,
    packaged: true,
  })
})

t.test('cancel: stops now, keeps the schedule, no result, nothing copied ever', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', dump(['Fa']), T0)
  const acted = actOnTask(e, task.taskId, 'cancel', T0 + 3_500)
  t.equal(acted, task)
  t.equal(task.cancelledAtMs, T0 + 3_500)
  t.equal(task.endAtMs, T0 + 10_000, 'the schedule is kept: progress freezes where it was')
  t.equal(task.outcome, undefined)
  t.equal(task.result, undefined)
  e.settle(T0 + 20_000)
  t.equal(task.result, undefined)
  t.strictSame(copiesIn(e), [])
  t.strictSame(taskPhaseAt(task, T0 + 20_000), { status: TaskStatus.CANCELLED, progress: 27, startedAtMs: T0 + 1_000, endedAtMs: T0 + 3_500 })
})

t.test('a finished task cannot be acted on: 13000102, and it is settled first', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', dump(['Fa']), T0)
  const end = T0 + 10_000
  t.throws(
    () => actOnTask(e, task.taskId, 'fail', end),
    new KooDriveError(13000102, `Parameter invalid: action: task ${task.taskId} has already finished; only a pending or processing task can be ended`),
  )
  t.match(resultView(task), { resultCode: 1 }, 'it completed by the clock, normally')
  t.equal(task.outcome, undefined, 'and the refused action left no mark')
  t.throws(
    () => actOnTask(e, task.taskId, 'cancel', end),
    new KooDriveError(13000102, `Parameter invalid: action: task ${task.taskId} has already finished; only a pending or processing task can be cancelled`),
  )
  const cancelled = createShareTask(e, 'bob', zip(['Fa']), end)
  actOnTask(e, cancelled.taskId, 'cancel', end + 1)
  t.throws(() => actOnTask(e, cancelled.taskId, 'complete', end + 1), { code: 13000102 })
  t.throws(() => actOnTask(e, 'nope', 'complete', end), { code: 13000309 })
})

t.test('complete ends a task that would never end (stuck)', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', zip(['Fa']), T0, { outcome: 'stuck' })
  t.equal(task.endAtMs, Infinity)
  t.equal(taskPhaseAt(task, T0 + 60_000).progress, 99)
  actOnTask(e, task.taskId, 'complete', T0 + 60_000)
  t.equal(task.endAtMs, T0 + 60_000)
  t.equal(task.progressEndAtMs, undefined)
  t.strictSame(taskPhaseAt(task, T0 + 60_000), { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: T0 + 1_000, endedAtMs: T0 + 60_000 })
  t.match(resultView(task), { resultCode: 1 })
})

t.test('complete on a task a fault will cancel: it stays completed', async (t) => {
  const { emulator: e } = emulator()
  const task = createShareTask(e, 'bob', zip(['Fa']), T0, { outcome: 'cancelled' })
  t.equal(task.cancelledAtMs, T0 + 1_000, 'the fault cancels it when it would start')
  actOnTask(e, task.taskId, 'complete', T0 + 200)
  t.equal(taskPhaseAt(task, T0 + 200).status, TaskStatus.COMPLETED)
  t.equal(taskPhaseAt(task, T0 + 5_000).status, TaskStatus.COMPLETED, 'still completed after the fault\'s cancel time')
})
