import t from 'tap'
import { ROOT_FOLDER_ID, World, WorldFullError, type FileEntry, type Share } from '../../../src/domain/world/world.js'

const SPACE = 'IAAseeded'

function file(fileId: string, parentId = ROOT_FOLDER_ID, type: 'file' | 'folder' = 'file', containerId = SPACE): FileEntry {
  return { fileId, containerId, parentId, name: fileId, type, size: type === 'file' ? 10 : 0, recycled: false, editedAtMs: 0 }
}

/** A world with one seeded user, space and file, holding at most `max` made entries. */
function worldOf(max: number): World {
  const world = new World({ maxMadeEntries: max })
  world.addUser({ userId: 'ann', name: 'Ann', tokens: [] })
  world.addSpace({ containerId: SPACE, ownerId: 'ann', capacityBytes: 1_000_000, usedBytes: 0 })
  world.addFile(file('Fseeded'))
  return world
}

t.test('made files past the cap go oldest first, once the change stands; seeded ones never', async (t) => {
  const world = worldOf(3)
  world.atomically(() => {
    for (const id of ['F1', 'F2', 'F3', 'F4', 'F5']) world.makeFile(file(id))
  })
  t.strictSame([...world.files.keys()], ['Fseeded', 'F3', 'F4', 'F5'])
  t.equal(world.madeEntries, 3)
  t.equal(world.spaces.get(SPACE)?.usedBytes, 40, 'the space gives back the bytes of what went')
  t.strictSame(world.childrenOf(SPACE, ROOT_FOLDER_ID).map((entry) => entry.fileId), ['Fseeded', 'F3', 'F4', 'F5'])
})

t.test('outside atomically nothing is trimmed until trim is called', async (t) => {
  const world = worldOf(1)
  world.makeFile(file('F1'))
  world.makeFile(file('F2'))
  t.equal(world.madeEntries, 2)
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'F2'])
})

t.test('a refused change takes its made entries back and evicts nothing', async (t) => {
  const world = worldOf(2)
  world.atomically(() => ['F1', 'F2'].forEach((id) => world.makeFile(file(id))))
  t.throws(() =>
    world.atomically(() => {
      world.makeFile(file('F3'))
      world.makeUser({ userId: 'made', name: 'made', tokens: [] })
      throw new Error('refused')
    }),
  )
  t.strictSame([...world.files.keys()], ['Fseeded', 'F1', 'F2'], 'F1 stayed: nothing was made room for')
  t.equal(world.madeEntries, 2)
  t.notOk(world.users.has('made'))
  world.atomically(() => world.makeFile(file('F4')))
  t.strictSame([...world.files.keys()], ['Fseeded', 'F2', 'F4'], 'the queue is as if F3 had never been')
})

t.test('a pinned file stays, and so does everything below a pinned folder; the next oldest goes instead', async (t) => {
  const world = worldOf(2)
  world.makeFile(file('Fold', ROOT_FOLDER_ID, 'folder'))
  world.makeFile(file('Fchild', 'Fold'))
  world.makeFile(file('Fnext'))
  world.pin(['f:Fold'])
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Fold', 'Fchild'], 'the folder and its child are kept; Fnext went')
  t.equal(world.madeEntries, 2)
  world.makeFile(file('Fmore'))
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Fold', 'Fchild'], 'the child of a pinned folder is pinned too: the newer Fmore went')
  world.unpin(['f:Fold'])
  world.makeFile(file('Flast'))
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Flast'], 'unpinned, the folder goes with its child')
})

t.test('a folder goes with everything below it, which then no longer counts', async (t) => {
  const world = worldOf(3)
  world.makeFile(file('Ftop', ROOT_FOLDER_ID, 'folder'))
  world.makeFile(file('Fin', 'Ftop', 'folder'))
  world.makeFile(file('Fdeep', 'Fin'))
  world.makeFile(file('Flast'))
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Flast'])
  t.equal(world.madeEntries, 1)
  t.strictSame(world.childrenOf(SPACE, 'Ftop'), [])
  for (const id of ['Fn1', 'Fn2', 'Fn3']) world.makeFile(file(id))
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Fn1', 'Fn2', 'Fn3'], 'the entries that went with the folder are passed over; Flast is next')
})

t.test('a made folder holding a seeded file is never taken out with it', async (t) => {
  const world = worldOf(1)
  world.makeFile(file('Fmade', ROOT_FOLDER_ID, 'folder'))
  world.addFile(file('FseededInside', 'Fmade'))
  world.atomically(() => world.makeFile(file('Fa')))
  world.atomically(() => world.makeFile(file('Fb')))
  t.ok(world.files.has('Fmade') && world.files.has('FseededInside'), 'kept')
  t.strictSame([...world.files.keys()].filter((id) => id.startsWith('Fa') || id.startsWith('Fb')), [], 'the folder that cannot go holds the one place: each newer file went')
  t.equal(world.madeEntries, 1)
})

t.test('a made share goes when unpinned; its made files leave it as they leave the world', async (t) => {
  const world = worldOf(100)
  const share: Share = { shareId: 'S1', shortUrl: 's1', ownerId: 'ann', containerId: SPACE, fileIds: ['Fm1', 'Fseeded'], sharedAtMs: 0 }
  world.makeFile(file('Fm1'))
  world.makeShare(share)
  world.makeFile(file('Fm2'))
  world.addToShare(share, 'Fm2')
  world.addToShare(share, 'Fseeded')
  t.strictSame(share.fileIds, ['Fm1', 'Fseeded', 'Fm2', 'Fseeded'])
  const small = new World({ maxMadeEntries: 1 })
  t.ok(small, 'a second world shares nothing with the first')
  // Two past the cap: trim takes Fm1, skips the pinned share, takes Fm2.
  world.pin(['s:S1'])
  for (let i = 0; i < 99; i++) world.makeFile(file(`Fx${i}`))
  world.trim()
  t.notOk(world.files.has('Fm1') || world.files.has('Fm2'))
  t.strictSame(share.fileIds, ['Fseeded', 'Fseeded'], 'the made files left the share; the seeded one stays')
  t.ok(world.shares.has('S1'), 'the pinned share stays')
  world.unpin(['s:S1'])
  world.makeFile(file('Fy'))
  world.trim()
  t.notOk(world.shares.has('S1'), 'unpinned, the share went')
  t.notOk(world.shareByShortUrl('s1'))
})

t.test('a made space and a made user go only once nothing is left in them', async (t) => {
  const world = worldOf(3)
  world.makeUser({ userId: 'owner', name: 'owner', tokens: [] })
  world.makeSpace({ containerId: 'IAAmade', ownerId: 'owner', capacityBytes: 100, usedBytes: 0 })
  world.makeFile(file('Fin', ROOT_FOLDER_ID, 'file', 'IAAmade'))
  world.makeFile(file('Fout'))
  world.trim()
  t.strictSame([...world.files.keys()], ['Fseeded', 'Fout'], 'the user and the space were passed over while they held something; the file in the space went')
  t.ok(world.users.has('owner') && world.spaces.has('IAAmade'))
  world.makeFile(file('Fmore'))
  world.trim()
  t.notOk(world.spaces.has('IAAmade'), 'the empty space went')
  world.makeFile(file('Fmore2'))
  world.trim()
  t.notOk(world.users.has('owner'), 'then the user who owned nothing any more')
  t.equal(world.madeEntries, 3)
})

t.test('a pinned space stays even when empty', async (t) => {
  const world = worldOf(1)
  world.makeSpace({ containerId: 'IAAmade', ownerId: 'ann', capacityBytes: 100, usedBytes: 0 })
  world.pin(['c:IAAmade'])
  world.makeFile(file('F1'))
  world.trim()
  t.ok(world.spaces.has('IAAmade'), 'the pinned space stays')
  t.notOk(world.files.has('F1'), 'the newer file went in its place')
  world.unpin(['c:IAAmade'])
  world.makeFile(file('F2'))
  world.trim()
  t.notOk(world.spaces.has('IAAmade'))
  t.ok(world.files.has('F2'))
  t.equal(world.madeEntries, 1)
})

t.test('copies a dump makes count as made entries and are never refused', async (t) => {
  const world = worldOf(3)
  world.addFile(file('Fsrc', ROOT_FOLDER_ID, 'folder'))
  world.addFile(file('Fsrc-a', 'Fsrc'))
  world.addFile(file('Fsrc-b', 'Fsrc'))
  let n = 0
  world.makeFile(file('Fmade'))
  world.makeFile(file('Fmade2'))
  const top = world.copyTree(world.files.get('Fsrc') as FileEntry, SPACE, ROOT_FOLDER_ID, () => `Fcopy${n++}`, 0)
  t.equal(world.madeEntries, 5, 'three copies beside the two made files, past the cap: copying cannot fail')
  world.trim()
  t.equal(world.madeEntries, 3, 'trimming took the two oldest made files, not the copies')
  t.ok(world.files.has(top.fileId) && world.files.has('Fcopy1') && world.files.has('Fcopy2'))
  t.notOk(world.files.has('Fmade') || world.files.has('Fmade2'))
})

t.test('at twice the cap, with everything pinned, making is refused with a message naming the setting', async (t) => {
  const world = worldOf(2)
  for (const id of ['F1', 'F2', 'F3', 'F4']) {
    world.makeFile(file(id))
    world.pin([`f:${id}`])
  }
  world.trim()
  t.equal(world.madeEntries, 4, 'nothing could go')
  const error = t.throws(() => world.atomically(() => world.makeFile(file('F5')))) as WorldFullError
  t.type(error, WorldFullError)
  t.equal(error.message, 'the world holds 4 made entries that live tasks still need (MOCK_MAX_WORLD_FILES=2); name existing files or let tasks finish')
  t.notOk(world.files.has('F5'))
})

t.test('without limits (a bare World) nothing is ever trimmed', async (t) => {
  const world = new World()
  for (let i = 0; i < 50; i++) world.makeFile(file(`F${i}`))
  world.trim()
  t.equal(world.madeEntries, 50)
})
