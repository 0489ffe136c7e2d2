import { TASK_TYPE_DUMP } from '../../../schemas/share-tasks.js'
import type { ShareTask, TaskFileResult, TaskResult } from './task-store.js'
import { ROOT_FOLDER_ID, type World } from '../world/world.js'

/** What completing a task needs: the world it changes, where new file IDs come from, and whether quota holds. */
export interface CompletionContext {
  world: World
  newFileId: () => string
  /** Strict mode: a copy that does not fit the target space fails. */
  enforceQuota: boolean
}

/** Files that still exist and are not in the recycle bin when the task ends succeed. */
const sourceAlive = (world: World, fileId: string) => {
  const file = world.files.get(fileId)
  return file !== undefined && !file.recycled ? file : undefined
}

function resultCodeOf(statuses: string): TaskResult['resultCode'] {
  const succeeded = statuses.split('1').length - 1
  return succeeded === statuses.length ? 1 : succeeded === 0 ? 3 : 2
}

/** A dump copies each source into the target folder, if both are still there and it fits. */
function completeDump(context: CompletionContext, task: ShareTask, fails: (index: number) => boolean): TaskFileResult[] {
  const { world } = context
  const target = task.request.targetFileId as { fileId: string; containerId: string }
  const space = world.spaces.get(target.containerId)
  const folder = target.fileId === ROOT_FOLDER_ID ? undefined : world.files.get(target.fileId)
  const targetUsable =
    space !== undefined && (target.fileId === ROOT_FOLDER_ID || (folder !== undefined && !world.pathOf(folder).some((entry) => entry.recycled)))
  return task.request.fileIds.map((fileId, i): TaskFileResult => {
    const source = sourceAlive(world, fileId)
    if (!targetUsable || source === undefined || fails(i)) return { fileId, status: '2' }
    const copiedBefore = world.childrenOf(target.containerId, target.fileId).some((entry) => entry.copiedFromId === fileId && !entry.recycled)
    const overQuota = context.enforceQuota && world.subtreeBytes(source, { live: true }) > space.capacityBytes - space.usedBytes
    if (copiedBefore || overQuota) return { fileId, status: '2' }
    const copy = world.copyTree(source, target.containerId, target.fileId, context.newFileId, task.endAtMs)
    return { fileId, status: '1', newFileId: copy.fileId }
  })
}

/**
 * Files a fault rule makes fail: all of them (`failed`), or every second one (`partial`, so a
 * task of two or more files ends partly failed; a single file fails).
 */
function forcedFailures(task: ShareTask): (index: number) => boolean {
  if (task.outcome === 'failed') return () => true
  if (task.outcome === 'partial') return (index) => task.request.fileIds.length === 1 || index % 2 === 1
  return () => false
}

/** What a task produced, computed once, at the moment it completes. */
export function completeTask(context: CompletionContext, task: ShareTask): TaskResult {
  const fails = forcedFailures(task)
  if (task.request.taskType === TASK_TYPE_DUMP) {
    const files = completeDump(context, task, fails)
    const statuses = files.map((file) => file.status).join('')
    return { statuses, newFileIds: files.map((file) => file.newFileId), resultCode: resultCodeOf(statuses) }
  }
  const statuses = task.request.fileIds.map((fileId, i) => (!fails(i) && sourceAlive(context.world, fileId) ? '1' : '2')).join('')
  const resultCode = resultCodeOf(statuses)
  return resultCode === 3 ? { statuses, resultCode } : { statuses, resultCode, packaged: true }
}
