import t from 'tap'
import { formatTaskTime, isTaskFinished, scheduleTask, TaskStatus, taskPhaseAt, type TaskSchedule } from '../../../src/domain/tasks/task-lifecycle.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0, 500)

/** Created at T0, pending 1 s, processing 10 s, completed at T0 + 11 s. */
const schedule = (): TaskSchedule => scheduleTask(T0, { startDelayMs: 1_000, durationMs: 11_000 })

t.test('TaskStatus holds the vendor\'s codes', async (t) => {
  t.strictSame(TaskStatus, { PENDING: 0, PROCESSING: 1, COMPLETED: 2, CANCELLED: 3 })
})

t.test('scheduleTask starts a task after its delay and ends it after its duration, both from creation', async (t) => {
  t.strictSame(schedule(), { createdAtMs: T0, startAtMs: T0 + 1_000, endAtMs: T0 + 11_000 })
  t.strictSame(scheduleTask(T0, { startDelayMs: 0, durationMs: 3_000 }), { createdAtMs: T0, startAtMs: T0, endAtMs: T0 + 3_000 })
})

t.test('scheduleTask with duration 0 ends the task at creation', async (t) => {
  t.strictSame(scheduleTask(T0, { startDelayMs: 0, durationMs: 0 }), { createdAtMs: T0, startAtMs: T0, endAtMs: T0 })
  t.strictSame(scheduleTask(T0, { startDelayMs: 500, durationMs: 0 }), { createdAtMs: T0, startAtMs: T0, endAtMs: T0 }, 'a delay cannot start it after its end')
})

t.test('scheduleTask with a start delay at or past the duration starts the task at its end', async (t) => {
  t.strictSame(scheduleTask(T0, { startDelayMs: 2_000, durationMs: 2_000 }), { createdAtMs: T0, startAtMs: T0 + 2_000, endAtMs: T0 + 2_000 })
  t.strictSame(scheduleTask(T0, { startDelayMs: 5_000, durationMs: 2_000 }), { createdAtMs: T0, startAtMs: T0 + 2_000, endAtMs: T0 + 2_000 })
})

t.test('scheduleTask with an infinite duration never ends', async (t) => {
  t.strictSame(scheduleTask(T0, { startDelayMs: 1_000, durationMs: Infinity }), { createdAtMs: T0, startAtMs: T0 + 1_000, endAtMs: Infinity })
})

t.test('a task is pending with progress 0 from creation until its start', async (t) => {
  t.strictSame(taskPhaseAt(schedule(), T0), { status: TaskStatus.PENDING, progress: 0 })
  t.strictSame(taskPhaseAt(schedule(), T0 + 999), { status: TaskStatus.PENDING, progress: 0 })
})

t.test('a processing task\'s progress rises with time from 0, never past 99', async (t) => {
  const s = schedule()
  const at = (ms: number) => taskPhaseAt(s, T0 + ms)
  t.strictSame(at(1_000), { status: TaskStatus.PROCESSING, progress: 0, startedAtMs: T0 + 1_000 })
  t.strictSame(at(1_099), { status: TaskStatus.PROCESSING, progress: 0, startedAtMs: T0 + 1_000 }, 'progress is rounded down')
  t.strictSame(at(1_100), { status: TaskStatus.PROCESSING, progress: 1, startedAtMs: T0 + 1_000 })
  t.strictSame(at(6_000), { status: TaskStatus.PROCESSING, progress: 50, startedAtMs: T0 + 1_000 })
  t.strictSame(at(8_000), { status: TaskStatus.PROCESSING, progress: 70, startedAtMs: T0 + 1_000 })
  t.strictSame(at(10_999), { status: TaskStatus.PROCESSING, progress: 99, startedAtMs: T0 + 1_000 }, 'one millisecond before the end')
  const progress = Array.from({ length: 100 }, (_, i) => at(1_000 + i * 100).progress)
  t.ok(progress.every((p, i) => i === 0 || p >= (progress[i - 1] as number)), 'never goes down')
  t.ok(progress.every((p) => p <= 99), 'never reaches 100 while processing')
})

t.test('a task is completed, with progress 100, its start and its end, from its end on', async (t) => {
  const completed = { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: T0 + 1_000, endedAtMs: T0 + 11_000 }
  t.strictSame(taskPhaseAt(schedule(), T0 + 11_000), completed)
  t.strictSame(taskPhaseAt(schedule(), T0 + 86_400_000), completed)
})

t.test('a task of duration 0 is completed at creation', async (t) => {
  const s = scheduleTask(T0, { startDelayMs: 1_000, durationMs: 0 })
  t.strictSame(taskPhaseAt(s, T0), { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: T0, endedAtMs: T0 })
})

t.test('a task whose delay reaches its end goes from pending straight to completed', async (t) => {
  const s = scheduleTask(T0, { startDelayMs: 3_000, durationMs: 2_000 })
  t.strictSame(taskPhaseAt(s, T0 + 1_999), { status: TaskStatus.PENDING, progress: 0 })
  t.strictSame(taskPhaseAt(s, T0 + 2_000), { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: T0 + 2_000, endedAtMs: T0 + 2_000 })
})

t.test('a task cancelled before its start has no start time and progress 0', async (t) => {
  const s: TaskSchedule = { ...schedule(), cancelledAtMs: T0 + 500 }
  t.strictSame(taskPhaseAt(s, T0 + 499), { status: TaskStatus.PENDING, progress: 0 }, 'pending until the cancel')
  t.strictSame(taskPhaseAt(s, T0 + 500), { status: TaskStatus.CANCELLED, progress: 0, endedAtMs: T0 + 500 })
  t.strictSame(taskPhaseAt(s, T0 + 60_000), { status: TaskStatus.CANCELLED, progress: 0, endedAtMs: T0 + 500 }, 'and after its planned end')
})

t.test('a task cancelled at the moment it starts has started', async (t) => {
  const s: TaskSchedule = { ...schedule(), cancelledAtMs: T0 + 1_000 }
  t.strictSame(taskPhaseAt(s, T0 + 1_000), { status: TaskStatus.CANCELLED, progress: 0, startedAtMs: T0 + 1_000, endedAtMs: T0 + 1_000 })
})

t.test('a task cancelled while processing keeps the progress it had at the cancel', async (t) => {
  const s: TaskSchedule = { ...schedule(), cancelledAtMs: T0 + 4_000 }
  t.strictSame(taskPhaseAt(s, T0 + 3_000), { status: TaskStatus.PROCESSING, progress: 20, startedAtMs: T0 + 1_000 })
  const cancelled = { status: TaskStatus.CANCELLED, progress: 30, startedAtMs: T0 + 1_000, endedAtMs: T0 + 4_000 }
  t.strictSame(taskPhaseAt(s, T0 + 4_000), cancelled)
  t.strictSame(taskPhaseAt(s, T0 + 9_000), cancelled, 'frozen: later reads do not move it')
  t.strictSame(taskPhaseAt(s, T0 + 11_000), cancelled, 'not completed at its planned end')
})

t.test('a task that never ends is processing forever, at progress 0', async (t) => {
  const s = scheduleTask(T0, { startDelayMs: 1_000, durationMs: Infinity })
  t.strictSame(taskPhaseAt(s, T0 + 500), { status: TaskStatus.PENDING, progress: 0 })
  t.strictSame(taskPhaseAt(s, T0 + 1_000), { status: TaskStatus.PROCESSING, progress: 0, startedAtMs: T0 + 1_000 })
  t.strictSame(taskPhaseAt(s, T0 + 365 * 86_400_000), { status: TaskStatus.PROCESSING, progress: 0, startedAtMs: T0 + 1_000 })
  t.strictSame(taskPhaseAt({ ...s, cancelledAtMs: T0 + 5_000 }, T0 + 6_000), {
    status: TaskStatus.CANCELLED,
    progress: 0,
    startedAtMs: T0 + 1_000,
    endedAtMs: T0 + 5_000,
  }, 'until it is cancelled')
})

t.test('a stuck task (never ends, with a progress end) rises to 99 by its progress end and stays there', async (t) => {
  const s: TaskSchedule = { ...scheduleTask(T0, { startDelayMs: 1_000, durationMs: 11_000 }), endAtMs: Infinity, progressEndAtMs: T0 + 11_000 }
  t.strictSame(taskPhaseAt(s, T0 + 500), { status: TaskStatus.PENDING, progress: 0 })
  t.strictSame(taskPhaseAt(s, T0 + 6_000), { status: TaskStatus.PROCESSING, progress: 50, startedAtMs: T0 + 1_000 })
  t.strictSame(taskPhaseAt(s, T0 + 11_000), { status: TaskStatus.PROCESSING, progress: 99, startedAtMs: T0 + 1_000 })
  t.strictSame(taskPhaseAt(s, T0 + 86_400_000), { status: TaskStatus.PROCESSING, progress: 99, startedAtMs: T0 + 1_000 })
  t.equal(isTaskFinished(s, T0 + 86_400_000), false)
  t.strictSame(taskPhaseAt({ ...s, cancelledAtMs: T0 + 3_000 }, T0 + 5_000), {
    status: TaskStatus.CANCELLED,
    progress: 20,
    startedAtMs: T0 + 1_000,
    endedAtMs: T0 + 3_000,
  }, 'a cancel freezes its progress too')
})

t.test('isTaskFinished: once completed or cancelled, never before', async (t) => {
  const s = schedule()
  t.equal(isTaskFinished(s, T0), false, 'pending')
  t.equal(isTaskFinished(s, T0 + 5_000), false, 'processing')
  t.equal(isTaskFinished(s, T0 + 10_999), false, 'a millisecond before the end')
  t.equal(isTaskFinished(s, T0 + 11_000), true, 'at its end')
  const cancelled: TaskSchedule = { ...s, cancelledAtMs: T0 + 3_000 }
  t.equal(isTaskFinished(cancelled, T0 + 2_999), false, 'before the cancel')
  t.equal(isTaskFinished(cancelled, T0 + 3_000), true, 'at the cancel')
  const endless = scheduleTask(T0, { startDelayMs: 0, durationMs: Infinity })
  t.equal(isTaskFinished(endless, Number.MAX_SAFE_INTEGER), false, 'a task that never ends')
  t.equal(isTaskFinished({ ...endless, cancelledAtMs: T0 }, T0), true, 'unless cancelled')
})

t.test('formatTaskTime gives yyyyMMddHHmmss in UTC, dropping milliseconds', async (t) => {
  t.equal(formatTaskTime(T0), '20261126100000')
  t.equal(formatTaskTime(Date.UTC(2025, 0, 2, 3, 4, 5, 999)), '20250102030405')
  t.equal(formatTaskTime(Date.UTC(1999, 11, 31, 23, 59, 59)), '19991231235959')
  t.equal(formatTaskTime(0), '19700101000000')
  t.match(formatTaskTime(Date.now()), /^\d{14}$/)
})
