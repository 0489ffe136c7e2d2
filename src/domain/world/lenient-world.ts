import { createHash } from 'node:crypto'
import type { Emulator } from '../emulator.js'
import { ROOT_FOLDER_ID, type FileEntry, type Share, type World } from './world.js'

/**
 * MOCK_WORLD=lenient: whatever a request names and the world lacks is made on first use, so any IDs
 * work for a frontend. What is made follows from the IDs alone (a hash), not from call order.
 *
 * Lenient mode is a first step, not a second path: an operation first calls the maker for what its
 * request names (makeForLink, makeForShareFiles, makeDumpTarget), then runs the same checks as in a
 * strict world. A refused request changes nothing (World.atomically takes back what was made).
 */

export const LENIENT_SPACE_CAPACITY = 10 * 1024 ** 3

const SAMPLE_FILES: [string, number][] = [
  ['Quarterly report.pdf', 2_483_112],
  ['Team photo.jpg', 3_145_728],
  ['Budget 2026.xlsx', 58_211],
  ['Product demo.mp4', 48_234_496],
  ['Meeting notes.docx', 24_576],
  ['Roadmap.pptx', 5_872_025],
  ['Interview.mp3', 7_340_032],
  ['Assets.zip', 15_728_640],
  ['README.txt', 1_204],
]

function hashOf(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

export function ensureUser(world: World, userId: string): void {
  if (!world.users.has(userId)) world.makeUser({ userId, name: userId, tokens: [] })
}

export function ensureSpace(world: World, containerId: string, ownerId: string): void {
  if (world.spaces.has(containerId)) return
  ensureUser(world, ownerId)
  world.makeSpace({ containerId, ownerId, capacityBytes: LENIENT_SPACE_CAPACITY, usedBytes: 0 })
}

/** A file at the top of `containerId`, named and sized after a hash of its ID. */
export function ensureFile(world: World, containerId: string, fileId: string, nowMs: number): FileEntry {
  const existing = world.files.get(fileId)
  if (existing !== undefined) return existing
  const hash = hashOf(fileId)
  const [name, size] = SAMPLE_FILES[(hash[0] as number) % SAMPLE_FILES.length] as [string, number]
  const dot = name.lastIndexOf('.')
  const file: FileEntry = {
    fileId,
    containerId,
    parentId: ROOT_FOLDER_ID,
    name: `${name.slice(0, dot)} ${hash.toString('hex').slice(0, 4)}${name.slice(dot)}`,
    type: 'file',
    size,
    recycled: false,
    editedAtMs: nowMs,
  }
  world.makeFile(file)
  return file
}

export function ensureFolder(world: World, containerId: string, folderId: string, nowMs: number): void {
  if (folderId === ROOT_FOLDER_ID || world.files.has(folderId)) return
  world.makeFile({
    fileId: folderId,
    containerId,
    parentId: ROOT_FOLDER_ID,
    name: `Folder ${hashOf(folderId).toString('hex').slice(0, 6)}`,
    type: 'folder',
    size: 0,
    recycled: false,
    editedAtMs: nowMs,
  })
}

interface LenientShare {
  shareId: string
  shortUrl: string
  containerId: string
  fileIds: string[]
}

/** A share made on first use, with its space, owner and files. */
function createShare(emulator: Emulator, fields: LenientShare, nowMs: number): Share {
  ensureSpace(emulator.world, fields.containerId, `owner-of-${fields.shareId}`)
  for (const fileId of fields.fileIds) ensureFile(emulator.world, fields.containerId, fileId, nowMs)
  const ownerId = (emulator.world.spaces.get(fields.containerId) as { ownerId: string }).ownerId
  const share: Share = { ...fields, fileIds: [...fields.fileIds], ownerId, sharedAtMs: nowMs }
  emulator.world.makeShare(share)
  return share
}

/**
 * For an unknown share ID: the space and files are the ones the request names. Its short URL is
 * the share ID, unless another share already has that short URL (both are 19 digits).
 */
export function createShareById(emulator: Emulator, shareId: string, containerId: string, fileIds: string[], nowMs: number): Share {
  const shortUrl = emulator.world.shareIdByShortUrl.has(shareId) ? `s${shareId}` : shareId
  return createShare(emulator, { shareId, shortUrl, containerId, fileIds }, nowMs)
}

/** For an unknown short URL: a space of its own with a handful of sample files. */
export function createShareByShortUrl(emulator: Emulator, shortUrl: string, nowMs: number): Share {
  const hash = hashOf(`share:${shortUrl}`).toString('hex')
  const fileIds = SAMPLE_FILES.map((_, i) => `F${hashOf(`${shortUrl}:${i}`).toString('base64url').slice(0, 32)}`)
  return createShare(emulator, { shareId: emulator.newShareId(), shortUrl, containerId: `IAA${hash.slice(0, 32)}`, fileIds }, nowMs)
}

/** A file the share lacks and the world has never seen joins the share, so made-up IDs keep working. */
function adoptUnknownFiles(emulator: Emulator, share: Share, fileIds: string[], nowMs: number): void {
  for (const fileId of fileIds) {
    if (emulator.world.files.has(fileId)) continue
    ensureFile(emulator.world, share.containerId, fileId, nowMs)
    emulator.world.addToShare(share, fileId)
  }
}

// --- The first step of each operation ------------------------------------------------------------

/** share/userInfo, verify, files: the share behind a short URL nobody has seen. */
export function makeForLink(emulator: Emulator, shortUrl: string, nowMs: number): void {
  if (emulator.world.shareByShortUrl(shortUrl) === undefined) createShareByShortUrl(emulator, shortUrl, nowMs)
}

/**
 * share/tasks and share/download: a share named by ID, with the files the request names. An
 * unknown share is made in `containerId` (the request's, or one of its own for a download, which
 * names none); a known one adopts unknown files when it is in that space (`containerId` undefined:
 * whatever its space).
 */
export function makeForShareFiles(emulator: Emulator, shareId: string, containerId: string | undefined, fileIds: string[], nowMs: number): void {
  const share = emulator.world.shares.get(shareId)
  if (share === undefined) createShareById(emulator, shareId, containerId ?? `IAA${shareId}`, fileIds, nowMs)
  else if (containerId === undefined || share.containerId === containerId) adoptUnknownFiles(emulator, share, fileIds, nowMs)
}

/** A dump's target: the space (the caller's, when it is new) and the folder. */
export function makeDumpTarget(world: World, userId: string, target: { fileId: string; containerId: string }, nowMs: number): void {
  ensureSpace(world, target.containerId, userId)
  ensureFolder(world, target.containerId, target.fileId, nowMs)
}
