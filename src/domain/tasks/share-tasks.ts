import type { CreateShareTaskBody } from '../../../schemas/share-tasks.js'
import { TASK_TYPE_DUMP } from '../../../schemas/share-tasks.js'
import type { TaskDetailBody, TaskDetailResponse } from '../../../schemas/task-detail.js'
import { KooDriveCode, KooDriveError, notFound, parameterInvalid } from '../errors.js'
import type { Emulator } from '../emulator.js'
import { makeDumpTarget, makeForShareFiles } from '../world/lenient-world.js'
import { requireFileInShare, requireShareOpen, requireSpaceActive, shareById } from '../world/share-access.js'
import type { TaskFault } from '../../../schemas/fault-rule.js'
import { formatTaskTime, scheduleTask, TaskStatus, taskPhaseAt, type TaskSchedule, type TaskTiming } from './task-lifecycle.js'
import type { FileResultStatus, ShareTask } from './task-store.js'
import { ROOT_FOLDER_ID, type FileEntry } from '../world/world.js'

const failWith = (code: KooDriveCode, message: string) => new KooDriveError(code, message)

/** Where a dump goes: a folder of a space the caller owns, not in the recycle bin. */
function checkDumpTarget(emulator: Emulator, userId: string, body: CreateShareTaskBody, sources: FileEntry[]): void {
  const { world, rules } = emulator
  const target = body.targetFileId as { fileId: string; containerId: string }
  const space = world.spaces.get(target.containerId)
  if (space === undefined) {
    throw failWith(KooDriveCode.CONTAINER_NOT_EXIST_OR_STATE_ERROR, `Space not found: targetFileId.containerId ${target.containerId}`)
  }
  requireSpaceActive(emulator, target.containerId, 'targetFileId.containerId')
  // Lenient mode lets anyone dump anywhere, so the vendor's example works for any X-User-Id.
  if (rules.ownSpacesOnly && space.ownerId !== userId) {
    throw failWith(KooDriveCode.NO_PERMISSION, `No permission: user ${userId} does not own space ${target.containerId}`)
  }
  if (target.fileId !== ROOT_FOLDER_ID) {
    const folder = world.files.get(target.fileId)
    if (folder === undefined || folder.type !== 'folder' || folder.containerId !== target.containerId) {
      throw failWith(KooDriveCode.TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: ${target.fileId} is not a folder of space ${target.containerId}`)
    }
    if (world.pathOf(folder).some((entry) => entry.recycled)) {
      throw failWith(KooDriveCode.TARGET_DIRECTORY_RECYCLED, `Target directory in the recycle bin: ${target.fileId}`)
    }
    if (world.pathOf(folder).some((entry) => sources.includes(entry))) {
      throw failWith(KooDriveCode.TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: ${target.fileId} is inside a folder being copied`)
    }
  }
  const siblings = world.childrenOf(target.containerId, target.fileId)
  for (const source of sources) {
    if (siblings.some((entry) => entry.copiedFromId === source.fileId && !entry.recycled)) {
      throw failWith(KooDriveCode.FILE_ALREADY_IN_TARGET, `File already in the target folder: ${source.fileId}`)
    }
  }
  // Quota is strict mode's: in lenient mode made-up files of made-up sizes must not fill a space up.
  if (!rules.enforceQuota) return
  const needed = sources.reduce((sum, source) => sum + world.subtreeBytes(source, { live: true }), 0)
  const free = space.capacityBytes - space.usedBytes
  if (needed > free) {
    throw failWith(KooDriveCode.INSUFFICIENT_SPACE, `Insufficient space: the dump needs ${needed} bytes, space ${target.containerId} has ${free} free`)
  }
}

/** When and how a task ends, normally or as a fault rule forces it. */
function planTask(nowMs: number, timing: TaskTiming, fault: TaskFault | undefined): TaskSchedule & { outcome?: TaskFault['outcome'] } {
  const schedule = scheduleTask(nowMs, { ...timing, durationMs: fault?.durationMs ?? timing.durationMs })
  if (fault === undefined || fault.outcome === 'success') return schedule
  switch (fault.outcome) {
    case 'stuck':
      return { ...schedule, endAtMs: Infinity, progressEndAtMs: schedule.endAtMs, outcome: 'stuck' }
    case 'cancelled':
      return { ...schedule, cancelledAtMs: schedule.startAtMs, outcome: 'cancelled' }
    default:
      return { ...schedule, outcome: fault.outcome }
  }
}

/** POST share/tasks: checks the request against the world, then schedules the task. */
export function createShareTask(emulator: Emulator, userId: string, body: CreateShareTaskBody, nowMs: number, fault?: TaskFault): ShareTask {
  emulator.settle(nowMs)
  return emulator.world.atomically(() => checkAndCreate(emulator, userId, body, nowMs, fault))
}

function checkAndCreate(emulator: Emulator, userId: string, body: CreateShareTaskBody, nowMs: number, fault?: TaskFault): ShareTask {
  if (emulator.rules.makeOnFirstUse) {
    makeForShareFiles(emulator, body.shareId, body.containerId, body.fileIds, nowMs)
    if (body.taskType === TASK_TYPE_DUMP) makeDumpTarget(emulator.world, userId, body.targetFileId as { fileId: string; containerId: string }, nowMs)
  }
  const share = shareById(emulator, body.shareId)
  requireShareOpen(emulator, share, userId, body.kdstoken, nowMs)
  if (share.containerId !== body.containerId) {
    throw failWith(KooDriveCode.CONTAINER_NOT_EXIST_OR_STATE_ERROR, `Space mismatch: share ${share.shareId} is in space ${share.containerId}, not ${body.containerId}`)
  }
  const sources = body.fileIds.map((fileId) => requireFileInShare(emulator, share, fileId))
  if (body.taskType === TASK_TYPE_DUMP) checkDumpTarget(emulator, userId, body, sources)
  // The task keeps the world's own copies of the IDs it names: a hundred thousand tasks of one share
  // would otherwise hold a hundred thousand copies of each ID string, parsed from each request.
  const request = { ...body, containerId: share.containerId, shareId: share.shareId, fileIds: sources.map((file) => file.fileId) }
  const task = emulator.tasks.create({ ownerId: userId, request, ...planTask(nowMs, emulator.options.timing, fault) }, nowMs)
  emulator.hold(task)
  emulator.schedule(task)
  return task
}

/** A task the caller may see: theirs, of the share they name. Anyone else's is "not found". */
function ownTask(emulator: Emulator, userId: string, taskId: string, field: string): ShareTask {
  const task = emulator.tasks.get(taskId)
  if (task === undefined || task.ownerId !== userId) throw notFound(`no task ${taskId} (${field}) for user ${userId}`)
  return task
}

/** POST share/taskDetail: the task as it stands at `nowMs`. */
export function describeTask(emulator: Emulator, userId: string, body: TaskDetailBody, nowMs: number, objectsUrl?: string): TaskDetailResponse {
  emulator.settle(nowMs)
  const task = ownTask(emulator, userId, body.taskId, 'taskId')
  if (task.request.shareId !== body.shareId) throw notFound(`task ${body.taskId} does not belong to share ${body.shareId}`)
  return { code: 0, msg: 'Success', ...taskDetailOf(emulator, task, nowMs, objectsUrl) }
}

/** The object key of a package task's zip. */
export const packageObjectKey = (task: ShareTask) => `packages/${task.taskId}/${task.request.zipName as string}`

/**
 * A task as taskDetail shows it at `nowMs` (the caller has settled the emulator). A zip's URL is
 * presigned as it is read, so a client polling after an hour gets a fresh one, as from real storage;
 * `objectsUrl` is where the request came in, by its Host (the configured base when undefined).
 */
export function taskDetailOf(emulator: Emulator, task: ShareTask, nowMs: number, objectsUrl?: string): Pick<TaskDetailResponse, 'jobInfo' | 'taskInfos'> {
  const phase = taskPhaseAt(task, nowMs)
  const result = phase.status === TaskStatus.COMPLETED ? task.result : undefined
  return {
    jobInfo: {
      userId: task.ownerId,
      taskId: task.taskId,
      taskType: task.request.taskType,
      taskStatus: phase.status,
      ...(result === undefined ? {} : { taskResultCode: result.resultCode }),
      createTime: formatTaskTime(task.createdAtMs),
      ...(phase.startedAtMs === undefined ? {} : { startTime: formatTaskTime(phase.startedAtMs) }),
      ...(phase.endedAtMs === undefined ? {} : { endTime: formatTaskTime(phase.endedAtMs) }),
      progress: phase.progress,
      ...(result?.packaged === true ? { downloadUrl: emulator.presigner.sign(packageObjectKey(task), nowMs, objectsUrl) } : {}),
    },
    taskInfos: task.request.fileIds.map((fileId, i) => {
      const newFileId = result?.newFileIds?.[i]
      return {
        fileId,
        status: (result?.statuses[i] ?? '0') as FileResultStatus,
        ...(newFileId === undefined ? {} : { newFileId }),
        srcContainerId: task.request.containerId,
      }
    }),
  }
}

/** POST cancel: stops a pending or processing task; its files stay as they were. */
export function cancelTask(emulator: Emulator, userId: string, jobId: string, nowMs: number): void {
  emulator.settle(nowMs)
  const task = ownTask(emulator, userId, jobId, 'jobId')
  const { status } = taskPhaseAt(task, nowMs)
  if (status === TaskStatus.COMPLETED || status === TaskStatus.CANCELLED) {
    throw parameterInvalid(`jobId ${jobId} is already ${status === TaskStatus.COMPLETED ? 'completed' : 'cancelled'}; only a pending or processing task can be cancelled`)
  }
  task.cancelledAtMs = nowMs
  emulator.release(task)
}
