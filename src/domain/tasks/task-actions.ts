import type { TaskAction } from '../../../schemas/admin.js'
import type { Emulator } from '../emulator.js'
import { notFound, parameterInvalid } from '../errors.js'
import { completeTask } from './task-completion.js'
import { isTaskFinished } from './task-lifecycle.js'
import type { ShareTask } from './task-store.js'


export function findTask(emulator: Emulator, taskId: string): ShareTask {
  const task = emulator.tasks.get(taskId)
  if (task === undefined) throw notFound(`no task ${taskId}`)
  return task
}

/**
 * POST /__admin/tasks/:taskId: a test ends a running task now, as it chooses, instead of waiting:
 * `complete` (normally), `fail` (every file fails), `partial` (every second file fails), `cancel`.
 */
export function actOnTask(emulator: Emulator, taskId: string, action: TaskAction, nowMs: number): ShareTask {
  emulator.settle(nowMs)
  const task = findTask(emulator, taskId)
  if (isTaskFinished(task, nowMs)) throw parameterInvalid(`action: task ${taskId} has already finished; only a pending or processing task can be ${action === 'cancel' ? 'cancelled' : 'ended'}`)
  if (action === 'cancel') {
    task.cancelledAtMs = nowMs
    emulator.release(task)
    return task
  }
  // Whatever a fault had planned (stuck, cancelled at start) gives way to the action.
  if (action === 'complete') delete task.outcome
  else task.outcome = action === 'fail' ? 'failed' : 'partial'
  delete task.cancelledAtMs
  task.startAtMs = Math.min(task.startAtMs, nowMs)
  task.endAtMs = nowMs
  delete task.progressEndAtMs
  task.result = completeTask(emulator.completion, task)
  emulator.release(task)
  emulator.world.trim()
  return task
}
