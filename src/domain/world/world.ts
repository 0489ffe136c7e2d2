import { ArrivalQueue } from '../arrival-queue.js'
import { freeName } from './free-names.js'

/** The share world: users, spaces, files and shares. Plain state, no HTTP. */

export const ROOT_FOLDER_ID = 'root'

export interface User {
  userId: string
  name: string
  tokens: string[]
  /** Apps that sign requests as this user (app authentication). */
  apps?: App[]
}

interface App {
  appId: string
  appSecret: string
}

/** An app, with the user it signs for. */
export interface UserApp extends App {
  userId: string
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

/** An entry the emulator made rather than the seed: lenient mode's inventions and dumps' copies. */
type MadeEntry = { kind: 'file'; entry: FileEntry } | { kind: 'share'; entry: Share } | { kind: 'space'; entry: Space } | { kind: 'user'; entry: User }

/**
 * What a live task holds on to, so the world keeps it while the task runs: its share, its spaces,
 * its files and its target folder. Keys are kind-prefixed IDs (`f:`, `s:`, `c:`).
 */
export type PinKey = `f:${string}` | `s:${string}` | `c:${string}`

export interface WorldLimits {
  /**
   * Most made entries kept (MOCK_MAX_WORLD_FILES); past it the oldest that no live task needs go.
   * Seeded entries are never counted and never go.
   */
  maxMadeEntries: number
}

/** How far past its cap the world may grow while live tasks pin the oldest entries; past it, making is refused. */
const PINNED_HEADROOM = 2

export class WorldFullError extends Error {
  override readonly name = 'WorldFullError'
}

/**
 * The users, spaces, files and shares one emulator knows. A world made by `World.sharing(template)`
 * reads the template's entries (a seed's, built once) and copies them on its first change: a
 * namespace that only reads its world, as package downloads from the seed do, costs a few objects,
 * not a copy of the seed. The template's entries are frozen, so a change that bypassed the copy
 * would throw instead of reaching every namespace.
 */
export class World {
  // Not readonly: a shared world swaps in its own copies on its first change (#own).
  users = new Map<string, User>()
  userIdByToken = new Map<string, string>()
  appById = new Map<string, UserApp>()
  spaces = new Map<string, Space>()
  files = new Map<string, FileEntry>()
  shares = new Map<string, Share>()
  shareIdByShortUrl = new Map<string, string>()
  #children = new Map<string, Set<string>>()
  /** While `atomically` runs: how to take back each addition, newest last. */
  #undo: (() => void)[] | undefined
  readonly #limits: WorldLimits
  /** Made entries, oldest first: where room is made when there are too many. */
  readonly #made = new ArrivalQueue<MadeEntry>()
  /** Made entries still in the world (the queue also holds some already taken out with a folder). */
  #madeCount = 0
  readonly #pins = new Map<PinKey, number>()
  /** Per space: its files and shares; per user: the spaces and shares they own. A made one goes only when empty. */
  #filesIn = new Map<string, number>()
  #sharesIn = new Map<string, number>()
  #ownedBy = new Map<string, number>()
  /** Whether the entries above are a template's, to be copied before the first change. */
  #shared = false
  /** The share a made file was made for, so it leaves the share when it leaves the world. */
  readonly #sharedBy = new Map<string, Share>()
  readonly #madeFiles = new Set<FileEntry>()

  constructor(limits: WorldLimits = { maxMadeEntries: Number.POSITIVE_INFINITY }) {
    this.#limits = limits
  }

  /**
   * Freezes a world built from a seed, to be shared: `World.sharing` makes worlds that read it. A
   * template holds seeded entries only (nothing made, nothing pinned) and is never changed itself.
   */
  static template(world: World): World {
    if (world.#madeCount > 0 || world.#pins.size > 0) throw new Error('a world template holds seeded entries only')
    for (const user of world.users.values()) {
      Object.freeze(Object.freeze(user).tokens)
      for (const app of user.apps ?? []) Object.freeze(app)
      if (user.apps !== undefined) Object.freeze(user.apps)
    }
    for (const app of world.appById.values()) Object.freeze(app)
    for (const space of world.spaces.values()) Object.freeze(space)
    for (const file of world.files.values()) Object.freeze(file)
    for (const share of world.shares.values()) Object.freeze(Object.freeze(share).fileIds)
    world.#shared = true
    return world
  }

  /** A world that reads `template`'s entries until its first change copies them (limits are its own). */
  static sharing(template: World, limits: WorldLimits = template.#limits): World {
    const world = new World(limits)
    world.users = template.users
    world.userIdByToken = template.userIdByToken
    world.appById = template.appById
    world.spaces = template.spaces
    world.files = template.files
    world.shares = template.shares
    world.shareIdByShortUrl = template.shareIdByShortUrl
    world.#children = template.#children
    world.#filesIn = template.#filesIn
    world.#sharesIn = template.#sharesIn
    world.#ownedBy = template.#ownedBy
    world.#shared = true
    return world
  }

  /**
   * Copies a shared world's maps, spaces, shares and users, so it can change them (files are never
   * changed in place, so they stay shared). Every change does this first; code that edits an entry
   * in place (a test) calls it before.
   */
  own(): void {
    if (!this.#shared) return
    this.#shared = false
    // Apps are never changed in place: the user's list is copied, its entries stay shared.
    this.users = new Map([...this.users].map(([id, user]) => [id, { ...user, tokens: [...user.tokens], ...(user.apps === undefined ? {} : { apps: [...user.apps] }) }]))
    this.userIdByToken = new Map(this.userIdByToken)
    this.appById = new Map(this.appById)
    this.spaces = new Map([...this.spaces].map(([id, space]) => [id, { ...space }]))
    this.files = new Map(this.files)
    this.shares = new Map([...this.shares].map(([id, share]) => [id, { ...share, fileIds: [...share.fileIds] }]))
    this.shareIdByShortUrl = new Map(this.shareIdByShortUrl)
    this.#children = new Map([...this.#children].map(([key, siblings]) => [key, new Set(siblings)]))
    this.#filesIn = new Map(this.#filesIn)
    this.#sharesIn = new Map(this.#sharesIn)
    this.#ownedBy = new Map(this.#ownedBy)
  }

  /** Whether this world still reads a template's entries (it has changed nothing yet). */
  get isShared(): boolean {
    return this.#shared
  }

  /** How many made entries the world holds now. */
  get madeEntries(): number {
    return this.#madeCount
  }

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
      // Room is made once the change has stood: a refused request must not have evicted anything.
      this.trim()
      return result
    } catch (error) {
      this.#undo = undefined
      for (const step of undo.reverse()) step()
      throw error
    }
  }

  addUser(user: User): void {
    this.own()
    this.users.set(user.userId, user)
    const apps = user.apps ?? []
    for (const token of user.tokens) this.userIdByToken.set(token, user.userId)
    for (const app of apps) this.appById.set(app.appId, { ...app, userId: user.userId })
    this.#undo?.push(() => {
      this.users.delete(user.userId)
      for (const token of user.tokens) this.userIdByToken.delete(token)
      for (const app of apps) this.appById.delete(app.appId)
    })
  }

  addSpace(space: Space): void {
    this.own()
    this.spaces.set(space.containerId, space)
    bump(this.#ownedBy, space.ownerId, 1)
    this.#undo?.push(() => {
      this.spaces.delete(space.containerId)
      bump(this.#ownedBy, space.ownerId, -1)
    })
  }

  /** Adds a file and charges its size to its space. */
  addFile(file: FileEntry): void {
    this.own()
    this.files.set(file.fileId, file)
    const key = childKey(file.containerId, file.parentId)
    let siblings = this.#children.get(key)
    if (siblings === undefined) this.#children.set(key, (siblings = new Set()))
    siblings.add(file.fileId)
    const space = this.spaces.get(file.containerId)
    if (space !== undefined) space.usedBytes += file.size
    bump(this.#filesIn, file.containerId, 1)
    this.#undo?.push(() => {
      this.files.delete(file.fileId)
      siblings.delete(file.fileId)
      if (space !== undefined) space.usedBytes -= file.size
      bump(this.#filesIn, file.containerId, -1)
    })
  }

  addShare(share: Share): void {
    this.own()
    this.shares.set(share.shareId, share)
    this.shareIdByShortUrl.set(share.shortUrl, share.shareId)
    bump(this.#sharesIn, share.containerId, 1)
    bump(this.#ownedBy, share.ownerId, 1)
    // Lenient mode, the only maker of shares inside `atomically`, never reuses a short URL.
    this.#undo?.push(() => {
      this.shares.delete(share.shareId)
      this.shareIdByShortUrl.delete(share.shortUrl)
      bump(this.#sharesIn, share.containerId, -1)
      bump(this.#ownedBy, share.ownerId, -1)
    })
  }

  /** Makes a file of the share's space one of its shared items. */
  addToShare(given: Share, fileId: string): void {
    this.own()
    // The caller may hold the template's share, read before this world made its own copies.
    const share = this.shares.get(given.shareId) as Share
    share.fileIds.push(fileId)
    this.#undo?.push(() => share.fileIds.pop())
    if (this.#isMadeFile(fileId)) this.#markSharedBy(fileId, share)
  }

  // --- Made entries: what lenient mode invents and dumps copy, bounded by #limits ---------------

  /** Adds an entry the emulator made (not the seed): counted against the cap, and the first to go. */
  makeUser(user: User): void {
    this.#beforeMaking()
    this.addUser(user)
    this.#recordMade({ kind: 'user', entry: user })
  }

  makeSpace(space: Space): void {
    this.#beforeMaking()
    this.addSpace(space)
    this.#recordMade({ kind: 'space', entry: space })
  }

  makeFile(file: FileEntry): void {
    this.#beforeMaking()
    this.addFile(file)
    this.#recordMade({ kind: 'file', entry: file })
  }

  /** A made share; its made files leave it when they leave the world. */
  makeShare(share: Share): void {
    this.#beforeMaking()
    this.addShare(share)
    this.#recordMade({ kind: 'share', entry: share })
    for (const fileId of share.fileIds) if (this.#isMadeFile(fileId)) this.#markSharedBy(fileId, share)
  }

  /** Keeps what `keys` name while a task needs them (each pin needs its own unpin). */
  pin(keys: readonly PinKey[]): void {
    for (const key of keys) bump(this.#pins, key, 1)
  }

  unpin(keys: readonly PinKey[]): void {
    for (const key of keys) bump(this.#pins, key, -1)
  }

  /**
   * Takes out the oldest made entries no live task needs until the cap holds: a file goes with
   * everything below it, a share, space or user only once nothing made is left in it.
   */
  trim(): void {
    let offset = 0
    while (this.#madeCount > this.#limits.maxMadeEntries && offset < this.#made.length) {
      const made = this.#made.at(offset)
      if (!this.#holds(made)) {
        this.#made.removeAt(offset)
      } else if (this.#mayRemove(made)) {
        this.#remove(made)
        this.#made.removeAt(offset)
      } else {
        offset++
      }
    }
  }

  #beforeMaking(): void {
    if (this.#madeCount >= this.#limits.maxMadeEntries * PINNED_HEADROOM) {
      throw new WorldFullError(
        `the world holds ${this.#madeCount} made entries that live tasks still need (MOCK_MAX_WORLD_FILES=${this.#limits.maxMadeEntries}); name existing files or let tasks finish`,
      )
    }
  }

  #recordMade(made: MadeEntry): void {
    this.#made.push(made)
    this.#madeCount++
    if (made.kind === 'file') this.#madeFiles.add(made.entry)
    this.#undo?.push(() => {
      this.#made.pop()
      this.#madeCount--
      if (made.kind === 'file') this.#madeFiles.delete(made.entry)
    })
  }

  #isMadeFile(fileId: string): boolean {
    const file = this.files.get(fileId)
    return file !== undefined && this.#madeFiles.has(file)
  }

  #markSharedBy(fileId: string, share: Share): void {
    this.#sharedBy.set(fileId, share)
    this.#undo?.push(() => this.#sharedBy.delete(fileId))
  }

  /** Whether the world still holds this made entry (a file may have gone with its folder). */
  #holds(made: MadeEntry): boolean {
    switch (made.kind) {
      case 'file':
        return this.files.get(made.entry.fileId) === made.entry
      case 'share':
        return this.shares.get(made.entry.shareId) === made.entry
      case 'space':
        return this.spaces.get(made.entry.containerId) === made.entry
      case 'user':
        return this.users.get(made.entry.userId) === made.entry
    }
  }

  #mayRemove(made: MadeEntry): boolean {
    switch (made.kind) {
      case 'file':
        // Nothing above it is pinned, and all below it is made and unpinned: a seeded file never goes with a folder.
        return (
          !this.pathOf(made.entry).some((entry) => this.#pins.has(`f:${entry.fileId}`)) &&
          this.subtree(made.entry).every((entry) => this.#madeFiles.has(entry) && !this.#pins.has(`f:${entry.fileId}`))
        )
      case 'share':
        return !this.#pins.has(`s:${made.entry.shareId}`)
      case 'space':
        return !this.#pins.has(`c:${made.entry.containerId}`) && !this.#filesIn.has(made.entry.containerId) && !this.#sharesIn.has(made.entry.containerId)
      case 'user':
        return !this.#ownedBy.has(made.entry.userId)
    }
  }

  #remove(made: MadeEntry): void {
    switch (made.kind) {
      case 'file':
        for (const file of this.subtree(made.entry).reverse()) this.#removeFile(file)
        return
      case 'share':
        this.shares.delete(made.entry.shareId)
        this.shareIdByShortUrl.delete(made.entry.shortUrl)
        bump(this.#sharesIn, made.entry.containerId, -1)
        bump(this.#ownedBy, made.entry.ownerId, -1)
        break
      case 'space':
        this.spaces.delete(made.entry.containerId)
        bump(this.#ownedBy, made.entry.ownerId, -1)
        break
      case 'user':
        this.users.delete(made.entry.userId)
        break
    }
    this.#madeCount--
  }

  /** Takes a made file out of the world, its space, its folder and the share it was made for. */
  #removeFile(file: FileEntry): void {
    this.files.delete(file.fileId)
    this.#children.get(childKey(file.containerId, file.parentId))?.delete(file.fileId)
    this.#children.delete(childKey(file.containerId, file.fileId))
    const space = this.spaces.get(file.containerId)
    if (space !== undefined) space.usedBytes -= file.size
    bump(this.#filesIn, file.containerId, -1)
    const share = this.#sharedBy.get(file.fileId)
    if (share !== undefined) {
      const at = share.fileIds.indexOf(file.fileId)
      if (at !== -1) share.fileIds.splice(at, 1)
      this.#sharedBy.delete(file.fileId)
    }
    this.#madeFiles.delete(file)
    this.#madeCount--
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

  /** `name`, or the first `name (n).ext` that no live item of the folder has (free-names.ts). */
  freeNameIn(containerId: string, folderId: string, name: string, isFolder = false): string {
    const taken = new Set(this.childrenOf(containerId, folderId).filter((entry) => !entry.recycled).map((entry) => entry.name.toLowerCase()))
    return freeName(name, taken, isFolder)
  }

  /**
   * Copies `source` and everything below it that is not in the recycle bin into `targetFolderId` of `targetContainerId`, with new
   * IDs. Returns the top copy, renamed `name (1)` when the folder already has that name, as a drive
   * does. The subtree is read before anything is written, so copying a folder into itself ends.
   */
  copyTree(source: FileEntry, targetContainerId: string, targetFolderId: string, newFileId: () => string, nowMs: number): FileEntry {
    const topName = this.freeNameIn(targetContainerId, targetFolderId, source.name, source.type === 'folder')
    const newIds = new Map<string, string>([[source.parentId, targetFolderId]])
    const copies = this.subtree(source, { live: true }).map((entry) => {
      const fileId = newFileId()
      newIds.set(entry.fileId, fileId)
      const parentId = newIds.get(entry.parentId) as string
      return { ...entry, fileId, containerId: targetContainerId, parentId, recycled: false, editedAtMs: nowMs, copiedFromId: entry.fileId }
    })
    const top = copies[0] as FileEntry
    top.name = topName
    // Copies are made entries: counted against the cap like lenient mode's, never refused (a
    // completion cannot fail a request), trimmed once the completions are applied.
    for (const copy of copies) {
      this.addFile(copy)
      this.#recordMade({ kind: 'file', entry: copy })
    }
    return top
  }
}

/** Adds `delta` to a count; a count of 0 leaves the map, so `has` means "more than none". */
function bump<K>(counts: Map<K, number>, key: K, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta
  if (count === 0) counts.delete(key)
  else counts.set(key, count)
}
