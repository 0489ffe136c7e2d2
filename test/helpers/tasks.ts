import type { ShareTask, TaskResult } from '../../src/domain/tasks/task-store.js'

/** How tests spell a task's times and results. */

/** `yyyyMMddHHmmss` (UTC), the vendor's task-time format, of an epoch-millisecond time. */
export function taskTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** A task's result with each file spelled out (as taskDetail's taskInfos list them), to compare whole. */
export function resultView(task: ShareTask, result: TaskResult | undefined = task.result) {
  if (result === undefined) return undefined
  const files = task.request.fileIds.map((fileId, i) => {
    const newFileId = result.newFileIds?.[i]
    const status = result.statuses[i]
    return newFileId === undefined ? { fileId, status } : { fileId, status, newFileId }
  })
  return { files, resultCode: result.resultCode, ...(result.packaged === true ? { packaged: true } : {}) }
}
