import { KooDriveCode, KooDriveError, notFound } from '../errors.js'
import type { Emulator } from '../emulator.js'
import type { FileEntry, Share, Space } from './world.js'

/** The checks every use of a share makes, in both world modes (lenient mode has made what was missing first). */

export const isShareExpired = (share: Share, nowMs: number) => share.expireAtMs !== undefined && share.expireAtMs <= nowMs

/** The share behind a short URL. */
export function shareByShortUrl(emulator: Emulator, shortUrl: string): Share {
  const share = emulator.world.shareByShortUrl(shortUrl)
  if (share === undefined) throw notFound(`no share has shortUrl ${shortUrl}`)
  return share
}

/** The share with this ID. */
export function shareById(emulator: Emulator, shareId: string): Share {
  const share = emulator.world.shares.get(shareId)
  if (share === undefined) throw notFound(`share ${shareId}`)
  return share
}

/**
 * What every use of a share's files needs: the share has not expired, and when it has an access
 * code, the caller holds a live kdstoken from share/verify for it.
 */
export function requireShareOpen(emulator: Emulator, share: Share, userId: string, kdstoken: string | undefined, nowMs: number): void {
  if (isShareExpired(share, nowMs)) throw notFound(`share ${share.shareId} has expired`)
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
  if (file === undefined) throw notFound(`file ${fileId}`)
  if (emulator.world.sharedAncestor(share, fileId) === undefined) {
    throw new KooDriveError(KooDriveCode.FILE_NOT_IN_SPECIFIED_CONTAINER, `File not in the share: ${fileId} is not a file of share ${share.shareId}`)
  }
  if (file.recycled) throw new KooDriveError(KooDriveCode.FILE_RECYCLED, `File in the recycle bin: ${fileId}`)
  return file
}
