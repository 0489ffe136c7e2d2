import type { DownloadShareFileBody, ListShareFilesBody, ShareFile, ShareLink, VerifyShareBody } from '../../../schemas/shares.js'
import { SortDirection, SortType } from '../../../schemas/shares.js'
import { KooDriveCode, KooDriveError, notFound, parameterInvalid } from '../errors.js'
import type { Emulator } from '../emulator.js'
import { fileSuffix, fileTypeOf } from './file-types.js'
import { makeForLink, makeForShareFiles } from './lenient-world.js'
import { isShareExpired, requireFileInShare, requireShareOpen, shareById, shareByShortUrl } from './share-access.js'
import type { FileEntry, Share, User } from './world.js'

const DAY_MS = 24 * 60 * 60 * 1000
const DEFAULT_PAGE_SIZE = 100

/** The share as clients see it: `link` in userInfo and files. */
function shareLink(emulator: Emulator, share: Share, nowMs: number): ShareLink {
  const { world } = emulator
  const anyFileLeft = share.fileIds.some((fileId) => world.files.get(fileId)?.recycled === false)
  return {
    shareId: share.shareId,
    shortUrl: share.shortUrl,
    shareTime: new Date(share.sharedAtMs).toISOString(),
    ownerId: share.ownerId,
    // A share's owner is always a user: seeds are checked for it, lenient mode makes one.
    ownerName: (world.users.get(share.ownerId) as User).name,
    ...(share.expireAtMs === undefined ? {} : { expireTime: new Date(share.expireAtMs).toISOString() }),
    expireDate: share.expireAtMs === undefined ? '-1' : String(Math.ceil((share.expireAtMs - share.sharedAtMs) / DAY_MS)),
    status: isShareExpired(share, nowMs) ? 2 : anyFileLeft ? 0 : 1,
  }
}

/** GET share/userInfo: what a share is, even once expired (status 2), so a client can say so. */
export function describeShare(emulator: Emulator, shortUrl: string, nowMs: number): ShareLink {
  emulator.settle(nowMs)
  return emulator.world.atomically(() => {
    if (emulator.rules.makeOnFirstUse) makeForLink(emulator, shortUrl, nowMs)
    return shareLink(emulator, shareByShortUrl(emulator, shortUrl), nowMs)
  })
}

/** POST share/verify: the right access code buys a kdstoken for this share and this user. */
export function verifyShare(emulator: Emulator, userId: string, body: VerifyShareBody, nowMs: number): string {
  return emulator.world.atomically(() => issueKdstoken(emulator, userId, body, nowMs))
}

function issueKdstoken(emulator: Emulator, userId: string, body: VerifyShareBody, nowMs: number): string {
  if (emulator.rules.makeOnFirstUse) makeForLink(emulator, body.shortUrl, nowMs)
  const share = shareByShortUrl(emulator, body.shortUrl)
  if (isShareExpired(share, nowMs)) throw notFound(`share ${share.shareId} has expired`)
  if (share.extractCode !== undefined && share.extractCode !== body.extractCode) {
    throw new KooDriveError(KooDriveCode.NO_PERMISSION, 'No permission: the extract code is wrong')
  }
  return emulator.kdstokens.issue(share.shareId, userId, nowMs)
}

function toShareFile(file: FileEntry): ShareFile {
  return {
    id: file.fileId,
    fileName: file.name,
    fileType: fileTypeOf(file.name, file.type),
    parentFolder: [file.parentId],
    fileSuffix: file.type === 'folder' ? '' : fileSuffix(file.name),
    size: file.size,
    containers: [file.containerId],
    editedTime: new Date(file.editedAtMs).toISOString(),
  }
}

const sortKeys: Record<number, (a: FileEntry, b: FileEntry) => number> = {
  [SortType.NAME]: (a, b) => a.name.localeCompare(b.name),
  [SortType.SIZE]: (a, b) => a.size - b.size,
  [SortType.MODIFIED]: (a, b) => a.editedAtMs - b.editedAtMs,
}

/** Folders first, then by the chosen key; ties by ID so pages never overlap. */
function sortFiles(files: FileEntry[], sortType: number, direction: number): FileEntry[] {
  const byKey = sortKeys[sortType] as (a: FileEntry, b: FileEntry) => number
  const sign = direction === SortDirection.ASC ? 1 : -1
  return files.sort(
    (a, b) => Number(b.type === 'folder') - Number(a.type === 'folder') || sign * byKey(a, b) || (a.fileId < b.fileId ? -1 : 1),
  )
}

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url')
function decodeCursor(cursor: string): number {
  const offset = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1]
  if (offset === undefined) throw parameterInvalid('pageCursor is not a cursor this API gave out (use nextCursor from the previous page)')
  return Number(offset)
}

export interface ShareFilesPage {
  nextCursor?: string
  link: ShareLink
  files: ShareFile[]
}

/** POST share/files: one page of a share's top level, or of a folder inside it. */
export function listShareFiles(emulator: Emulator, userId: string, body: ListShareFilesBody, nowMs: number): ShareFilesPage {
  emulator.settle(nowMs)
  return emulator.world.atomically(() => listPage(emulator, userId, body, nowMs))
}

function listPage(emulator: Emulator, userId: string, body: ListShareFilesBody, nowMs: number): ShareFilesPage {
  const { world } = emulator
  if (emulator.rules.makeOnFirstUse) makeForLink(emulator, body.shortUrl, nowMs)
  const share = shareByShortUrl(emulator, body.shortUrl)
  requireShareOpen(emulator, share, userId, body.kdstoken, nowMs)
  let entries: FileEntry[]
  if (body.parentFolder === undefined) {
    entries = share.fileIds.map((fileId) => world.files.get(fileId)).filter((file) => file !== undefined)
  } else {
    const folder = requireFileInShare(emulator, share, body.parentFolder)
    if (folder.type !== 'folder') throw parameterInvalid(`parentFolder ${body.parentFolder} is a file, not a folder`)
    entries = world.childrenOf(folder.containerId, folder.fileId)
  }
  const needle = body.fileName?.toLowerCase()
  entries = entries.filter((file) => !file.recycled && (needle === undefined || file.name.toLowerCase().includes(needle)))
  sortFiles(entries, body.sortType ?? SortType.MODIFIED, body.sortDirection ?? SortDirection.DESC)
  const offset = body.pageCursor === undefined ? 0 : decodeCursor(body.pageCursor)
  const end = offset + (body.pageSize ?? DEFAULT_PAGE_SIZE)
  return {
    ...(end < entries.length ? { nextCursor: encodeCursor(end) } : {}),
    link: shareLink(emulator, share, nowMs),
    files: entries.slice(offset, end).map(toShareFile),
  }
}

/** POST share/download: a presigned URL for one file of the share. */
/** `objectsUrl`: where the request came in (by its Host); the configured base when undefined. */
export function downloadShareFile(emulator: Emulator, userId: string, body: DownloadShareFileBody, nowMs: number, objectsUrl?: string): string {
  emulator.settle(nowMs)
  return emulator.world.atomically(() => presignSharedFile(emulator, userId, body, nowMs, objectsUrl))
}

function presignSharedFile(emulator: Emulator, userId: string, body: DownloadShareFileBody, nowMs: number, objectsUrl: string | undefined): string {
  if (emulator.rules.makeOnFirstUse) makeForShareFiles(emulator, body.shareId, undefined, [body.fileId], nowMs)
  const share = shareById(emulator, body.shareId)
  requireShareOpen(emulator, share, userId, body.kdstoken, nowMs)
  const file = requireFileInShare(emulator, share, body.fileId)
  if (file.type === 'folder') {
    throw new KooDriveError(KooDriveCode.FOLDER_NOT_ALLOWED, `Operation not allowed on a folder: ${body.fileId} is a folder; use a package download task`)
  }
  return emulator.presigner.sign(`files/${file.fileId}/${file.name}`, nowMs, objectsUrl)
}
