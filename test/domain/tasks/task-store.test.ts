import t from 'tap'
import type { CreateShareTaskBody } from '../../../schemas/share-tasks.js'
import { scheduleTask } from '../../../src/domain/tasks/task-lifecycle.js'
import { TaskStore, type ShareTask } from '../../../src/domain/tasks/task-store.js'

const dump: CreateShareTaskBody = {
  taskType: 2,
  containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: '1689765568237837824',
  targetFileId: { fileId: 'root', containerId: 'IAABh_RdhS8bOg0cA1684711052660690818' },
}

/** IDs "1", "2", "3"... so a test can tell tasks apart by creation order. */
function countingIds(): () => string {
  let next = 0
  return () => String(++next)
}

/** A task created at `createdAtMs` that completes `durationMs` later (Infinity: never). */
function taskFields(createdAtMs: number, durationMs: number, ownerId = 'u1'): Omit<ShareTask, 'taskId'> {
  return { ownerId, request: dump, ...scheduleTask(createdAtMs, { startDelayMs: 0, durationMs }) }
}

const RUNNING = Infinity
const FINISHED = 0

/** Fills a store with tasks "1".."n", each running or finished as `durations` says, all created at 0. */
function storeWith(maxTasks: number, durations: number[]): TaskStore {
  const store = new TaskStore(maxTasks, countingIds())
  for (const durationMs of durations) store.create(taskFields(0, durationMs), 0)
  return store
}

function ids(store: TaskStore): string[] {
  return [...store.values()].map((task) => task.taskId)
}

t.test('create stores a task under the next ID and returns it', async (t) => {
  const store = new TaskStore(10, countingIds())
  const task = store.create(taskFields(1_000, 5_000), 1_000)
  t.strictSame(task, { taskId: '1', ownerId: 'u1', request: dump, createdAtMs: 1_000, startAtMs: 1_000, endAtMs: 6_000, result: undefined })
  t.equal(store.get('1'), task, 'get returns the stored task itself')
  t.equal(store.size, 1)
  t.equal(store.maxTasks, 10)
})

t.test('get returns undefined for an ID it never gave out', async (t) => {
  const store = storeWith(10, [RUNNING])
  t.equal(store.get('2'), undefined)
  t.equal(store.get(''), undefined)
})

t.test('an empty store has size 0 and no values', async (t) => {
  const store = new TaskStore(1, countingIds())
  t.equal(store.size, 0)
  t.strictSame(ids(store), [])
})

t.test('keeps each task with its own owner, request and schedule', async (t) => {
  const store = new TaskStore(10, countingIds())
  const zip: CreateShareTaskBody = {
    taskType: 1,
    containerId: dump.containerId,
    fileIds: dump.fileIds,
    shareId: dump.shareId,
    zipName: 'holiday.zip',
  }
  store.create(taskFields(1_000, 10), 1_000)
  store.create({ ownerId: 'u2', request: zip, ...scheduleTask(2_000, { startDelayMs: 5, durationMs: 20 }) }, 2_000)
  t.strictSame(store.get('1'), { taskId: '1', ownerId: 'u1', request: dump, createdAtMs: 1_000, startAtMs: 1_000, endAtMs: 1_010, result: undefined })
  t.strictSame(store.get('2'), { taskId: '2', ownerId: 'u2', request: zip, createdAtMs: 2_000, startAtMs: 2_005, endAtMs: 2_020, result: undefined })
  t.equal(store.size, 2)
})

t.test('values lists the tasks oldest first', async (t) => {
  t.strictSame(ids(storeWith(10, [RUNNING, FINISHED, RUNNING])), ['1', '2', '3'])
})

t.test('clear empties the store, and IDs keep counting after it', async (t) => {
  const store = storeWith(10, [RUNNING, RUNNING])
  store.clear()
  t.equal(store.size, 0)
  t.equal(store.get('1'), undefined)
  t.equal(store.create(taskFields(0, RUNNING), 0).taskId, '3', 'an ID is never given out twice')
})

t.test('fills up to maxTasks without evicting', async (t) => {
  const store = storeWith(3, [RUNNING, RUNNING, RUNNING])
  t.equal(store.size, 3)
  t.strictSame(ids(store), ['1', '2', '3'])
})

t.test('past maxTasks the oldest finished tasks go first', async (t) => {
  const store = storeWith(3, [FINISHED, FINISHED, FINISHED, FINISHED, FINISHED])
  t.equal(store.size, 3)
  t.equal(store.get('1'), undefined, 'the first task is gone')
  t.equal(store.get('2'), undefined, 'the second task is gone')
  t.strictSame(ids(store), ['3', '4', '5'], 'the three newest remain')
})

t.test('past maxTasks a finished task goes before an older running one', async (t) => {
  const store = storeWith(3, [RUNNING, FINISHED, RUNNING, RUNNING])
  t.strictSame(ids(store), ['1', '3', '4'])
})

t.test('a cancelled task counts as finished', async (t) => {
  const store = new TaskStore(2, countingIds())
  store.create(taskFields(0, RUNNING), 0)
  store.create({ ...taskFields(0, RUNNING), cancelledAtMs: 5 }, 0)
  store.create(taskFields(10, RUNNING), 10)
  t.strictSame(ids(store), ['1', '3'])
})

t.test('whether a task has finished is judged at the time of the create that evicts', async (t) => {
  const store = new TaskStore(2, countingIds())
  store.create(taskFields(0, RUNNING), 0)
  store.create(taskFields(0, 100), 0)
  store.create(taskFields(100, RUNNING), 100)
  t.strictSame(ids(store), ['1', '3'], 'task 2 ended at 100, so at 100 it went before the running task 1')
})

t.test('past maxTasks with every task running, the oldest running task goes', async (t) => {
  const store = storeWith(64, Array.from({ length: 65 }, () => RUNNING))
  t.equal(store.size, 64)
  t.equal(store.get('1'), undefined)
  t.ok(store.get('2') && store.get('65'))
})

t.test('eviction looks for a finished task among the 64 oldest only', async (t) => {
  // 63 running, then a finished one: the finished task is the 64th oldest, so it goes.
  const within = storeWith(70, [...Array.from({ length: 63 }, () => RUNNING), FINISHED, ...Array.from({ length: 7 }, () => RUNNING)])
  t.equal(within.get('64'), undefined, 'the finished 64th task went')
  t.ok(within.get('1'), 'the oldest running task stayed')
  // 64 running, then a finished one: the finished task is past the scan, so the oldest goes.
  const beyond = storeWith(70, [...Array.from({ length: 64 }, () => RUNNING), FINISHED, ...Array.from({ length: 6 }, () => RUNNING)])
  t.equal(beyond.get('1'), undefined, 'the oldest running task went')
  t.ok(beyond.get('65'), 'the finished 65th task stayed')
  t.equal(within.size, 70)
  t.equal(beyond.size, 70)
})

t.test(
  'past maxTasks with every task running, a small store still holds maxTasks',
  async (t) => {
    const store = storeWith(3, [RUNNING, RUNNING, RUNNING, RUNNING, RUNNING])
    t.equal(store.size, 3)
    t.equal(store.get('1'), undefined, 'the first task is gone')
    t.equal(store.get('2'), undefined, 'the second task is gone')
    t.strictSame(ids(store), ['3', '4', '5'])
  },
)

t.test('a running oldest task stays while thousands of finished ones behind it come and go, and goes first once all run', async (t) => {
  const store = storeWith(3, [RUNNING, ...Array.from({ length: 5000 }, () => FINISHED)])
  t.strictSame(ids(store), ['1', '5000', '5001'], 'each create evicted the finished task right behind the running one')
  store.create(taskFields(0, RUNNING), 0)
  store.create(taskFields(0, RUNNING), 0)
  t.strictSame(ids(store), ['1', '5002', '5003'], 'the finished ones went first')
  store.create(taskFields(0, RUNNING), 0)
  t.strictSame(ids(store), ['5002', '5003', '5004'], 'then, every task running, the oldest of all')
})

t.test('after clear, eviction starts from the tasks made since', async (t) => {
  const store = storeWith(2, [RUNNING, RUNNING, RUNNING])
  store.clear()
  for (const durationMs of [RUNNING, FINISHED, RUNNING]) store.create(taskFields(0, durationMs), 0)
  t.strictSame(ids(store), ['4', '6'])
})

/** A task naming `fileCount` files, created at 0, running or finished. */
function taskNaming(fileCount: number, durationMs: number): Omit<ShareTask, 'taskId'> {
  const fileIds = Array.from({ length: fileCount }, (_, i) => `F${String(i).padStart(32, '0')}`)
  return { ownerId: 'u1', request: { ...dump, fileIds }, ...scheduleTask(0, { startDelayMs: 0, durationMs }) }
}

t.test('past maxFileIds the oldest finished tasks go until the kept tasks name no more', async (t) => {
  const store = new TaskStore(100, countingIds(), () => {}, 2500)
  store.create(taskNaming(1000, RUNNING), 1)
  store.create(taskNaming(1000, FINISHED), 1)
  t.equal(store.fileIdsHeld, 2000)
  store.create(taskNaming(1000, RUNNING), 1)
  t.same([...store.values()].map((task) => task.taskId), ['1', '3'], 'the finished task went, not the older running one')
  t.equal(store.fileIdsHeld, 2000)
  store.create(taskNaming(600, RUNNING), 1)
  t.same([...store.values()].map((task) => task.taskId), ['3', '4'], 'none finished: the oldest went')
  t.equal(store.fileIdsHeld, 1600)
})

t.test('the task just made stays, whatever it names; clear forgets the count', async (t) => {
  const evicted: string[] = []
  const store = new TaskStore(100, countingIds(), (task) => evicted.push(task.taskId), 1000)
  for (let i = 0; i < 3; i++) store.create(taskNaming(10, FINISHED), 1)
  const big = store.create(taskNaming(1000, FINISHED), 1)
  t.same([...store.values()], [big], 'every older task went; the new one, though finished and alone over the budget, stays')
  t.same(evicted, ['1', '2', '3'])
  t.equal(store.fileIdsHeld, 1000)
  store.clear()
  t.equal(store.fileIdsHeld, 0)
})

t.test('without maxFileIds only maxTasks bounds the store', async (t) => {
  const store = new TaskStore(3, countingIds())
  for (let i = 0; i < 5; i++) store.create(taskNaming(1000, FINISHED), 1)
  t.equal(store.size, 3)
  t.equal(store.fileIdsHeld, 3000)
})

t.test('owner IDs: each task keeps its own, through the shared copies and past their cap', async (t) => {
  const store = new TaskStore(1_000, countingIds())
  // 300 owners, more than the 256 copies kept, each twice: the copy found or a new one, always equal.
  const owners = Array.from({ length: 300 }, (_, i) => `user-${i}`)
  for (const owner of [...owners, ...owners]) store.create(taskFields(0, FINISHED, owner), 0)
  t.strictSame([...store.values()].map((task) => task.ownerId), [...owners, ...owners])
  store.clear()
  t.equal(store.create(taskFields(0, FINISHED, 'user-1'), 0).ownerId, 'user-1')
})

t.test('what a fault rule adds to a task (outcome, cancellation, a stuck end) stays on it', async (t) => {
  const store = new TaskStore(10, countingIds())
  const stuck = store.create({ ...taskFields(0, 100), endAtMs: Infinity, progressEndAtMs: 100, outcome: 'stuck' }, 0)
  t.match(stuck, { taskId: '1', endAtMs: Infinity, progressEndAtMs: 100, outcome: 'stuck' })
  t.equal(store.create({ ...taskFields(0, 100), cancelledAtMs: 0, outcome: 'cancelled' }, 0).cancelledAtMs, 0)
})
