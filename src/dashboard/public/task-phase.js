// A task's status and progress at any moment, from the times the admin view gives
// (schedule: createdAtMs, startAtMs, endAtMs, progressEndAtMs, cancelledAtMs). The same rule as
// the emulator's taskPhaseAt (src/domain/tasks/task-lifecycle.ts), so the bar moves between two reads.

export const STATUS_NAMES = ['pending', 'processing', 'completed', 'cancelled']
export const RESULT_NAMES = { 1: 'all succeeded', 2: 'partly failed', 3: 'all failed' }
export const FILE_STATUS_NAMES = { 0: 'pending', 1: 'succeeded', 2: 'failed' }

export function phaseAt(schedule, nowMs) {
  const { startAtMs, cancelledAtMs } = schedule
  const endAtMs = schedule.endAtMs ?? Infinity
  const progressEndAtMs = schedule.progressEndAtMs ?? endAtMs
  const progressAt = (atMs) => {
    if (atMs < startAtMs) return 0
    if (progressEndAtMs <= startAtMs) return 99
    return Math.min(99, Math.floor(((atMs - startAtMs) / (progressEndAtMs - startAtMs)) * 100))
  }
  if (cancelledAtMs !== undefined && cancelledAtMs <= nowMs) {
    return { status: 3, progress: progressAt(cancelledAtMs), startedAtMs: cancelledAtMs >= startAtMs ? startAtMs : undefined, endedAtMs: cancelledAtMs }
  }
  if (nowMs >= endAtMs) return { status: 2, progress: 100, startedAtMs: startAtMs, endedAtMs: endAtMs }
  if (nowMs < startAtMs) return { status: 0, progress: 0 }
  return { status: 1, progress: progressAt(nowMs), startedAtMs: startAtMs }
}

export const isLive = (phase) => phase.status === 0 || phase.status === 1
