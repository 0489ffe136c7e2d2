/** The share world: users, spaces, files and shares. Plain state, no HTTP. */

export const ROOT_FOLDER_ID = 'root'

export interface User {
  userId: string
  name: string
  tokens: string[]
}

export interface Space {
  containerId: string
  ownerId: string
  capacityBytes: number
  usedBytes: number
  /** false: the space is not active, and its files cannot be listed, downloaded or copied (13000412). */
  active?: boolean
}

export interface FileEntry {
  fileId: string
  containerId: string
  /** `root` for top level. */
  parentId: string
  name: string
  type: 'file' | 'folder'
  size: number
  recycled: boolean
  editedAtMs: number
  /** The file a dump copied this one from. */
  copiedFromId?: string
}

export interface Share {
  shareId: string
  shortUrl: string
  ownerId: string
  containerId: string
  /** The shared items: files or folders, each with everything below it. */
  fileIds: string[]
  extractCode?: string
  expireAtMs?: number
  sharedAtMs: number
}

const childKey = (containerId: string, folderId: string) => `${containerId}\u0000${folderId}`

export class World {
  readonly users = new Map<string, User>()
  readonly userIdByToken = new Map<string, string>()
  readonly spaces = new Map<string, Space>()
  readonly files = new Map<string, FileEntry>()
  readonly shares = new Map<string, Share>()
  readonly shareIdByShortUrl = new Map<string, string>()
  readonly #children = new Map<string, Set<string>>()
  /** While `atomically` runs: how to take back each addition, newest last. */
  #undo: (() => void)[] | undefined

  /**
   * Runs `change`; when it throws, everything it added to the world is taken back, so a rejected
   * request leaves the world as it was even where lenient mode made things on the way.
   */
  atomically<T>(change: () => T): T {
    if (this.#undo !== undefined) return change()
    const undo: (() => void)[] = (this.#undo = [])
    try {
      const result = change()
      this.#undo = undefined
      return result
    } catch (error) {
      this.#undo = undefined
      for (const step of undo.reverse()) step()
      throw error
    }
  }

  addUser(user: User): void {
    this.users.set(user.userId, user)
    for (const token of user.tokens) this.userIdByToken.set(token, user.userId)
    this.#undo?.push(() => {
      this.users.delete(user.userId)
      for (const token of user.tokens) this.userIdByToken.delete(token)
    })
  }

  addSpace(space: Space): void {
    this.spaces.set(space.containerId, space)
    this.#undo?.push(() => this.spaces.delete(space.containerId))
  }

  /** Adds a file and charges its size to its space. */
  addFile(file: FileEntry): void {
    this.files.set(file.fileId, file)
    const key = childKey(file.containerId, file.parentId)
    let siblings = this.#children.get(key)
    if (siblings === undefined) this.#children.set(key, (siblings = new Set()))
    siblings.add(file.fileId)
    const space = this.spaces.get(file.containerId)
    if (space !== undefined) space.usedBytes += file.size
    this.#undo?.push(() => {
      this.files.delete(file.fileId)
      siblings.delete(file.fileId)
      if (space !== undefined) space.usedBytes -= file.size
    })
  }

  addShare(share: Share): void {
    this.shares.set(share.shareId, share)
    this.shareIdByShortUrl.set(share.shortUrl, share.shareId)
    // Lenient mode, the only maker of shares inside `atomically`, never reuses a short URL.
    this.#undo?.push(() => {
      this.shares.delete(share.shareId)
      this.shareIdByShortUrl.delete(share.shortUrl)
    })
  }

  /** Makes a file of the share's space one of its shared items. */
  addToShare(share: Share, fileId: string): void {
    share.fileIds.push(fileId)
    this.#undo?.push(() => share.fileIds.pop())
  }

  shareByShortUrl(shortUrl: string): Share | undefined {
    const shareId = this.shareIdByShortUrl.get(shortUrl)
    return shareId === undefined ? undefined : this.shares.get(shareId)
  }

  childrenOf(containerId: string, folderId: string): FileEntry[] {
    const ids = this.#children.get(childKey(containerId, folderId))
    return ids === undefined ? [] : [...ids].map((id) => this.files.get(id) as FileEntry)
  }

  /** The shared item that `fileId` is, or lies under, in `share`; undefined when it is not in the share. */
  sharedAncestor(share: Share, fileId: string): FileEntry | undefined {
    let file = this.files.get(fileId)
    while (file !== undefined && file.containerId === share.containerId) {
      if (share.fileIds.includes(file.fileId)) return file
      file = file.parentId === ROOT_FOLDER_ID ? undefined : this.files.get(file.parentId)
    }
    return undefined
  }

  /**
   * `file` and everything below it, parents before children. `live`: leave out what is in the
   * recycle bin, and all below it, as a dump or a listing does.
   */
  subtree(file: FileEntry, { live = false } = {}): FileEntry[] {
    const out = [file]
    for (let i = 0; i < out.length; i++) {
      const entry = out[i] as FileEntry
      if (entry.type !== 'folder') continue
      const children = this.childrenOf(entry.containerId, entry.fileId)
      out.push(...(live ? children.filter((child) => !child.recycled) : children))
    }
    return out
  }

  subtreeBytes(file: FileEntry, options: { live?: boolean } = {}): number {
    return this.subtree(file, options).reduce((sum, entry) => sum + entry.size, 0)
  }

  /** Path segments from the top of the space down to `file`, `file` included. */
  pathOf(file: FileEntry): FileEntry[] {
    const path = [file]
    let parent = file.parentId === ROOT_FOLDER_ID ? undefined : this.files.get(file.parentId)
    while (parent !== undefined) {
      path.unshift(parent)
      parent = parent.parentId === ROOT_FOLDER_ID ? undefined : this.files.get(parent.parentId)
    }
    return path
  }

  /** `name`, or `name (1).ext`, `name (2).ext`…: the first that no live item of the folder has. */
  freeNameIn(containerId: string, folderId: string, name: string): string {
    const taken = new Set(this.childrenOf(containerId, folderId).filter((entry) => !entry.recycled).map((entry) => entry.name.toLowerCase()))
    if (!taken.has(name.toLowerCase())) return name
    const dot = name.lastIndexOf('.')
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
    let n = 1
    while (taken.has(`${stem} (${n})${extension}`.toLowerCase())) n++
    return `${stem} (${n})${extension}`
  }

  /**
   * Copies `source` and everything below it that is not in the recycle bin into `targetFolderId` of `targetContainerId`, with new
   * IDs. Returns the top copy, renamed `name (1)` when the folder already has that name, as a drive
   * does. The subtree is read before anything is written, so copying a folder into itself ends.
   */
  copyTree(source: FileEntry, targetContainerId: string, targetFolderId: string, newFileId: () => string, nowMs: number): FileEntry {
    const topName = this.freeNameIn(targetContainerId, targetFolderId, source.name)
    const newIds = new Map<string, string>([[source.parentId, targetFolderId]])
    const copies = this.subtree(source, { live: true }).map((entry) => {
      const fileId = newFileId()
      newIds.set(entry.fileId, fileId)
      const parentId = newIds.get(entry.parentId) as string
      return { ...entry, fileId, containerId: targetContainerId, parentId, recycled: false, editedAtMs: nowMs, copiedFromId: entry.fileId }
    })
    const top = copies[0] as FileEntry
    top.name = topName
    for (const copy of copies) this.addFile(copy)
    return top
  }
}
