import t from 'tap'
import { ManualClock } from '../../../src/domain/time-and-ids/clock.js'
import { Emulator } from '../../../src/domain/emulator.js'
import {
  createShareById,
  createShareByShortUrl,
  ensureFile,
  ensureFolder,
  ensureSpace,
  ensureUser,
  LENIENT_SPACE_CAPACITY,
} from '../../../src/domain/world/lenient-world.js'
import { ROOT_FOLDER_ID, World } from '../../../src/domain/world/world.js'

const NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0)
const SPACE = 'IAABh_RdhS8bOg0cA1684711052660690818'
const VENDOR_FILE = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'

/** An emulator on a tiny, empty world, so everything a test sees was made by lenient-world. */
function emptyEmulator(randomSeed = 42): Emulator {
  return new Emulator({
    clock: new ManualClock(NOW_MS),
    randomSeed,
    seed: { users: [], spaces: [], files: [], shares: [] },
    mode: 'lenient',
    timing: { startDelayMs: 1_000, durationMs: 5_000 },
    maxTasks: 100,
    maxWorldEntries: 100_000,
    kdstokenTtlMs: 20 * 60_000,
    auth: 'lenient',
    tokenTtlMs: 1_200_000,
    maxFileBytes: 1024 * 1024,
    objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share',
  })
}

const SAMPLE_NAME = /^(Quarterly report|Team photo|Budget 2026|Product demo|Meeting notes|Roadmap|Interview|Assets|README) [0-9a-f]{4}\.(pdf|jpg|xlsx|mp4|docx|pptx|mp3|zip|txt)$/

t.test('the lenient space capacity is 10 GiB', async (t) => {
  t.equal(LENIENT_SPACE_CAPACITY, 10 * 1024 ** 3)
})

t.test('ensureUser makes a user named after its ID, with no tokens, once', async (t) => {
  const world = new World()
  ensureUser(world, 'u1')
  t.strictSame(world.users.get('u1'), { userId: 'u1', name: 'u1', tokens: [] })
  const made = world.users.get('u1')
  ensureUser(world, 'u1')
  t.equal(world.users.get('u1'), made, 'a second call keeps the same user')
  t.equal(world.users.size, 1)
})

t.test('ensureUser leaves a seeded user as it is', async (t) => {
  const world = new World()
  world.addUser({ userId: 'ann', name: 'Ann Lee', tokens: ['ann-token'] })
  ensureUser(world, 'ann')
  t.strictSame(world.users.get('ann'), { userId: 'ann', name: 'Ann Lee', tokens: ['ann-token'] })
})

t.test('ensureSpace makes a 10 GiB empty space and its owner, once', async (t) => {
  const world = new World()
  ensureSpace(world, SPACE, 'u1')
  t.strictSame(world.spaces.get(SPACE), { containerId: SPACE, ownerId: 'u1', capacityBytes: LENIENT_SPACE_CAPACITY, usedBytes: 0 })
  t.strictSame(world.users.get('u1'), { userId: 'u1', name: 'u1', tokens: [] })
  const made = world.spaces.get(SPACE)
  ensureSpace(world, SPACE, 'u2')
  t.equal(world.spaces.get(SPACE), made, 'an existing space keeps its owner')
  t.equal(world.users.has('u2'), false, 'and no user is made for the second caller')
})

t.test('ensureFile makes a top-level file named and sized after its ID, and charges its space', async (t) => {
  const world = new World()
  ensureSpace(world, SPACE, 'u1')
  const file = ensureFile(world, SPACE, VENDOR_FILE, NOW_MS)
  t.strictSame(file, {
    fileId: VENDOR_FILE,
    containerId: SPACE,
    parentId: ROOT_FOLDER_ID,
    name: 'Roadmap 3296.pptx',
    type: 'file',
    size: 5_872_025,
    recycled: false,
    editedAtMs: NOW_MS,
  })
  t.equal(world.files.get(VENDOR_FILE), file)
  t.strictSame(world.childrenOf(SPACE, ROOT_FOLDER_ID), [file])
  t.equal(world.spaces.get(SPACE)?.usedBytes, 5_872_025)
})

t.test('ensureFile is idempotent: a known file is returned as it is, wherever it lives', async (t) => {
  const world = new World()
  const first = ensureFile(world, SPACE, 'Fsome', NOW_MS)
  t.equal(ensureFile(world, SPACE, 'Fsome', NOW_MS + 1), first)
  t.equal(ensureFile(world, 'IAAother', 'Fsome', NOW_MS + 2), first, 'even when asked for in another space')
  t.equal(world.files.size, 1)
  t.equal(first.editedAtMs, NOW_MS)
})

t.test('ensureFile is deterministic: the same ID gives the same name and size in any world, in any order', async (t) => {
  const ids = Array.from({ length: 40 }, (_, i) => `Fid-${i}`)
  const one = new World()
  const two = new World()
  const forward = ids.map((id) => ensureFile(one, SPACE, id, 1))
  const backward = [...ids].reverse().map((id) => ensureFile(two, SPACE, id, 2)).reverse()
  t.strictSame(
    forward.map((f) => [f.name, f.size]),
    backward.map((f) => [f.name, f.size]),
  )
  t.ok(forward.every((f) => SAMPLE_NAME.test(f.name)), 'every name is a sample name with a 4-hex tag')
  t.ok(new Set(forward.map((f) => f.name.replace(/ [0-9a-f]{4}\./, '.'))).size > 3, 'IDs pick different samples')
})

t.test('ensureFolder makes a top-level folder named after a hash of its ID, once', async (t) => {
  const world = new World()
  ensureSpace(world, SPACE, 'u1')
  ensureFolder(world, SPACE, 'Ffold', NOW_MS)
  t.strictSame(world.files.get('Ffold'), {
    fileId: 'Ffold',
    containerId: SPACE,
    parentId: ROOT_FOLDER_ID,
    name: 'Folder 807ff6',
    type: 'folder',
    size: 0,
    recycled: false,
    editedAtMs: NOW_MS,
  })
  const made = world.files.get('Ffold')
  ensureFolder(world, SPACE, 'Ffold', NOW_MS + 1)
  t.equal(world.files.get('Ffold'), made)
  const other = new World()
  ensureFolder(other, 'IAAelsewhere', 'Ffold', 0)
  t.equal(other.files.get('Ffold')?.name, 'Folder 807ff6', 'the same name in another world')
})

t.test('ensureFolder does nothing for the root or for an existing file', async (t) => {
  const world = new World()
  ensureFolder(world, SPACE, ROOT_FOLDER_ID, NOW_MS)
  t.equal(world.files.size, 0, 'root is not a file')
  const file = ensureFile(world, SPACE, 'Fplain', NOW_MS)
  ensureFolder(world, SPACE, 'Fplain', NOW_MS)
  t.equal(world.files.get('Fplain'), file, 'an existing file is not turned into a folder')
})

t.test('createShareById makes an open share of the named space and files, with shortUrl = shareId', async (t) => {
  const emulator = emptyEmulator()
  const fileIds = ['Fa', 'Fb']
  const share = createShareById(emulator, '1689765568237837824', SPACE, fileIds, NOW_MS)
  t.strictSame(share, {
    shareId: '1689765568237837824',
    shortUrl: '1689765568237837824',
    containerId: SPACE,
    fileIds: ['Fa', 'Fb'],
    ownerId: 'owner-of-1689765568237837824',
    sharedAtMs: NOW_MS,
  })
  t.not(share.fileIds, fileIds, 'the share has its own list')
  const { world } = emulator
  t.equal(world.shares.get('1689765568237837824'), share)
  t.equal(world.shareByShortUrl('1689765568237837824'), share)
  t.strictSame(world.spaces.get(SPACE), {
    containerId: SPACE,
    ownerId: 'owner-of-1689765568237837824',
    capacityBytes: LENIENT_SPACE_CAPACITY,
    usedBytes: (world.files.get('Fa')?.size ?? NaN) + (world.files.get('Fb')?.size ?? NaN),
  })
  t.ok(world.users.has('owner-of-1689765568237837824'))
  t.strictSame(
    world.childrenOf(SPACE, ROOT_FOLDER_ID).map((f) => f.fileId),
    ['Fa', 'Fb'],
  )
  t.equal(world.sharedAncestor(share, 'Fa')?.fileId, 'Fa')
})

t.test('createShareById in a space that exists keeps its owner and its files', async (t) => {
  const emulator = emptyEmulator()
  const { world } = emulator
  ensureSpace(world, SPACE, 'ann')
  const existing = ensureFile(world, SPACE, 'Fa', NOW_MS - 1_000)
  const share = createShareById(emulator, '1000000000000000001', SPACE, ['Fa'], NOW_MS)
  t.equal(share.ownerId, 'ann')
  t.equal(world.files.get('Fa'), existing)
  t.equal(world.users.has('owner-of-1000000000000000001'), false)
})

t.test('createShareById does not take over the short URL of another share', async (t) => {
  const emulator = emptyEmulator()
  const original = createShareByShortUrl(emulator, '1822239307136816339', NOW_MS)
  // A client that mixes up a shortUrl and a shareId (both 19 digits) names the short URL as shareId.
  createShareById(emulator, '1822239307136816339', SPACE, ['Fa'], NOW_MS)
  t.equal(emulator.world.shareByShortUrl('1822239307136816339'), original, 'the short URL still opens the original share')
})

t.test('createShareByShortUrl keeps the short URL, draws a 19-digit share ID and makes 9 sample files', async (t) => {
  const emulator = emptyEmulator()
  const share = createShareByShortUrl(emulator, 'abc', NOW_MS)
  t.equal(share.shortUrl, 'abc')
  t.match(share.shareId, /^[1-9]\d{18}$/)
  t.match(share.containerId, /^IAA[0-9a-f]{32}$/)
  t.equal(share.ownerId, `owner-of-${share.shareId}`)
  t.equal(share.sharedAtMs, NOW_MS)
  t.equal(share.extractCode, undefined, 'open')
  t.equal(share.expireAtMs, undefined, 'never expires')
  t.equal(share.fileIds.length, 9)
  t.equal(new Set(share.fileIds).size, 9)
  const { world } = emulator
  t.equal(world.shareByShortUrl('abc'), share)
  t.equal(world.shares.get(share.shareId), share)
  for (const fileId of share.fileIds) {
    t.match(fileId, /^F[A-Za-z0-9_-]{32}$/)
    t.match(world.files.get(fileId), { containerId: share.containerId, parentId: ROOT_FOLDER_ID, type: 'file', name: SAMPLE_NAME })
  }
  t.strictSame(
    world.childrenOf(share.containerId, ROOT_FOLDER_ID).map((f) => f.fileId),
    share.fileIds,
  )
  t.strictSame(world.spaces.get(share.containerId), {
    containerId: share.containerId,
    ownerId: share.ownerId,
    capacityBytes: LENIENT_SPACE_CAPACITY,
    usedBytes: share.fileIds.reduce((sum, id) => sum + (world.files.get(id)?.size ?? 0), 0),
  })
})

t.test('createShareByShortUrl is deterministic for a random seed: same short URL, same share', async (t) => {
  const one = createShareByShortUrl(emptyEmulator(7), 'same-url', NOW_MS)
  const two = createShareByShortUrl(emptyEmulator(7), 'same-url', NOW_MS)
  t.strictSame(one, two)
  const otherSeed = createShareByShortUrl(emptyEmulator(8), 'same-url', NOW_MS)
  t.equal(otherSeed.containerId, one.containerId, 'the space and files follow from the short URL alone')
  t.strictSame(otherSeed.fileIds, one.fileIds)
  t.not(otherSeed.shareId, one.shareId, 'the share ID follows from the random seed')
  const different = createShareByShortUrl(emptyEmulator(7), 'other-url', NOW_MS)
  t.not(different.containerId, one.containerId)
})

t.test('createShareByShortUrl draws a new share ID for each short URL', async (t) => {
  const emulator = emptyEmulator()
  const a = createShareByShortUrl(emulator, 'a', NOW_MS)
  const b = createShareByShortUrl(emulator, 'b', NOW_MS)
  t.not(a.shareId, b.shareId)
  t.equal(emulator.world.shares.size, 2)
})
