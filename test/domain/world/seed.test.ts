import { FormatRegistry } from '@sinclair/typebox'
import t, { type Test } from 'tap'
import type { Seed } from '../../../schemas/seed.js'
import { DEFAULT_WORLD } from '../../../src/domain/world/default-world.js'
import { checkSeed, SeedError, worldFromSeed, worldToSeed } from '../../../src/domain/world/seed.js'
import { ManualClock } from '../../../src/domain/time-and-ids/clock.js'
import { Emulator } from '../../../src/domain/emulator.js'
import { createShareById } from '../../../src/domain/world/lenient-world.js'
import { ROOT_FOLDER_ID, type FileEntry } from '../../../src/domain/world/world.js'

const SPACE = 'IAAann_space1'
const BOB_SPACE = 'IAAbob-space2'
const NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0)

/** A small valid seed: two users, two spaces, a folder with a file, a file of Bob's, one share. */
function validSeed(): Seed {
  return {
    users: [
      { userId: 'ann', name: 'Ann', tokens: ['ann-token'] },
      { userId: 'bob', name: 'Bob', tokens: ['bob-token', 'bob-other'] },
    ],
    spaces: [
      { containerId: SPACE, ownerId: 'ann', capacityBytes: 1_000 },
      { containerId: BOB_SPACE, ownerId: 'bob', capacityBytes: 500 },
    ],
    files: [
      { fileId: 'Ffolder', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'Docs', type: 'folder' },
      { fileId: 'Ffile', containerId: SPACE, parentId: 'Ffolder', name: 'a.pdf', type: 'file', size: 100 },
      { fileId: 'Fbob', containerId: BOB_SPACE, parentId: ROOT_FOLDER_ID, name: 'b.txt', type: 'file', size: 7 },
    ],
    shares: [{ shareId: '1000000000000000001', shortUrl: 'short-1', ownerId: 'ann', containerId: SPACE, fileIds: ['Ffolder'] }],
  }
}

/** The problems checkSeed reports for `document`; fails the test when it accepts it. */
function problemsOf(t: Test, document: unknown): string[] {
  try {
    checkSeed(document)
  } catch (error) {
    t.type(error, SeedError)
    return (error as SeedError).problems
  }
  t.fail('checkSeed accepted the document')
  return []
}

t.test('checkSeed returns a valid document as it is', async (t) => {
  const seed = validSeed()
  t.equal(checkSeed(seed), seed)
})

t.test('checkSeed accepts the embedded default world', async (t) => {
  t.equal(checkSeed(DEFAULT_WORLD), DEFAULT_WORLD)
})

t.test('checkSeed accepts an empty world', async (t) => {
  const empty = { users: [], spaces: [], files: [], shares: [] }
  t.equal(checkSeed(empty), empty)
})

t.test('a document that is not an object is named "the document"', async (t) => {
  t.strictSame(problemsOf(t, null), ['the document: expected object'])
  t.strictSame(problemsOf(t, []), ['the document: expected object'])
  t.strictSame(problemsOf(t, 'seed'), ['the document: expected object'])
})

t.test('missing and mistyped top-level lists are named by list', async (t) => {
  t.strictSame(problemsOf(t, { users: [], spaces: [], files: [] }), ['shares: expected required property', 'shares: expected array'])
  t.strictSame(problemsOf(t, { ...validSeed(), users: 'ann' }), ['users: expected array'])
  t.strictSame(problemsOf(t, { ...validSeed(), extra: true }), ['extra: unexpected property'])
})

t.test('a shape error names the entry by index and ID, then the field', async (t) => {
  const seed = validSeed()
  const file = seed.files[1] as Record<string, unknown>
  file.size = 'big'
  t.strictSame(problemsOf(t, seed), ['files[1] (fileId "Ffile").size: expected integer'])
})

t.test('a shape error in an entry without a usable ID names it by index only', async (t) => {
  const seed = validSeed()
  ;(seed.users[0] as Record<string, unknown>).userId = 42
  t.strictSame(problemsOf(t, seed), ['users[0].userId: expected string'])
  const missing = validSeed()
  delete (missing.shares[0] as Record<string, unknown>).shareId
  t.strictSame(problemsOf(t, missing), ['shares[0].shareId: expected required property', 'shares[0].shareId: expected string'])
})

t.test('a shape error on a whole entry names the entry with no field', async (t) => {
  const seed = { ...validSeed(), spaces: ['IAAx'] }
  t.strictSame(problemsOf(t, seed), ['spaces[0]: expected object'])
})

t.test('wrong types in every list are each reported', async (t) => {
  const seed = validSeed() as unknown as Record<string, Record<string, unknown>[]>
  ;(seed.users as Record<string, unknown>[])[1] = { userId: 'bob', name: '', tokens: 'bob-token' }
  ;(seed.spaces as Record<string, unknown>[])[0] = { containerId: SPACE, ownerId: 'ann', capacityBytes: 1.5 }
  ;(seed.files as Record<string, unknown>[])[2] = { fileId: 'Fbob', containerId: BOB_SPACE, parentId: ROOT_FOLDER_ID, name: 'b', type: 'dir', recycled: 'yes' }
  ;(seed.shares as Record<string, unknown>[])[0] = { shareId: '1', shortUrl: 's', ownerId: 'ann', containerId: SPACE, fileIds: [] }
  t.strictSame(problemsOf(t, seed), [
    'users[1] (userId "bob").name: expected string length greater or equal to 1',
    'users[1] (userId "bob").tokens: expected array',
    `spaces[0] (containerId "${SPACE}").capacityBytes: expected integer`,
    'files[2] (fileId "Fbob").type: expected union value',
    'files[2] (fileId "Fbob").recycled: expected boolean',
    'shares[0] (shareId "1").fileIds: expected array length to be greater or equal to 1',
  ])
})

t.test('unknown fields are rejected, not ignored', async (t) => {
  const seed = validSeed()
  ;(seed.users[0] as Record<string, unknown>).email = 'ann@example.com'
  ;(seed.files[0] as Record<string, unknown>).owner = 'ann'
  ;(seed.shares[0] as Record<string, unknown>).password = 'x'
  t.strictSame(problemsOf(t, seed), [
    'users[0] (userId "ann").email: unexpected property',
    'files[0] (fileId "Ffolder").owner: unexpected property',
    'shares[0] (shareId "1000000000000000001").password: unexpected property',
  ])
})

t.test('a pattern in a shape error is quoted as written, not lowercased', async (t) => {
  const seed = validSeed()
  ;(seed.shares[0] as Record<string, unknown>).extractCode = 'AbC'
  const problems = problemsOf(t, seed)
  t.equal(problems.length, 1)
  t.match(problems[0], /\.extractCode: expected string to match '\^\[0-9a-zA-Z\]\{8\}\$'$/)
})

t.test('a containerId or shareId of any form is taken, as lenient mode makes them', async (t) => {
  const seed = validSeed()
  ;(seed.spaces[1] as Record<string, unknown>).containerId = 'space-2'
  for (const file of seed.files) if (file.containerId === BOB_SPACE) file.containerId = 'space-2'
  ;(seed.shares[0] as Record<string, unknown>).shareId = 'share-1'
  t.doesNotThrow(() => checkSeed(seed))
})

t.test('an extractCode that is not 8 letters or digits is a shape error', async (t) => {
  for (const extractCode of ['1234567', '123456789', '1234-678', '']) {
    const seed = validSeed()
    ;(seed.shares[0] as Record<string, unknown>).extractCode = extractCode
    const problems = problemsOf(t, seed)
    t.match(problems, [/^shares\[0\] \(shareId "1000000000000000001"\)\.extractCode: expected string to match /], extractCode)
    t.equal(problems.length, 1)
  }
  const ok = validSeed()
  ;(ok.shares[0] as Record<string, unknown>).extractCode = 'aB3dE6gH'
  t.equal(checkSeed(ok), ok)
})

t.test('a time that is not an ISO date-time is a shape error', async (t) => {
  const seed = validSeed()
  ;(seed.files[1] as Record<string, unknown>).editedTime = '2025-01-01'
  ;(seed.shares[0] as Record<string, unknown>).expireTime = '2025-13-01T00:00:00Z'
  ;(seed.shares[0] as Record<string, unknown>).shareTime = 'yesterday'
  t.strictSame(problemsOf(t, seed), [
    `files[1] (fileId "Ffile").editedTime: expected string to match 'date-time' format`,
    `shares[0] (shareId "1000000000000000001").expireTime: expected string to match 'date-time' format`,
    `shares[0] (shareId "1000000000000000001").shareTime: expected string to match 'date-time' format`,
  ])
})

t.test('ISO date-times with milliseconds or an offset are accepted', async (t) => {
  const seed = validSeed()
  ;(seed.files[1] as Record<string, unknown>).editedTime = '2025-01-01T10:00:00.123Z'
  ;(seed.shares[0] as Record<string, unknown>).expireTime = '2025-01-01T10:00:00+08:00'
  ;(seed.shares[0] as Record<string, unknown>).shareTime = '2025-01-01T10:00:00-05:30'
  t.equal(checkSeed(seed), seed)
})

t.test('a date that does not exist is a shape error', async (t) => {
  const seed = validSeed()
  ;(seed.files[1] as Record<string, unknown>).editedTime = '2025-02-32T00:00:00Z'
  t.strictSame(problemsOf(t, seed), [`files[1] (fileId "Ffile").editedTime: expected string to match 'date-time' format`])
  const feb30 = validSeed()
  ;(feb30.files[1] as Record<string, unknown>).editedTime = '2025-02-30T00:00:00Z'
  let problems: string[] = []
  try {
    checkSeed(feb30)
  } catch (error) {
    problems = (error as SeedError).problems
  }
  t.strictSame(problems, [`files[1] (fileId "Ffile").editedTime: expected string to match 'date-time' format`], '30 February is rejected')
})

t.test('every duplicate ID is reported at its second occurrence', async (t) => {
  const seed = validSeed()
  seed.users.push({ userId: 'ann', name: 'Ann again', tokens: ['ann-again-token'] })
  seed.spaces.push({ containerId: SPACE, ownerId: 'ann', capacityBytes: 1 })
  seed.files.push({ fileId: 'Ffile', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'again.pdf', type: 'file' })
  seed.shares.push({ shareId: '1000000000000000001', shortUrl: 'short-2', ownerId: 'ann', containerId: SPACE, fileIds: ['Ffolder'] })
  seed.shares.push({ shareId: '1000000000000000003', shortUrl: 'short-1', ownerId: 'ann', containerId: SPACE, fileIds: ['Ffolder'] })
  t.strictSame(problemsOf(t, seed), [
    'users[2]: duplicate userId "ann"',
    `spaces[2]: duplicate containerId "${SPACE}"`,
    'files[3]: duplicate fileId "Ffile"',
    'shares[1]: duplicate shareId "1000000000000000001"',
    'shares[2]: duplicate shortUrl "short-1"',
  ])
})

t.test('a token given to two users is reported at the user who holds it second', async (t) => {
  const seed = validSeed()
  seed.users[0]?.tokens.push('bob-token')
  const problems = problemsOf(t, seed)
  t.match(problems, [/: duplicate token "bob-token"$/], 'one problem, naming the token')
  t.strictSame(problems, ['users[1]: duplicate token "bob-token"'], 'names the user, Bob (users[1])')
  const oneUser = validSeed()
  oneUser.users[1]?.tokens.push('bob-token')
  t.match(problemsOf(t, oneUser), [/: duplicate token "bob-token"$/], 'a token listed twice by one user is a duplicate too')
})

t.test('apps: an appId used twice in the world is reported at its second entry, naming the field', async (t) => {
  const seed = validSeed()
  ;(seed.users[0] as Seed['users'][number]).apps = [{ appId: 'shared-app', appSecret: 's1' }]
  ;(seed.users[1] as Seed['users'][number]).apps = [{ appId: 'bob-app', appSecret: 's2' }, { appId: 'shared-app', appSecret: 's3' }]
  t.strictSame(problemsOf(t, seed), ['users[1] (userId "bob").apps[1].appId: duplicate appId "shared-app"'])
  const twiceByOne = validSeed()
  ;(twiceByOne.users[0] as Seed['users'][number]).apps = [{ appId: 'a', appSecret: 's' }, { appId: 'a', appSecret: 't' }]
  t.strictSame(problemsOf(t, twiceByOne), ['users[0] (userId "ann").apps[1].appId: duplicate appId "a"'])
})

t.test('apps: a malformed app is a shape error naming the field', async (t) => {
  const withApps = (apps: unknown) => ({ ...validSeed(), users: [{ userId: 'ann', name: 'Ann', tokens: [], apps }] })
  t.strictSame(problemsOf(t, withApps([{ appId: 'my app', appSecret: 's' }])), ["users[0] (userId \"ann\").apps[0].appId: expected string to match '^[^\\s,]+$'"])
  t.strictSame(problemsOf(t, withApps([{ appId: 'a', appSecret: '' }])), ['users[0] (userId "ann").apps[0].appSecret: expected string length greater or equal to 1'])
  t.strictSame(problemsOf(t, withApps([{ appId: 'a' }])), ['users[0] (userId "ann").apps[0].appSecret: expected required property', 'users[0] (userId "ann").apps[0].appSecret: expected string'])
  t.strictSame(problemsOf(t, withApps([{ appId: 'a', appSecret: 's', role: 'x' }])), ['users[0] (userId "ann").apps[0].role: unexpected property'])
})

t.test('apps: the world knows each app by its id, with its user; worldToSeed writes them back', async (t) => {
  const seed = validSeed()
  ;(seed.users[1] as Seed['users'][number]).apps = [{ appId: 'bob-app', appSecret: 'bob-secret' }]
  const world = worldFromSeed(seed, NOW_MS)
  t.strictSame(Object.fromEntries(world.appById), { 'bob-app': { appId: 'bob-app', appSecret: 'bob-secret', userId: 'bob' } })
  t.not(world.users.get('bob')?.apps, seed.users[1]?.apps, 'apps are copied, not shared with the seed')
  t.strictSame(worldToSeed(world).users, seed.users)
})

t.test('a space whose owner is not a user is reported', async (t) => {
  const seed = validSeed()
  ;(seed.spaces[1] as { ownerId: string }).ownerId = 'carol'
  t.strictSame(problemsOf(t, seed), [`spaces[1] (containerId "${BOB_SPACE}"): ownerId "carol" is not a user`])
})

t.test('a file in an unknown space is reported', async (t) => {
  const seed = validSeed()
  ;(seed.files[2] as { containerId: string }).containerId = 'IAAnowhere'
  t.strictSame(problemsOf(t, seed), ['files[2] (fileId "Fbob"): containerId "IAAnowhere" is not a space'])
})

t.test('a parent that is missing, a file, or in another space is reported', async (t) => {
  const missing = validSeed()
  ;(missing.files[1] as { parentId: string }).parentId = 'Fgone'
  t.strictSame(problemsOf(t, missing), [`files[1] (fileId "Ffile"): parentId "Fgone" is not a folder of space "${SPACE}" (use "root" for top level)`])

  const aFile = validSeed()
  aFile.files.push({ fileId: 'Fchild', containerId: SPACE, parentId: 'Ffile', name: 'c.txt', type: 'file' })
  t.strictSame(problemsOf(t, aFile), [`files[3] (fileId "Fchild"): parentId "Ffile" is not a folder of space "${SPACE}" (use "root" for top level)`])

  const otherSpace = validSeed()
  otherSpace.files.push({ fileId: 'Fcross', containerId: BOB_SPACE, parentId: 'Ffolder', name: 'c.txt', type: 'file' })
  t.strictSame(problemsOf(t, otherSpace), [`files[3] (fileId "Fcross"): parentId "Ffolder" is not a folder of space "${BOB_SPACE}" (use "root" for top level)`])
})

t.test('parent folders that form a cycle are reported for every file on or under it', async (t) => {
  const seed = validSeed()
  seed.files.push(
    { fileId: 'Floop1', containerId: SPACE, parentId: 'Floop2', name: 'one', type: 'folder' },
    { fileId: 'Floop2', containerId: SPACE, parentId: 'Floop1', name: 'two', type: 'folder' },
    { fileId: 'Finside', containerId: SPACE, parentId: 'Floop1', name: 'in.txt', type: 'file' },
  )
  t.strictSame(problemsOf(t, seed), [
    'files[3] (fileId "Floop1"): its parent folders form a cycle',
    'files[4] (fileId "Floop2"): its parent folders form a cycle',
    'files[5] (fileId "Finside"): its parent folders form a cycle',
  ])
})

t.test('a folder that is its own parent is a cycle', async (t) => {
  const seed = validSeed()
  seed.files.push({ fileId: 'Fself', containerId: SPACE, parentId: 'Fself', name: 'self', type: 'folder' })
  t.strictSame(problemsOf(t, seed), ['files[3] (fileId "Fself"): its parent folders form a cycle'])
})

t.test('a deep tree is not a cycle, and a broken link higher up is reported once, where it is', async (t) => {
  const seed = validSeed()
  seed.files.push(
    { fileId: 'Fd1', containerId: SPACE, parentId: 'Ffolder', name: 'd1', type: 'folder' },
    { fileId: 'Fd2', containerId: SPACE, parentId: 'Fd1', name: 'd2', type: 'folder' },
    { fileId: 'Fd3', containerId: SPACE, parentId: 'Fd2', name: 'd3.txt', type: 'file' },
  )
  t.equal(checkSeed(seed), seed)
  const broken = validSeed()
  broken.files.push(
    { fileId: 'Fstray', containerId: SPACE, parentId: 'Fgone', name: 'stray', type: 'folder' },
    { fileId: 'Funder', containerId: SPACE, parentId: 'Fstray', name: 'under.txt', type: 'file' },
  )
  t.strictSame(problemsOf(t, broken), [`files[3] (fileId "Fstray"): parentId "Fgone" is not a folder of space "${SPACE}" (use "root" for top level)`])
})

t.test('a share whose owner or space is unknown is reported', async (t) => {
  const seed = validSeed()
  const share = seed.shares[0] as { ownerId: string; containerId: string }
  share.ownerId = 'dave'
  share.containerId = 'IAAnowhere'
  t.strictSame(problemsOf(t, seed), [
    'shares[0] (shareId "1000000000000000001"): ownerId "dave" is not a user',
    'shares[0] (shareId "1000000000000000001"): containerId "IAAnowhere" is not a space',
    'shares[0] (shareId "1000000000000000001"): fileId "Ffolder" is not a file of space "IAAnowhere"',
  ])
})

t.test('a shared file that is not in the share\'s space, or does not exist, is reported', async (t) => {
  const seed = validSeed()
  ;(seed.shares[0] as { fileIds: string[] }).fileIds = ['Ffile', 'Fbob', 'Fnone']
  t.strictSame(problemsOf(t, seed), [
    `shares[0] (shareId "1000000000000000001"): fileId "Fbob" is not a file of space "${SPACE}"`,
    `shares[0] (shareId "1000000000000000001"): fileId "Fnone" is not a file of space "${SPACE}"`,
  ])
})

t.test('shape errors are reported alone: references are checked only in a well-formed document', async (t) => {
  const seed = validSeed()
  ;(seed.spaces[0] as { ownerId: string }).ownerId = 'nobody'
  ;(seed.files[0] as Record<string, unknown>).size = -1
  t.strictSame(problemsOf(t, seed), ['files[0] (fileId "Ffolder").size: expected integer to be greater or equal to 0'])
})

t.test('SeedError lists one problem, singular', async (t) => {
  const error = new SeedError(['users[0]: something'])
  t.equal(error.name, 'SeedError')
  t.type(error, Error)
  t.strictSame(error.problems, ['users[0]: something'])
  t.equal(error.message, 'Invalid world seed (1 problem):\n  users[0]: something')
})

t.test('SeedError lists up to 20 problems, then says how many more', async (t) => {
  const twenty = Array.from({ length: 20 }, (_, i) => `p${i}`)
  t.equal(new SeedError(twenty).message, `Invalid world seed (20 problems):\n  ${twenty.join('\n  ')}`)
  const seed = validSeed()
  for (let i = 0; i < 25; i++) seed.files.push({ fileId: `Fx${i}`, containerId: 'IAAnowhere', parentId: ROOT_FOLDER_ID, name: `x${i}`, type: 'file' })
  let caught: unknown
  try {
    checkSeed(seed)
  } catch (error) {
    caught = error
  }
  const error = caught as SeedError
  t.type(error, SeedError)
  const problems = Array.from({ length: 25 }, (_, i) => `files[${i + 3}] (fileId "Fx${i}"): containerId "IAAnowhere" is not a space`)
  t.strictSame(error.problems, problems, 'problems holds all 25')
  t.equal(error.message, `Invalid world seed (25 problems):\n  ${problems.slice(0, 20).join('\n  ')}\n  … and 5 more`)
})

t.test('worldFromSeed builds users, tokens, spaces and charges file sizes', async (t) => {
  const seed = validSeed()
  const world = worldFromSeed(seed, NOW_MS)
  t.strictSame([...world.users.values()], seed.users)
  t.not(world.users.get('ann')?.tokens, seed.users[0]?.tokens, 'tokens are copied, not shared with the seed')
  t.strictSame(Object.fromEntries(world.userIdByToken), { 'ann-token': 'ann', 'bob-token': 'bob', 'bob-other': 'bob' })
  t.strictSame([...world.spaces.values()], [
    { containerId: SPACE, ownerId: 'ann', capacityBytes: 1_000, usedBytes: 100 },
    { containerId: BOB_SPACE, ownerId: 'bob', capacityBytes: 500, usedBytes: 7 },
  ])
})

t.test('worldFromSeed: folders weigh 0, sizes default to 0, recycled to false, times to now', async (t) => {
  const seed = validSeed()
  seed.files.push({ fileId: 'Fnosize', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'empty.txt', type: 'file', recycled: true })
  seed.files.push({ fileId: 'Fbigfolder', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'Sized', type: 'folder', size: 999 })
  const world = worldFromSeed(seed, NOW_MS)
  t.strictSame([...world.files.values()], [
    { fileId: 'Ffolder', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'Docs', type: 'folder', size: 0, recycled: false, editedAtMs: NOW_MS },
    { fileId: 'Ffile', containerId: SPACE, parentId: 'Ffolder', name: 'a.pdf', type: 'file', size: 100, recycled: false, editedAtMs: NOW_MS },
    { fileId: 'Fbob', containerId: BOB_SPACE, parentId: ROOT_FOLDER_ID, name: 'b.txt', type: 'file', size: 7, recycled: false, editedAtMs: NOW_MS },
    { fileId: 'Fnosize', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'empty.txt', type: 'file', size: 0, recycled: true, editedAtMs: NOW_MS },
    { fileId: 'Fbigfolder', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'Sized', type: 'folder', size: 0, recycled: false, editedAtMs: NOW_MS },
  ])
  t.equal(world.spaces.get(SPACE)?.usedBytes, 100, 'a folder\'s seed size is not charged')
  t.strictSame(world.childrenOf(SPACE, 'Ffolder').map((f) => f.fileId), ['Ffile'])
})

t.test('worldFromSeed parses editedTime, shareTime and expireTime, and keeps an extractCode', async (t) => {
  const seed = validSeed()
  ;(seed.files[1] as Record<string, unknown>).editedTime = '2025-03-04T05:06:07.089Z'
  seed.shares.push({
    shareId: '1000000000000000002',
    shortUrl: 'short-2',
    ownerId: 'bob',
    containerId: BOB_SPACE,
    fileIds: ['Fbob'],
    extractCode: '31945314',
    expireTime: '2026-01-01T08:00:00+08:00',
    shareTime: '2025-12-01T00:00:00Z',
  })
  const world = worldFromSeed(seed, NOW_MS)
  t.equal(world.files.get('Ffile')?.editedAtMs, Date.UTC(2025, 2, 4, 5, 6, 7, 89))
  t.strictSame(world.shares.get('1000000000000000001'), {
    shareId: '1000000000000000001',
    shortUrl: 'short-1',
    ownerId: 'ann',
    containerId: SPACE,
    fileIds: ['Ffolder'],
    sharedAtMs: NOW_MS,
  })
  t.strictSame(world.shares.get('1000000000000000002'), {
    shareId: '1000000000000000002',
    shortUrl: 'short-2',
    ownerId: 'bob',
    containerId: BOB_SPACE,
    fileIds: ['Fbob'],
    extractCode: '31945314',
    expireAtMs: Date.UTC(2026, 0, 1, 0, 0, 0),
    sharedAtMs: Date.UTC(2025, 11, 1),
  })
  t.not(world.shares.get('1000000000000000002')?.fileIds, seed.shares[1]?.fileIds, 'fileIds are copied')
  t.equal(world.shareByShortUrl('short-2')?.shareId, '1000000000000000002')
})

t.test('worldFromSeed throws the SeedError of an invalid document and builds nothing', async (t) => {
  t.throws(() => worldFromSeed({ users: [] }, NOW_MS), SeedError)
})

t.test('loading seed.ts again keeps a date-time format that is already registered', async (t) => {
  const registered = FormatRegistry.Get('date-time')
  t.ok(registered, 'the first load registered date-time')
  const again = (await import(`../../../src/domain/world/seed.js?reload=${Date.now()}`)) as typeof import('../../../src/domain/world/seed.js')
  t.equal(FormatRegistry.Get('date-time'), registered, 'the second load left it alone')
  t.not(again.checkSeed, checkSeed, 'a fresh module')
  t.strictSame(again.checkSeed(validSeed()), validSeed())
})

t.test('worldToSeed writes a world back as a seed with every default filled in', async (t) => {
  const seed = validSeed()
  ;(seed.shares[0] as Record<string, unknown>).extractCode = '31945314'
  ;(seed.shares[0] as Record<string, unknown>).expireTime = '2026-12-01T00:00:00.000Z'
  const world = worldFromSeed(seed, NOW_MS)
  const now = new Date(NOW_MS).toISOString()
  t.strictSame(worldToSeed(world), {
    users: seed.users,
    spaces: seed.spaces,
    files: [
      { fileId: 'Ffolder', containerId: SPACE, parentId: ROOT_FOLDER_ID, name: 'Docs', type: 'folder', size: 0, recycled: false, editedTime: now },
      { fileId: 'Ffile', containerId: SPACE, parentId: 'Ffolder', name: 'a.pdf', type: 'file', size: 100, recycled: false, editedTime: now },
      { fileId: 'Fbob', containerId: BOB_SPACE, parentId: ROOT_FOLDER_ID, name: 'b.txt', type: 'file', size: 7, recycled: false, editedTime: now },
    ],
    shares: [
      {
        shareId: '1000000000000000001',
        shortUrl: 'short-1',
        ownerId: 'ann',
        containerId: SPACE,
        fileIds: ['Ffolder'],
        extractCode: '31945314',
        expireTime: '2026-12-01T00:00:00.000Z',
        shareTime: now,
      },
    ],
  })
})

t.test('worldToSeed copies lists, so changing the seed does not change the world', async (t) => {
  const world = worldFromSeed(validSeed(), NOW_MS)
  const seed = worldToSeed(world)
  seed.users[0]?.tokens.push('stolen')
  seed.shares[0]?.fileIds.push('Fbob')
  t.strictSame(world.users.get('ann')?.tokens, ['ann-token'])
  t.strictSame(world.shares.get('1000000000000000001')?.fileIds, ['Ffolder'])
})

t.test('worldToSeed of the default world round-trips through worldFromSeed', async (t) => {
  const world = worldFromSeed(DEFAULT_WORLD, NOW_MS)
  const again = worldFromSeed(checkSeed(worldToSeed(world)), NOW_MS + 1)
  t.strictSame(worldToSeed(again), worldToSeed(world))
  t.strictSame([...again.spaces.values()], [...world.spaces.values()], 'used bytes included')
})

t.test('worldToSeed of a world changed by dumps and lenient mode is a seed checkSeed accepts', async (t) => {
  const world = worldFromSeed(validSeed(), NOW_MS)
  let n = 0
  world.copyTree(world.files.get('Ffolder') as FileEntry, BOB_SPACE, ROOT_FOLDER_ID, () => `Fcopy${++n}`, NOW_MS + 5)
  const seed = worldToSeed(world)
  t.equal(checkSeed(seed), seed, 'a world with dump copies')
  // What lenient mode makes for POST share/tasks with made-up IDs (it accepts any ID of 1 to 128 characters).
  const emulator = new Emulator({
    clock: new ManualClock(NOW_MS),
    randomSeed: 1,
    seed: { users: [], spaces: [], files: [], shares: [] },
    mode: 'lenient',
    timing: { startDelayMs: 0, durationMs: 0 },
    maxTasks: 10,
    maxWorldEntries: 100_000,
    kdstokenTtlMs: 1,
    auth: 'lenient',
    tokenTtlMs: 1_200_000,
    maxFileBytes: 1,
    objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share',
  })
  createShareById(emulator, 'share-1', 'space-1', ['f1'], NOW_MS)
  const lenient = emulator.world
  t.doesNotThrow(() => checkSeed(worldToSeed(lenient)), 'a lenient world can be read back (GET /__admin/world, then PUT)')
})

t.test('a file named . or .. is refused: download URLs name the file, and clients resolve dot segments', async (t) => {
  for (const name of ['.', '..']) {
    const seed = validSeed()
    ;(seed.files[0] as { name: string }).name = name
    t.strictSame(problemsOf(t, seed), [`files[0] (fileId "${seed.files[0]?.fileId}").name: expected string to match '^(?!\\.{1,2}$)[^/\\\\]+$'`], name)
  }
  const dots = validSeed()
  ;(dots.files[0] as { name: string }).name = '...'
  t.doesNotThrow(() => checkSeed(dots), 'three dots are a name')
})

t.test('a space can be seeded inactive; it stays so through worldToSeed, and active is the default', async (t) => {
  const seed = validSeed()
  ;(seed.spaces[1] as { active?: boolean }).active = false
  const world = worldFromSeed(seed, NOW_MS)
  t.equal(world.spaces.get(seed.spaces[1]?.containerId as string)?.active, false)
  t.equal(world.spaces.get(seed.spaces[0]?.containerId as string)?.active, undefined, 'absent: active')
  t.strictSame(worldToSeed(world).spaces.map((space) => space.active), [undefined, false])
})
