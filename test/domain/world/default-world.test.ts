import { readFileSync } from 'node:fs'
import t from 'tap'
import type { SeedFile, SeedShare } from '../../../schemas/seed.js'
import { buildDefaultWorld, DEFAULT_WORLD } from '../../../src/domain/world/default-world.js'
import { checkSeed, worldFromSeed } from '../../../src/domain/world/seed.js'
import { ROOT_FOLDER_ID, type FileEntry } from '../../../src/domain/world/world.js'

const VENDOR_SPACE = 'IAABh_RdhS8bOg0cA1684711052660690818'
const VENDOR_FILE = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'
const VENDOR_FOLDER = 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob'
const VENDOR_SHARE = '1689765568237837824'
const MiB = 1024 * 1024
const GiB = 1024 * MiB

const world = worldFromSeed(DEFAULT_WORLD, Date.UTC(2026, 10, 26))
const fileById = new Map(DEFAULT_WORLD.files.map((file) => [file.fileId, file]))
const file = (fileId: string): SeedFile => fileById.get(fileId) as SeedFile
const sharesWhere = (test: (share: SeedShare) => boolean): SeedShare[] => DEFAULT_WORLD.shares.filter(test)

/** Levels from `top` down to its deepest folder, counting `top` as 1. */
function depth(top: FileEntry): number {
  const children = world.childrenOf(top.containerId, top.fileId).filter((child) => child.type === 'folder')
  return 1 + Math.max(0, ...children.map(depth))
}

t.test('passes checkSeed and builds a world', async (t) => {
  t.equal(checkSeed(DEFAULT_WORLD), DEFAULT_WORLD)
  t.equal(world.users.size, DEFAULT_WORLD.users.length)
  t.ok(world.users.size >= 3, 'at least three users')
  t.equal(world.shares.size, 7)
  t.equal(world.files.size, DEFAULT_WORLD.files.length)
  for (const user of DEFAULT_WORLD.users) {
    t.ok(user.tokens.length > 0, `${user.userId} has a token`)
    for (const token of user.tokens) t.equal(world.userIdByToken.get(token), user.userId)
  }
  t.strictSame(Object.fromEntries(world.appById), {
    'ann-app': { appId: 'ann-app', appSecret: 'ann-app-secret', userId: 'ann' },
    'bob-app': { appId: 'bob-app', appSecret: 'bob-app-secret', userId: 'bob' },
  }, 'ann and bob have an app each, to sign with')
})

t.test('holds the vendor example: its space, file, target folder and open share', async (t) => {
  t.match(world.spaces.get(VENDOR_SPACE), { containerId: VENDOR_SPACE, capacityBytes: 10 * GiB })
  t.match(file(VENDOR_FILE), { containerId: VENDOR_SPACE, parentId: ROOT_FOLDER_ID, type: 'file' })
  t.match(file(VENDOR_FOLDER), { containerId: VENDOR_SPACE, parentId: ROOT_FOLDER_ID, type: 'folder' })
  t.notOk(file(VENDOR_FOLDER).recycled, 'the dump target is usable')
  const share = world.shares.get(VENDOR_SHARE)
  t.match(share, { containerId: VENDOR_SPACE, fileIds: [VENDOR_FILE] })
  t.equal(share?.extractCode, undefined, 'open: no extract code')
  t.equal(share?.expireAtMs, undefined, 'never expires')
  t.not(share?.shortUrl, VENDOR_SHARE)
  t.equal(world.shareByShortUrl(share?.shortUrl as string), share)
  t.equal(world.spaces.get(VENDOR_SPACE)?.ownerId, share?.ownerId)
})

t.test('every ID has the vendor shape', async (t) => {
  const fileIds = DEFAULT_WORLD.files.map((f) => f.fileId).filter((id) => !/^F[A-Za-z0-9_-]{32}$/.test(id))
  t.strictSame(fileIds, [])
  const decimal = DEFAULT_WORLD.shares.flatMap((s) => [s.shareId, s.shortUrl]).filter((id) => !/^1\d{18}$/.test(id))
  t.strictSame(decimal, [])
  t.ok(DEFAULT_WORLD.shares.every((s) => BigInt(s.shareId) < 2n ** 63n && BigInt(s.shortUrl) < 2n ** 63n), 'fits a signed long')
  const spaces = DEFAULT_WORLD.spaces.map((s) => s.containerId).filter((id) => !/^IAA[A-Za-z0-9_]+$/.test(id))
  t.strictSame(spaces, [])
  const codes = sharesWhere((s) => s.extractCode !== undefined && !/^[0-9a-zA-Z]{8}$/.test(s.extractCode))
  t.strictSame(codes, [])
})

t.test('every time is ISO-8601 with milliseconds and Z, in 2025 or 2026, and not in the future', async (t) => {
  const times = [
    ...DEFAULT_WORLD.files.map((f) => f.editedTime),
    ...DEFAULT_WORLD.shares.flatMap((s) => [s.shareTime, s.expireTime].filter((time) => time !== undefined)),
  ]
  const bad = times.filter(
    (time) => time === undefined || !/^202[56]-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time) || Date.parse(time) > Date.UTC(2026, 10, 1),
  )
  t.strictSame(bad, [])
})

t.test('every share is owned by a user and lies in that user\'s space', async (t) => {
  for (const share of DEFAULT_WORLD.shares) {
    t.equal(world.spaces.get(share.containerId)?.ownerId, share.ownerId, share.shareId)
  }
  for (const user of DEFAULT_WORLD.users) {
    t.equal([...world.spaces.values()].filter((space) => space.ownerId === user.userId).length, 1, `${user.userId} has one space`)
  }
})

t.test('names are unique within each folder, as in a real drive', async (t) => {
  const places = DEFAULT_WORLD.files.map((f) => `${f.containerId}/${f.parentId}/${f.name}`)
  t.equal(new Set(places).size, places.length)
})

t.test('holds a share of every kind of file', async (t) => {
  const suffixes = ['pdf', 'docx', 'xlsx', 'pptx', 'jpg', 'mp4', 'mp3', 'zip', 'txt']
  const share = sharesWhere((s) => suffixes.every((suffix) => s.fileIds.some((id) => file(id).name.endsWith(`.${suffix}`))))
  t.equal(share.length, 1)
  t.ok(share[0]?.fileIds.some((id) => file(id).type === 'folder'), 'and a folder')
  t.equal(share[0]?.extractCode, undefined, 'open')
})

t.test('holds a protected share with extract code 31945314', async (t) => {
  t.match(sharesWhere((s) => s.extractCode !== undefined), [{ extractCode: '31945314' }])
})

t.test('holds a share that expired in 2025', async (t) => {
  const expired = sharesWhere((s) => s.expireTime !== undefined)
  t.equal(expired.length, 1)
  t.match(expired[0]?.expireTime, /^2025-/)
})

t.test('holds a shared folder at least 3 levels deep, with files at each level', async (t) => {
  const deep = sharesWhere((s) => s.fileIds.some((id) => file(id).type === 'folder' && depth(world.files.get(id) as FileEntry) >= 3))
  t.equal(deep.length, 1)
  const top = world.files.get(deep[0]?.fileIds[0] as string) as FileEntry
  const folders = world.subtree(top).filter((entry) => entry.type === 'folder')
  t.ok(world.subtree(top).some((entry) => world.pathOf(entry).length - world.pathOf(top).length >= 3), 'an entry 3 levels below the top')
  for (const folder of folders) {
    t.ok(world.childrenOf(folder.containerId, folder.fileId).some((child) => child.type === 'file'), `files in ${folder.name}`)
  }
})

t.test('holds a share of more than 1000 files, itself listing them all', async (t) => {
  const big = sharesWhere((s) => s.fileIds.length > 1000)
  t.equal(big.length, 1)
  t.ok(big[0]?.fileIds.every((id) => file(id).type === 'file' && file(id).name.endsWith('.jpg')), 'all photos')
})

t.test('holds a share whose only file is in the recycle bin, and a recycled folder to dump into', async (t) => {
  t.match(sharesWhere((s) => s.fileIds.some((id) => file(id).recycled === true)), [{ fileIds: [String] }])
  const recycledFolders = DEFAULT_WORLD.files.filter((f) => f.type === 'folder' && f.recycled === true)
  t.equal(recycledFolders.length, 1)
})

t.test('holds a nearly full space where a dump of the vendor file runs out of room', async (t) => {
  const full = [...world.spaces.values()].filter((space) => space.capacityBytes - space.usedBytes < 2 * MiB)
  t.equal(full.length, 1)
  const [space] = full
  t.equal(space?.capacityBytes, 50 * MiB)
  t.ok((space?.usedBytes ?? 0) >= 48 * MiB && (space?.usedBytes ?? Infinity) <= 50 * MiB, '~49 MiB used')
  t.ok((file(VENDOR_FILE).size ?? 0) > 50 * MiB - (space?.usedBytes ?? 0), 'the vendor file does not fit')
  for (const other of world.spaces.values()) {
    if (other !== space) t.equal(other.capacityBytes, 10 * GiB, `${other.containerId} is 10 GiB`)
  }
})

t.test('is the same every time it is built', async (t) => {
  t.strictSame(buildDefaultWorld(), buildDefaultWorld())
  t.strictSame(buildDefaultWorld(), DEFAULT_WORLD)
})

t.test('the tables in the file\'s header comment match the data', async (t) => {
  const source = readFileSync(new URL('../../../src/domain/world/default-world.ts', import.meta.url), 'utf8')
  const header = source.slice(0, source.indexOf('*/')).split('\n')
  /** The cells of the table row that starts with `first`. */
  const row = (first: string): string[] =>
    header.map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim())).find((cells) => cells[0] === first || cells[1] === first) ?? []
  DEFAULT_WORLD.shares.forEach((share, i) => {
    t.strictSame(row(String(i + 1)).slice(0, 5), [String(i + 1), share.shareId, share.shortUrl, share.ownerId, share.extractCode ?? '-'], `share ${share.shareId}`)
  })
  for (const user of DEFAULT_WORLD.users) {
    const space = DEFAULT_WORLD.spaces.find((s) => s.ownerId === user.userId)
    const app = user.apps?.[0]
    const appCell = app === undefined ? '-' : `${app.appId} / ${app.appSecret}`
    t.strictSame(row(user.userId).slice(0, 6), [user.userId, user.name, user.tokens[0], appCell, space?.containerId, space?.capacityBytes === 50 * MiB ? '50 MiB' : '10 GiB'], `user ${user.userId}`)
  }
  const recycled = DEFAULT_WORLD.files.find((f) => f.type === 'folder' && f.recycled === true)
  t.match(header.join('\n'), `${recycled?.fileId} "${recycled?.name}", in the recycle bin`)
  t.match(header.join('\n'), `${VENDOR_FOLDER} "${file(VENDOR_FOLDER).name}"`)
})

t.test('the built-in world is frozen, so a world built from it may skip the seed check', async (t) => {
  t.ok(Object.isFrozen(DEFAULT_WORLD) && Object.isFrozen(DEFAULT_WORLD.files) && Object.isFrozen(DEFAULT_WORLD.files[0]) && Object.isFrozen(DEFAULT_WORLD.users[0]?.tokens))
  t.throws(() => {
    ;(DEFAULT_WORLD.files[0] as { name: string }).name = 'changed'
  }, TypeError)
  t.same(checkSeed(structuredClone(DEFAULT_WORLD)), DEFAULT_WORLD, 'a copy of it passes the check')
  t.not(Object.isFrozen(buildDefaultWorld()), true, 'a world built afresh is the caller’s to change')
})
