import { formatCompactUtc } from '../time-and-ids/utc-time.js'

/**
 * A task's life is a function of its timestamps and the clock: nothing runs in the background, so
 * a million tasks cost memory, not CPU, and tests move a manual clock instead of sleeping.
 */

export const TaskStatus = { PENDING: 0, PROCESSING: 1, COMPLETED: 2, CANCELLED: 3 } as const
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus]

export interface TaskTiming {
  /** Pending this long after creation. */
  startDelayMs: number
  /** Completed this long after creation; 0 means completed at creation. */
  durationMs: number
}

/** When a task starts and ends; `endAtMs` is Infinity for a task that never finishes. */
export interface TaskSchedule {
  createdAtMs: number
  startAtMs: number
  endAtMs: number
  cancelledAtMs?: number
  /** Where progress would reach 100 for a task that never ends (a `stuck` fault): it stops at 99. */
  progressEndAtMs?: number
}

export interface TaskPhase {
  status: TaskStatus
  /** Percent, 0 to 100. */
  progress: number
  startedAtMs?: number
  endedAtMs?: number
}

export function scheduleTask(createdAtMs: number, timing: TaskTiming): TaskSchedule {
  const endAtMs = createdAtMs + timing.durationMs
  return { createdAtMs, startAtMs: Math.min(createdAtMs + timing.startDelayMs, endAtMs), endAtMs }
}

/** Progress while processing: rises with time, 99 at most until the task completes. */
function progressAt(schedule: TaskSchedule, atMs: number): number {
  if (atMs < schedule.startAtMs) return 0
  const fraction = (atMs - schedule.startAtMs) / ((schedule.progressEndAtMs ?? schedule.endAtMs) - schedule.startAtMs)
  return Math.min(99, Math.floor(fraction * 100))
}

export function taskPhaseAt(schedule: TaskSchedule, nowMs: number): TaskPhase {
  const { cancelledAtMs, startAtMs, endAtMs } = schedule
  if (cancelledAtMs !== undefined && cancelledAtMs <= nowMs) {
    return {
      status: TaskStatus.CANCELLED,
      progress: progressAt(schedule, cancelledAtMs),
      ...(cancelledAtMs >= startAtMs ? { startedAtMs: startAtMs } : {}),
      endedAtMs: cancelledAtMs,
    }
  }
  if (nowMs >= endAtMs) return { status: TaskStatus.COMPLETED, progress: 100, startedAtMs: startAtMs, endedAtMs: endAtMs }
  if (nowMs < startAtMs) return { status: TaskStatus.PENDING, progress: 0 }
  return { status: TaskStatus.PROCESSING, progress: progressAt(schedule, nowMs), startedAtMs: startAtMs }
}

/** Finished: nothing about it will change any more. */
export function isTaskFinished(schedule: TaskSchedule, nowMs: number): boolean {
  return nowMs >= schedule.endAtMs || (schedule.cancelledAtMs !== undefined && schedule.cancelledAtMs <= nowMs)
}

/** `yyyyMMddHHmmss` (UTC), the vendor's format for task times. */
export const formatTaskTime = formatCompactUtc
