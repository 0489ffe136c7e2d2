import { FormatRegistry } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import { SeedSchema, type Seed } from '../../../schemas/seed.js'
import { fieldPath } from '../../support/json-path.js'
import { ROOT_FOLDER_ID, World, type WorldLimits } from './world.js'

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** ISO-8601 with a real calendar date: Date.parse would roll 2025-02-30 over to March. */
export function isIsoDateTime(value: string): boolean {
  const parts = ISO_DATE_TIME.exec(value)
  if (parts === null) return false
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isIsoDateTime)

/** TypeBox's "Expected string to match '^IAA…'" as "expected string to match '^IAA…'": only the first letter changes. */
export const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/** Compiled on the first seed checked: the compile is ~5–10 ms of a start that only ever uses the built-in world. */
let checkSeedShape: TypeCheck<typeof SeedSchema> | undefined

/**
 * Seeds known to be valid (the built-in world, and a document checked once that is ours alone: a seed
 * file's, a PUT /__admin/world body), frozen so they stay so: building a world from one skips the check.
 */
const trustedSeeds = new WeakSet<Seed>()

/**
 * Marks a seed as valid and deep-freezes it: one our own code built (a test proves it passes
 * checkSeed), or one checkSeed just passed that no caller of ours holds to change.
 */
export function trustedSeed(seed: Seed): Seed {
  deepFreeze(seed)
  trustedSeeds.add(seed)
  return seed
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  Object.freeze(value)
  for (const child of Object.values(value)) deepFreeze(child)
}

/** How many problems a seed error lists before it says "and N more". */
const MAX_LISTED_PROBLEMS = 20

export class SeedError extends Error {
  override readonly name = 'SeedError'
  constructor(readonly problems: string[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS)
    const more = problems.length > listed.length ? `\n  … and ${problems.length - listed.length} more` : ''
    super(`Invalid world seed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${listed.join('\n  ')}${more}`)
  }
}

const ENTRY_KEYS: Record<string, string> = { users: 'userId', spaces: 'containerId', files: 'fileId', shares: 'shareId' }

/** `/files/3/size` → `files[3] (fileId "Fab…").size`: the entry a person has to find in their file. */
function describePath(document: unknown, path: string): string {
  const [list, index, ...rest] = path.split('/').slice(1)
  if (list === undefined || list === '') return 'the document'
  if (index === undefined) return list
  const entry = (document as Record<string, unknown[]>)[list]?.[Number(index)] as Record<string, unknown> | undefined
  const key = ENTRY_KEYS[list] as string
  const id = typeof entry?.[key] === 'string' ? ` (${key} ${JSON.stringify(entry[key])})` : ''
  // An entry is an object, so what follows its index is a property name.
  const field = fieldPath(`/${rest.join('/')}`)
  return `${list}[${index}]${id}${field === '' ? '' : `.${field}`}`
}

/** Checks a seed document's shape, then that every reference in it points at something. */
export function checkSeed(document: unknown): Seed {
  // The compiled check is fast (start-up, reset); the interpreted walk only runs to explain a failure.
  checkSeedShape ??= TypeCompiler.Compile(SeedSchema)
  const shapeProblems = checkSeedShape.Check(document) ? [] : [...Value.Errors(SeedSchema, document)].map(
    (error) => `${describePath(document, error.path)}: ${lowerFirst(error.message)}`,
  )
  if (shapeProblems.length > 0) throw new SeedError(shapeProblems)
  const seed = document as Seed
  const problems: string[] = []
  const unique = (list: keyof Seed, key: string, values: string[]) => {
    const seen = new Set<string>()
    values.forEach((value, i) => {
      if (seen.has(value)) problems.push(`${list}[${i}]: duplicate ${key} ${JSON.stringify(value)}`)
      seen.add(value)
    })
  }
  unique('users', 'userId', seed.users.map((u) => u.userId))
  const tokens = new Set<string>()
  const appIds = new Set<string>()
  seed.users.forEach((user, i) => {
    for (const token of user.tokens) {
      if (tokens.has(token)) problems.push(`users[${i}]: duplicate token ${JSON.stringify(token)}`)
      tokens.add(token)
    }
    // An appId names one app in the whole world: a signature names its app, and through it the secret and the user.
    user.apps?.forEach((app, j) => {
      if (appIds.has(app.appId)) problems.push(`users[${i}] (userId ${JSON.stringify(user.userId)}).apps[${j}].appId: duplicate appId ${JSON.stringify(app.appId)}`)
      appIds.add(app.appId)
    })
  })
  unique('spaces', 'containerId', seed.spaces.map((s) => s.containerId))
  unique('files', 'fileId', seed.files.map((f) => f.fileId))
  unique('shares', 'shareId', seed.shares.map((s) => s.shareId))
  unique('shares', 'shortUrl', seed.shares.map((s) => s.shortUrl))

  const users = new Set(seed.users.map((u) => u.userId))
  const spaces = new Set(seed.spaces.map((s) => s.containerId))
  const files = new Map(seed.files.map((f) => [f.fileId, f]))
  seed.spaces.forEach((space, i) => {
    if (!users.has(space.ownerId)) problems.push(`spaces[${i}] (containerId "${space.containerId}"): ownerId "${space.ownerId}" is not a user`)
  })
  seed.files.forEach((file, i) => {
    const at = `files[${i}] (fileId "${file.fileId}")`
    if (!spaces.has(file.containerId)) problems.push(`${at}: containerId "${file.containerId}" is not a space`)
    if (file.parentId === ROOT_FOLDER_ID) return
    const parent = files.get(file.parentId)
    if (parent === undefined || parent.type !== 'folder' || parent.containerId !== file.containerId) {
      problems.push(`${at}: parentId "${file.parentId}" is not a folder of space "${file.containerId}" (use "root" for top level)`)
      return
    }
    // Walk up: a parent chain that comes back to this file would make the tree endless.
    const visited = new Set([file.fileId])
    for (let up = parent; up.parentId !== ROOT_FOLDER_ID; up = files.get(up.parentId) ?? { ...up, parentId: ROOT_FOLDER_ID }) {
      if (visited.has(up.fileId)) {
        problems.push(`${at}: its parent folders form a cycle`)
        return
      }
      visited.add(up.fileId)
    }
  })
  seed.shares.forEach((share, i) => {
    const at = `shares[${i}] (shareId "${share.shareId}")`
    if (!users.has(share.ownerId)) problems.push(`${at}: ownerId "${share.ownerId}" is not a user`)
    if (!spaces.has(share.containerId)) problems.push(`${at}: containerId "${share.containerId}" is not a space`)
    for (const fileId of share.fileIds) {
      if (files.get(fileId)?.containerId !== share.containerId) {
        problems.push(`${at}: fileId "${fileId}" is not a file of space "${share.containerId}"`)
      }
    }
  })
  if (problems.length > 0) throw new SeedError(problems)
  return seed
}

/** Adds checked seed entries to `world`; times the seed leaves out are `nowMs`. */
export function addSeedEntries(world: World, seed: Seed, nowMs: number): void {
  for (const user of seed.users) {
    world.addUser({ ...user, tokens: [...user.tokens], ...(user.apps === undefined ? {} : { apps: user.apps.map((app) => ({ ...app })) }) })
  }
  for (const space of seed.spaces) world.addSpace({ ...space, usedBytes: 0 })
  for (const file of seed.files) {
    world.addFile({
      fileId: file.fileId,
      containerId: file.containerId,
      parentId: file.parentId,
      name: file.name,
      type: file.type,
      size: file.type === 'folder' ? 0 : (file.size ?? 0),
      recycled: file.recycled ?? false,
      editedAtMs: file.editedTime === undefined ? nowMs : Date.parse(file.editedTime),
      ...(file.copiedFromId === undefined ? {} : { copiedFromId: file.copiedFromId }),
    })
  }
  for (const share of seed.shares) {
    world.addShare({
      shareId: share.shareId,
      shortUrl: share.shortUrl,
      ownerId: share.ownerId,
      containerId: share.containerId,
      fileIds: [...share.fileIds],
      ...(share.extractCode === undefined ? {} : { extractCode: share.extractCode }),
      ...(share.expireTime === undefined ? {} : { expireAtMs: Date.parse(share.expireTime) }),
      sharedAtMs: share.shareTime === undefined ? nowMs : Date.parse(share.shareTime),
    })
  }
}

/** A world built from a checked seed; times the seed leaves out are `nowMs`. */
export function worldFromSeed(document: unknown, nowMs: number, limits?: WorldLimits): World {
  const world = new World(limits)
  addSeedEntries(world, trustedSeeds.has(document as Seed) ? (document as Seed) : checkSeed(document), nowMs)
  return world
}

/** The world as a seed document: what GET /__admin/world shows and PUT takes back. */
export function worldToSeed(world: World): Seed {
  return {
    users: [...world.users.values()].map((user) => ({
      userId: user.userId,
      name: user.name,
      tokens: [...user.tokens],
      ...(user.apps === undefined ? {} : { apps: user.apps.map(({ appId, appSecret }) => ({ appId, appSecret })) }),
    })),
    spaces: [...world.spaces.values()].map(({ containerId, ownerId, capacityBytes, active }) => ({
      containerId,
      ownerId,
      capacityBytes,
      ...(active === false ? { active } : {}),
    })),
    files: [...world.files.values()].map((file) => ({
      fileId: file.fileId,
      containerId: file.containerId,
      parentId: file.parentId,
      name: file.name,
      type: file.type,
      size: file.size,
      recycled: file.recycled,
      editedTime: new Date(file.editedAtMs).toISOString(),
      ...(file.copiedFromId === undefined ? {} : { copiedFromId: file.copiedFromId }),
    })),
    shares: [...world.shares.values()].map((share) => ({
      shareId: share.shareId,
      shortUrl: share.shortUrl,
      ownerId: share.ownerId,
      containerId: share.containerId,
      fileIds: [...share.fileIds],
      ...(share.extractCode === undefined ? {} : { extractCode: share.extractCode }),
      ...(share.expireAtMs === undefined ? {} : { expireTime: new Date(share.expireAtMs).toISOString() }),
      shareTime: new Date(share.sharedAtMs).toISOString(),
    })),
  }
}
