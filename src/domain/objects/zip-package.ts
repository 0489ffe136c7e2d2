import type { Readable } from 'node:stream'
import { ZipFile } from 'yazl'
import { freeName } from '../world/free-names.js'
import { contentBytes, fileContentStream } from './file-content.js'
import type { FileEntry, World } from '../world/world.js'

export interface ZipPackageOptions {
  world: World
  /** The items to pack, in order: files, and folders with everything below them. */
  fileIds: string[]
  /** Each file's content is cut to this many bytes. */
  maxFileBytes: number
  /** Every entry's modification time: a fixed time makes the same world give the same bytes. */
  mtimeMs: number
}

export type ZipEntryPlan = { kind: 'directory'; path: string } | { kind: 'file'; path: string; fileId: string; bytes: number }

/** A name that is one path segment: `/` and `\` would open directories, `.` and `..` would climb out. */
function segmentName(name: string): string {
  const safe = name.replace(/[/\\]/g, '_')
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe
}

/** The first free name among the siblings already packed (free-names.ts), taken for the next ones. */
function uniqueName(name: string, taken: Set<string>, isFolder: boolean): string {
  const candidate = freeName(name, taken, isFolder)
  taken.add(candidate.toLowerCase())
  return candidate
}

/**
 * What a package of `fileIds` holds, in zip order: each item depth-first, a folder's directory entry
 * before its contents. Unknown IDs, a repeated ID and anything in the recycle bin are left out.
 */
export function planZipEntries(world: World, fileIds: string[], maxFileBytes: number): ZipEntryPlan[] {
  const live = (file: FileEntry | undefined): file is FileEntry => file !== undefined && !file.recycled
  const plan: ZipEntryPlan[] = []
  // An explicit stack, not recursion: a deep folder tree must not overflow the call stack.
  const stack: { file: FileEntry; directory: string; taken: Set<string> }[] = []
  const pushChildren = (files: FileEntry[], directory: string) => {
    const taken = new Set<string>()
    for (let i = files.length - 1; i >= 0; i--) stack.push({ file: files[i] as FileEntry, directory, taken })
  }
  pushChildren([...new Set(fileIds)].map((fileId) => world.files.get(fileId)).filter(live), '')
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { file, directory, taken } = item
    const isFolder = file.type === 'folder'
    const path = directory + uniqueName(segmentName(file.name), taken, isFolder)
    if (isFolder) {
      plan.push({ kind: 'directory', path: `${path}/` })
      pushChildren(world.childrenOf(file.containerId, file.fileId).filter(live), `${path}/`)
    } else {
      plan.push({ kind: 'file', path, fileId: file.fileId, bytes: contentBytes(file.size, maxFileBytes) })
    }
  }
  return plan
}

type OpenContent = (entry: { fileId: string; bytes: number }) => (callback: (error: null, stream: Readable) => void) => void

/** yazl's `end` reports the total size to its callback; @types/yazl types that callback without the argument. */
type EndWithSize = (this: ZipFile, options: undefined, calculatedTotalSize: (bytes: number) => void) => void

function buildZip(opts: ZipPackageOptions, openContent: OpenContent): { zip: ZipFile; size: number } {
  const zip = new ZipFile()
  const mtime = new Date(opts.mtimeMs)
  for (const entry of planZipEntries(opts.world, opts.fileIds, opts.maxFileBytes)) {
    if (entry.kind === 'directory') zip.addEmptyDirectory(entry.path, { mtime })
    // Stored, not deflated: zipping stays cheap, and the total size is known before the first byte.
    else zip.addReadStreamLazy(entry.path, { mtime, compress: false, size: entry.bytes }, openContent(entry))
  }
  let size = -1
  // Every entry's size is known and nothing is compressed, so yazl calls back at once.
  ;(zip.end as unknown as EndWithSize).call(zip, undefined, (bytes) => (size = bytes))
  return { zip, size }
}

/**
 * A real zip of `fileIds`, streamed: each file's content is made only when the zip reaches it.
 * Entries are stored uncompressed and stamped with `mtimeMs`, so the same world, IDs and cap give
 * byte-identical packages (the DOS timestamp is local time, as zip tools expect: identical within
 * one time zone; the extended timestamp field carries the exact UTC time).
 */
export function zipPackageStream(opts: ZipPackageOptions): Readable {
  const { zip } = buildZip(opts, (entry) => (callback) => callback(null, fileContentStream(entry.fileId, entry.bytes)))
  const output = zip.outputStream as Readable
  // yazl reports its own failures on the ZipFile, not on the stream a consumer listens to.
  zip.on('error', output.destroy.bind(output))
  return output
}

/** The exact byte length of what zipPackageStream gives for the same options (for Content-Length), without making any content. */
export function zipPackageSize(opts: ZipPackageOptions): number {
  // The content callback never answers: yazl waits on the first entry and the ZipFile is dropped.
  return buildZip(opts, () => () => undefined).size
}
