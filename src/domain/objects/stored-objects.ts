import type { Readable } from 'node:stream'
import type { Emulator } from '../emulator.js'
import { contentTypeOf } from '../world/file-types.js'
import { contentBytes, fileContentStream } from './file-content.js'
import { zipPackageSize, zipPackageStream } from './zip-package.js'

/** An object a presigned URL can fetch: a shared file or a finished zip package. */
export interface StoredObject {
  fileName: string
  contentType: string
  /** Sent as Content-Length when known, so browsers can show download progress. */
  size?: number
  /** Called once per GET (never for HEAD), so content is only made for a download that happens. */
  body: () => Readable
}

/**
 * What a presigned URL's key names: `files/<fileId>/<name>` (share/download) or
 * `packages/<taskId>/<zipName>` (a completed package download task).
 */
export function resolveDownloadObject(emulator: Emulator, objectKey: string): StoredObject | undefined {
  const [kind, id, name, ...rest] = objectKey.split('/')
  if (rest.length > 0 || id === undefined || name === undefined) return undefined
  const { world, options } = emulator
  const maxFileBytes = options.maxFileBytes
  if (kind === 'files') {
    const file = world.files.get(id)
    // A URL given out before the file went to the recycle bin no longer finds it.
    if (file === undefined || file.type !== 'file' || file.recycled || file.name !== name) return undefined
    const bytes = contentBytes(file.size, maxFileBytes)
    return { fileName: file.name, contentType: contentTypeOf(file.name), size: bytes, body: () => fileContentStream(file.fileId, bytes) }
  }
  if (kind !== 'packages') return undefined
  emulator.settle(emulator.clock.now())
  const task = emulator.tasks.get(id)
  const result = task?.result
  if (result?.packaged !== true || task?.request.zipName !== name) return undefined
  const zip = {
    world,
    fileIds: task.request.fileIds.filter((_, i) => result.statuses[i] === '1'),
    maxFileBytes,
    mtimeMs: task.endAtMs,
  }
  return { fileName: name, contentType: 'application/zip', size: zipPackageSize(zip), body: () => zipPackageStream(zip) }
}
