import { KooDriveCode, KooDriveError } from '../errors.js'
import type { Emulator } from '../emulator.js'
import { createShareByShortUrl, ensureFile } from './lenient-world.js'
import type { FileEntry, Share, Space } from './world.js'

export const isShareExpired = (share: Share, nowMs: number) => share.expireAtMs !== undefined && share.expireAtMs <= nowMs

export function shareNotFound(what: string): KooDriveError {
  return new KooDriveError(KooDriveCode.RESOURCE_NOT_FOUND, `Resource not found: ${what}`)
}

/** The share behind a short URL; in lenient mode an unknown one is made on first use. */
export function shareByShortUrl(emulator: Emulator, shortUrl: string, nowMs: number): Share {
  const share = emulator.world.shareByShortUrl(shortUrl)
  if (share !== undefined) return share
  if (emulator.options.mode === 'lenient') return createShareByShortUrl(emulator, shortUrl, nowMs)
  throw shareNotFound(`no share has shortUrl ${shortUrl}`)
}

/**
 * What every use of a share's files needs: the share has not expired, and when it has an access
 * code, the caller holds a live kdstoken from share/verify for it.
 */
export function requireShareOpen(emulator: Emulator, share: Share, userId: string, kdstoken: string | undefined, nowMs: number): void {
  if (isShareExpired(share, nowMs)) {
    throw new KooDriveError(KooDriveCode.RESOURCE_NOT_FOUND, `Resource not found: share ${share.shareId} has expired`)
  }
  requireSpaceActive(emulator, share.containerId, 'the share\'s space')
  if (share.extractCode === undefined) return
  const problem = emulator.kdstokens.problem(kdstoken, share.shareId, userId, nowMs)
  if (problem !== undefined) throw new KooDriveError(KooDriveCode.NO_PERMISSION, `No permission: ${problem}`)
}

/** A space whose files a request uses must be active (a seed can make one inactive). The space exists: callers have checked or made it. */
export function requireSpaceActive(emulator: Emulator, containerId: string, what: string): void {
  if ((emulator.world.spaces.get(containerId) as Space).active === false) {
    throw new KooDriveError(KooDriveCode.SPACE_NOT_ACTIVE, `Space not active: ${what} ${containerId}`)
  }
}

/**
 * A file of the share (a shared item or anything below one), not in the recycle bin. A fileId
 * that exists nowhere is 13000309 (resource not found); one that exists, but in another space or
 * outside the share, is 13000302.
 */
export function requireFileInShare(emulator: Emulator, share: Share, fileId: string): FileEntry {
  const file = emulator.world.files.get(fileId)
  if (file === undefined) throw shareNotFound(`file ${fileId}`)
  if (emulator.world.sharedAncestor(share, fileId) === undefined) {
    throw new KooDriveError(KooDriveCode.FILE_NOT_IN_SPECIFIED_CONTAINER, `File not in the share: ${fileId} is not a file of share ${share.shareId}`)
  }
  if (file.recycled) throw new KooDriveError(KooDriveCode.FILE_RECYCLED, `File in the recycle bin: ${fileId}`)
  return file
}

/** Lenient mode: a file the share lacks and the world has never seen joins the share, so made-up IDs keep working. */
export function adoptUnknownFiles(emulator: Emulator, share: Share, fileIds: string[], nowMs: number): void {
  if (emulator.options.mode !== 'lenient') return
  for (const fileId of fileIds) {
    if (emulator.world.files.has(fileId)) continue
    ensureFile(emulator.world, share.containerId, fileId, nowMs)
    emulator.world.addToShare(share, fileId)
  }
}
