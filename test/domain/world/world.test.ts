import t from 'tap'
import { ROOT_FOLDER_ID, World, type FileEntry, type Share } from '../../../src/domain/world/world.js'

const SPACE = 'IAAspaceA'
const OTHER_SPACE = 'IAAspaceB'
const EDITED_MS = Date.UTC(2025, 0, 1)

function entry(fileId: string, parentId: string, type: 'file' | 'folder', size = 0, containerId = SPACE): FileEntry {
  return { fileId, containerId, parentId, name: `${fileId}${type === 'file' ? '.txt' : ''}`, type, size, recycled: false, editedAtMs: EDITED_MS }
}

/**
 * Space A:                      Space B:
 *   top/          (folder)        elsewhere.txt (50)
 *     a.txt       (10)
 *     mid/        (folder)
 *       b.txt     (20)
 *       deep/     (folder)
 *         c.txt   (30)
 *   sibling.txt   (5)
 */
function buildWorld(): World {
  const world = new World()
  world.addUser({ userId: 'ann', name: 'Ann', tokens: ['ann-1', 'ann-2'] })
  world.addSpace({ containerId: SPACE, ownerId: 'ann', capacityBytes: 1_000, usedBytes: 0 })
  world.addSpace({ containerId: OTHER_SPACE, ownerId: 'ann', capacityBytes: 1_000, usedBytes: 0 })
  world.addFile(entry('top', ROOT_FOLDER_ID, 'folder'))
  world.addFile(entry('a', 'top', 'file', 10))
  world.addFile(entry('mid', 'top', 'folder'))
  world.addFile(entry('b', 'mid', 'file', 20))
  world.addFile(entry('deep', 'mid', 'folder'))
  world.addFile(entry('c', 'deep', 'file', 30))
  world.addFile(entry('sibling', ROOT_FOLDER_ID, 'file', 5))
  world.addFile(entry('elsewhere', ROOT_FOLDER_ID, 'file', 50, OTHER_SPACE))
  return world
}

const file = (world: World, fileId: string) => world.files.get(fileId) as FileEntry
const ids = (entries: FileEntry[]) => entries.map((e) => e.fileId)

function share(fileIds: string[], containerId = SPACE): Share {
  return { shareId: '1000000000000000001', shortUrl: 'short-1', ownerId: 'ann', containerId, fileIds, sharedAtMs: EDITED_MS }
}

t.test('addUser indexes every token of the user', async (t) => {
  const world = buildWorld()
  t.strictSame(world.users.get('ann'), { userId: 'ann', name: 'Ann', tokens: ['ann-1', 'ann-2'] })
  t.equal(world.userIdByToken.get('ann-1'), 'ann')
  t.equal(world.userIdByToken.get('ann-2'), 'ann')
  t.equal(world.userIdByToken.get('bob-1'), undefined)
})

t.test('addFile charges each file size to its own space', async (t) => {
  const world = buildWorld()
  t.strictSame(world.spaces.get(SPACE), { containerId: SPACE, ownerId: 'ann', capacityBytes: 1_000, usedBytes: 65 })
  t.equal(world.spaces.get(OTHER_SPACE)?.usedBytes, 50)
  world.addFile(entry('more', ROOT_FOLDER_ID, 'file', 100))
  t.equal(world.spaces.get(SPACE)?.usedBytes, 165)
})

t.test('addFile into a space the world lacks stores the file and charges nothing', async (t) => {
  const world = buildWorld()
  world.addFile(entry('orphan', ROOT_FOLDER_ID, 'file', 7, 'IAAmissing'))
  t.equal(world.files.get('orphan')?.containerId, 'IAAmissing')
  t.strictSame(ids(world.childrenOf('IAAmissing', ROOT_FOLDER_ID)), ['orphan'])
  t.equal(world.spaces.has('IAAmissing'), false)
})

t.test('addShare indexes the share by its short URL', async (t) => {
  const world = buildWorld()
  const s = share(['top'])
  world.addShare(s)
  t.equal(world.shares.get(s.shareId), s)
  t.equal(world.shareByShortUrl('short-1'), s)
  t.equal(world.shareByShortUrl('short-2'), undefined)
})

t.test('childrenOf lists a folder\'s direct children in insertion order, per space', async (t) => {
  const world = buildWorld()
  t.strictSame(ids(world.childrenOf(SPACE, ROOT_FOLDER_ID)), ['top', 'sibling'])
  t.strictSame(ids(world.childrenOf(SPACE, 'top')), ['a', 'mid'])
  t.strictSame(ids(world.childrenOf(SPACE, 'deep')), ['c'])
  t.strictSame(ids(world.childrenOf(OTHER_SPACE, ROOT_FOLDER_ID)), ['elsewhere'])
  t.strictSame(world.childrenOf(SPACE, 'a'), [], 'a file has no children')
  t.strictSame(world.childrenOf(OTHER_SPACE, 'top'), [], 'the same folder ID under another space has none')
  t.strictSame(world.childrenOf(SPACE, 'nope'), [])
})

t.test('sharedAncestor: a shared folder and all its descendants are in the share', async (t) => {
  const world = buildWorld()
  const s = share(['mid'])
  t.equal(world.sharedAncestor(s, 'mid'), file(world, 'mid'), 'the shared folder itself')
  t.equal(world.sharedAncestor(s, 'b'), file(world, 'mid'), 'a child')
  t.equal(world.sharedAncestor(s, 'deep'), file(world, 'mid'), 'a subfolder')
  t.equal(world.sharedAncestor(s, 'c'), file(world, 'mid'), 'a grandchild')
})

t.test('sharedAncestor: what is not under a shared item is not in the share', async (t) => {
  const world = buildWorld()
  const s = share(['mid'])
  t.equal(world.sharedAncestor(s, 'a'), undefined, 'a sibling of the shared folder')
  t.equal(world.sharedAncestor(s, 'top'), undefined, 'the parent of the shared folder')
  t.equal(world.sharedAncestor(s, 'sibling'), undefined, 'a top-level file')
  t.equal(world.sharedAncestor(s, 'missing'), undefined, 'an unknown file')
})

t.test('sharedAncestor: a file of another space is not in the share, even when listed', async (t) => {
  const world = buildWorld()
  t.equal(world.sharedAncestor(share(['elsewhere']), 'elsewhere'), undefined)
  t.equal(world.sharedAncestor(share(['elsewhere'], OTHER_SPACE), 'elsewhere'), file(world, 'elsewhere'))
})

t.test('sharedAncestor: a shared file is its own ancestor', async (t) => {
  const world = buildWorld()
  t.equal(world.sharedAncestor(share(['sibling', 'b']), 'b'), file(world, 'b'))
  t.equal(world.sharedAncestor(share(['sibling', 'b']), 'sibling'), file(world, 'sibling'))
})

t.test('subtree lists an entry and everything below it, parents before children', async (t) => {
  const world = buildWorld()
  t.strictSame(ids(world.subtree(file(world, 'top'))), ['top', 'a', 'mid', 'b', 'deep', 'c'])
  t.strictSame(ids(world.subtree(file(world, 'mid'))), ['mid', 'b', 'deep', 'c'])
  t.strictSame(ids(world.subtree(file(world, 'c'))), ['c'], 'a file is its own subtree')
  t.strictSame(ids(world.subtree(file(world, 'deep'))), ['deep', 'c'])
})

t.test('subtreeBytes sums the sizes of the subtree', async (t) => {
  const world = buildWorld()
  t.equal(world.subtreeBytes(file(world, 'top')), 60)
  t.equal(world.subtreeBytes(file(world, 'mid')), 50)
  t.equal(world.subtreeBytes(file(world, 'sibling')), 5)
  world.addFile(entry('empty', ROOT_FOLDER_ID, 'folder'))
  t.equal(world.subtreeBytes(file(world, 'empty')), 0)
})

t.test('pathOf runs from the top of the space down to the file itself', async (t) => {
  const world = buildWorld()
  t.strictSame(ids(world.pathOf(file(world, 'c'))), ['top', 'mid', 'deep', 'c'])
  t.strictSame(ids(world.pathOf(file(world, 'mid'))), ['top', 'mid'])
  t.strictSame(ids(world.pathOf(file(world, 'sibling'))), ['sibling'])
})

t.test('pathOf stops at a parent the world does not hold', async (t) => {
  const world = buildWorld()
  world.addFile(entry('stray', 'vanished', 'file', 1))
  t.strictSame(ids(world.pathOf(file(world, 'stray'))), ['stray'])
})

/** IDs "N1", "N2"... so a test knows which copy got which. */
function countingFileIds(): () => string {
  let next = 0
  return () => `N${++next}`
}

t.test('copyTree copies a nested folder with new IDs, the right parents and copiedFromId', async (t) => {
  const world = buildWorld()
  world.addFile(entry('target', ROOT_FOLDER_ID, 'folder', 0, OTHER_SPACE))
  const source = file(world, 'mid')
  source.recycled = true // the copy of a source in the recycle bin is not in it
  const copiedAtMs = Date.UTC(2026, 5, 1)
  const top = world.copyTree(source, OTHER_SPACE, 'target', countingFileIds(), copiedAtMs)
  const copy = (fileId: string, parentId: string, type: 'file' | 'folder', size: number, copiedFromId: string, name: string): FileEntry => ({
    fileId,
    containerId: OTHER_SPACE,
    parentId,
    name,
    type,
    size,
    recycled: false,
    editedAtMs: copiedAtMs,
    copiedFromId,
  })
  t.strictSame(top, copy('N1', 'target', 'folder', 0, 'mid', 'mid'), 'returns the top copy')
  t.equal(world.files.get('N1'), top, 'the top copy is stored')
  t.strictSame(world.files.get('N2'), copy('N2', 'N1', 'file', 20, 'b', 'b.txt'))
  t.strictSame(world.files.get('N3'), copy('N3', 'N1', 'folder', 0, 'deep', 'deep'))
  t.strictSame(world.files.get('N4'), copy('N4', 'N3', 'file', 30, 'c', 'c.txt'))
  t.strictSame(ids(world.childrenOf(OTHER_SPACE, 'target')), ['N1'])
  t.strictSame(ids(world.subtree(top)), ['N1', 'N2', 'N3', 'N4'])
  t.equal(world.spaces.get(OTHER_SPACE)?.usedBytes, 50 + 50, 'the target space is charged the copied bytes')
  t.equal(world.spaces.get(SPACE)?.usedBytes, 65, 'the source space is unchanged')
  t.strictSame(ids(world.subtree(file(world, 'mid'))), ['mid', 'b', 'deep', 'c'], 'the source is untouched')
  t.equal(file(world, 'mid').recycled, true)
})

t.test('copyTree into the root of a space puts the top copy at the top', async (t) => {
  const world = buildWorld()
  const top = world.copyTree(file(world, 'sibling'), OTHER_SPACE, ROOT_FOLDER_ID, countingFileIds(), 5)
  t.strictSame(top, { ...file(world, 'sibling'), fileId: 'N1', containerId: OTHER_SPACE, editedAtMs: 5, copiedFromId: 'sibling' })
  t.strictSame(ids(world.childrenOf(OTHER_SPACE, ROOT_FOLDER_ID)), ['elsewhere', 'N1'])
})

t.test('copyTree of a folder into its own subfolder ends, copying the subtree as it was', async (t) => {
  const world = buildWorld()
  const top = world.copyTree(file(world, 'top'), SPACE, 'deep', countingFileIds(), 9)
  t.equal(top.parentId, 'deep')
  t.strictSame(
    ids(world.subtree(top)),
    ['N1', 'N2', 'N3', 'N4', 'N5', 'N6'],
    'six copies: the tree as read before the copy, not the copy again',
  )
  t.strictSame(
    world.subtree(top).map((e) => [e.fileId, e.parentId, e.copiedFromId]),
    [
      ['N1', 'deep', 'top'],
      ['N2', 'N1', 'a'],
      ['N3', 'N1', 'mid'],
      ['N4', 'N3', 'b'],
      ['N5', 'N3', 'deep'],
      ['N6', 'N5', 'c'],
    ],
  )
  t.strictSame(ids(world.childrenOf(SPACE, 'deep')), ['c', 'N1'])
  t.equal(world.spaces.get(SPACE)?.usedBytes, 65 + 60)
})

t.test('a copy whose name the target folder already has is renamed "name (n).ext", as a drive does', async (t) => {
  const world = new World()
  world.addSpace({ containerId: 'IAAs', ownerId: 'u', capacityBytes: 1e9, usedBytes: 0 })
  const add = (fileId: string, parentId: string, name: string, type: 'file' | 'folder' = 'file', recycled = false) =>
    world.addFile({ fileId, containerId: 'IAAs', parentId, name, type, size: 1, recycled, editedAtMs: 0 })
  add('Fsrc', 'root', 'report.pdf')
  add('Fdst', 'root', 'Target', 'folder')
  add('Fa', 'Fdst', 'report.pdf')
  add('Fb', 'Fdst', 'Report (1).PDF')
  add('Fgone', 'Fdst', 'report (2).pdf', 'file', true)
  let n = 0
  const copy = world.copyTree(world.files.get('Fsrc') as FileEntry, 'IAAs', 'Fdst', () => `Fnew${++n}`, 5)
  t.equal(copy.name, 'report (2).pdf', 'taken names are skipped, any case; a recycled one is free again')
  t.equal(world.freeNameIn('IAAs', 'Fdst', 'notes'), 'notes', 'a free name stays')
  add('Fn', 'Fdst', 'notes')
  t.equal(world.freeNameIn('IAAs', 'Fdst', 'notes'), 'notes (1)', 'a name without an extension')
  add('Fdot', 'Fdst', 'photos.2024', 'folder')
  t.equal(world.freeNameIn('IAAs', 'Fdst', 'photos.2024', true), 'photos.2024 (1)', 'a folder\'s name has no extension, as in a zip')
})

t.test('atomically takes back every addition of a change that throws, and keeps those of one that returns', async (t) => {
  const world = new World()
  world.addSpace({ containerId: 'IAAkeep', ownerId: 'u0', capacityBytes: 100, usedBytes: 0 })
  const kept: Share = { shareId: 'S0', shortUrl: 's0', ownerId: 'u0', containerId: 'IAAkeep', fileIds: [], sharedAtMs: 0 }
  world.addShare(kept)
  const snapshot = () => ({
    users: [...world.users.keys()],
    tokens: [...world.userIdByToken.keys()],
    spaces: [...world.spaces.keys()],
    files: [...world.files.keys()],
    shares: [...world.shares.keys()],
    shortUrls: [...world.shareIdByShortUrl.keys()],
    apps: [...world.appById.keys()],
    sharedItems: [...kept.fileIds],
    used: world.spaces.get('IAAkeep')?.usedBytes,
    children: world.childrenOf('IAAkeep', ROOT_FOLDER_ID).length,
  })
  const before = snapshot()
  const change = () => {
    world.addUser({ userId: 'u1', name: 'U1', tokens: ['t1'], apps: [{ appId: 'u1-app', appSecret: 's' }] })
    world.addSpace({ containerId: 'IAAnew', ownerId: 'u1', capacityBytes: 100, usedBytes: 0 })
    world.addFile({ fileId: 'Fa', containerId: 'IAAkeep', parentId: ROOT_FOLDER_ID, name: 'a', type: 'file', size: 7, recycled: false, editedAtMs: 0 })
    world.addShare({ shareId: 'S1', shortUrl: 's1', ownerId: 'u1', containerId: 'IAAnew', fileIds: [], sharedAtMs: 0 })
    world.addToShare(kept, 'Fa')
  }
  t.throws(() =>
    world.atomically(() => {
      change()
      // A nested call joins the outer change: its additions go back with it.
      world.atomically(() => world.addUser({ userId: 'u2', name: 'U2', tokens: [] }))
      throw new Error('rejected')
    }),
  )
  t.strictSame(snapshot(), before, 'all taken back')
  t.equal(world.atomically(() => (change(), 'done')), 'done')
  t.strictSame(snapshot(), {
    users: ['u1'],
    tokens: ['t1'],
    spaces: ['IAAkeep', 'IAAnew'],
    files: ['Fa'],
    shares: ['S0', 'S1'],
    shortUrls: ['s0', 's1'],
    apps: ['u1-app'],
    sharedItems: ['Fa'],
    used: 7,
    children: 1,
  }, 'a change that returns stays')
  world.addUser({ userId: 'u3', name: 'U3', tokens: [] })
  t.ok(world.users.has('u3'), 'outside atomically nothing is recorded to take back')
})
