import { recycleFile } from '../../helpers/world.js'
import t from 'tap'
import type { Seed } from '../../../schemas/seed.js'
import type { CreateShareTaskBody } from '../../../schemas/share-tasks.js'
import { ManualClock } from '../../../src/domain/time-and-ids/clock.js'
import { Emulator, type WorldMode } from '../../../src/domain/emulator.js'
import { createShareTask, packageObjectKey } from '../../../src/domain/tasks/share-tasks.js'
import { completeTask } from '../../../src/domain/tasks/task-completion.js'
import { scheduleTask } from '../../../src/domain/tasks/task-lifecycle.js'
import type { ShareTask } from '../../../src/domain/tasks/task-store.js'
import { resultView } from '../../helpers/tasks.js'
import { ROOT_FOLDER_ID, type FileEntry } from '../../../src/domain/world/world.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0, 500)
const END = T0 + 10_000
const SRC = 'IAAsrcSpace1'
const DST = 'IAAdstSpace2'
const SHARE_ID = '1000000000000000001'

/**
 * Ann shares, from her space: Docs/ (a.pdf 100, Sub/ (b.pdf 50)), x.txt 10, y.txt 20, z.txt 30.
 * Bob dumps into his 1000-byte space: Saved/, Parent/Nested/.
 */
const SEED: Seed = {
  users: [
    { userId: 'ann', name: 'Ann', tokens: ['ann-token'] },
    { userId: 'bob', name: 'Bob', tokens: ['bob-token'] },
  ],
  spaces: [
    { containerId: SRC, ownerId: 'ann', capacityBytes: 100_000 },
    { containerId: DST, ownerId: 'bob', capacityBytes: 1_000 },
  ],
  files: [
    { fileId: 'Fdir', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'Docs', type: 'folder' },
    { fileId: 'Fin1', containerId: SRC, parentId: 'Fdir', name: 'a.pdf', type: 'file', size: 100 },
    { fileId: 'Fsub', containerId: SRC, parentId: 'Fdir', name: 'Sub', type: 'folder' },
    { fileId: 'Fin2', containerId: SRC, parentId: 'Fsub', name: 'b.pdf', type: 'file', size: 50 },
    { fileId: 'Fx', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'x.txt', type: 'file', size: 10 },
    { fileId: 'Fy', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'y.txt', type: 'file', size: 20 },
    { fileId: 'Fz', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'z.txt', type: 'file', size: 30 },
    { fileId: 'Fsaved', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'Saved', type: 'folder' },
    { fileId: 'Fparent', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'Parent', type: 'folder' },
    { fileId: 'Fnested', containerId: DST, parentId: 'Fparent', name: 'Nested', type: 'folder' },
  ],
  shares: [{ shareId: SHARE_ID, shortUrl: 'docs', ownerId: 'ann', containerId: SRC, fileIds: ['Fdir', 'Fx', 'Fy', 'Fz'] }],
}

function emulatorIn(mode: WorldMode = 'strict'): Emulator {
  return new Emulator({
    clock: new ManualClock(T0),
    randomSeed: 42,
    seed: SEED,
    mode,
    timing: { startDelayMs: 1_000, durationMs: 10_000 },
    maxTasks: 100,
    maxWorldEntries: 100_000,
    kdstokenTtlMs: 20 * 60_000,
    auth: 'lenient',
    tokenTtlMs: 1_200_000,
    maxFileBytes: 1024,
    objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share',
  })
}

const packageOf = (fileIds: string[], zipName = 'bundle.zip'): CreateShareTaskBody => ({ taskType: 1, containerId: SRC, fileIds, shareId: SHARE_ID, zipName })

const dumpOf = (fileIds: string[], folderId = 'Fsaved'): CreateShareTaskBody => ({
  taskType: 2,
  containerId: SRC,
  fileIds,
  shareId: SHARE_ID,
  targetFileId: { fileId: folderId, containerId: DST },
})

/** Bob creates the task at T0; it ends at END. */
const create = (emulator: Emulator, body: CreateShareTaskBody, fault?: Parameters<typeof createShareTask>[4]): ShareTask =>
  createShareTask(emulator, 'bob', body, T0, fault)

/** Moves to the task's end and returns what it produced. */
function finish(emulator: Emulator, task: ShareTask) {
  emulator.settle(task.endAtMs)
  return resultView(task)
}

const file = (emulator: Emulator, fileId: string) => emulator.world.files.get(fileId) as FileEntry
const recycle = (emulator: Emulator, fileId: string) => recycleFile(emulator.world, fileId)
const childNames = (emulator: Emulator, folderId: string) => emulator.world.childrenOf(DST, folderId).map((f) => f.name)

t.test('a package whose files are all there succeeds with a presigned download URL signed at its end', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, packageOf(['Fx', 'Fdir']))
  t.equal(task.endAtMs, END)
  const result = finish(emulator, task)
  t.strictSame(result, {
    files: [
      { fileId: 'Fx', status: '1' },
      { fileId: 'Fdir', status: '1' },
    ],
    resultCode: 1,
    packaged: true,
  })
  // The URL itself is presigned when taskDetail reads the task (see share-task-detail tests).
  t.equal(packageObjectKey(task), `packages/${task.taskId}/bundle.zip`)
})

t.test('a package changes nothing in the world', async (t) => {
  const emulator = emulatorIn()
  const before = [...emulator.world.files.values()].map((f) => ({ ...f }))
  finish(emulator, create(emulator, packageOf(['Fdir', 'Fx'])))
  t.strictSame([...emulator.world.files.values()], before)
})

t.test('a package whose files went to the recycle bin or were deleted meanwhile partly fails, still with a URL', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, packageOf(['Fx', 'Fy', 'Fz'], 'My files.zip'))
  recycle(emulator, 'Fy')
  emulator.world.files.delete('Fz')
  t.strictSame(finish(emulator, task), {
    files: [
      { fileId: 'Fx', status: '1' },
      { fileId: 'Fy', status: '2' },
      { fileId: 'Fz', status: '2' },
    ],
    resultCode: 2,
    packaged: true,
  })
})

t.test('a package whose files are all gone fails, with no download URL', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, packageOf(['Fx', 'Fdir']))
  recycle(emulator, 'Fx')
  recycle(emulator, 'Fdir')
  t.strictSame(finish(emulator, task), {
    files: [
      { fileId: 'Fx', status: '2' },
      { fileId: 'Fdir', status: '2' },
    ],
    resultCode: 3,
  })
})

t.test('what happens to a file after its task ended does not change the result', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, packageOf(['Fx']))
  finish(emulator, task)
  const result = task.result
  recycle(emulator, 'Fx')
  emulator.settle(END + 60_000)
  t.equal(task.result, result)
  t.equal(result?.resultCode, 1)
})

t.test('a dump copies each file into the target folder and reports the new file IDs', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, dumpOf(['Fx', 'Fy']))
  t.strictSame(childNames(emulator, 'Fsaved'), [], 'nothing is copied before the end')
  const result = finish(emulator, task)
  const copies = emulator.world.childrenOf(DST, 'Fsaved')
  t.equal(copies.length, 2)
  const [x, y] = copies as [FileEntry, FileEntry]
  t.strictSame(result, {
    files: [
      { fileId: 'Fx', status: '1', newFileId: x.fileId },
      { fileId: 'Fy', status: '1', newFileId: y.fileId },
    ],
    resultCode: 1,
  })
  t.strictSame(x, { fileId: x.fileId, containerId: DST, parentId: 'Fsaved', name: 'x.txt', type: 'file', size: 10, recycled: false, editedAtMs: END, copiedFromId: 'Fx' })
  t.strictSame(y, { fileId: y.fileId, containerId: DST, parentId: 'Fsaved', name: 'y.txt', type: 'file', size: 20, recycled: false, editedAtMs: END, copiedFromId: 'Fy' })
  t.match(x.fileId, /^F[A-Za-z0-9_-]{32}$/)
  t.not(x.fileId, 'Fx')
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 30)
  t.equal(emulator.world.spaces.get(SRC)?.usedBytes, 210, 'the source space is not charged again')
})

t.test('a dump of a folder copies everything below it', async (t) => {
  const emulator = emulatorIn()
  const result = finish(emulator, create(emulator, dumpOf(['Fdir'])))
  const top = file(emulator, result?.files[0]?.newFileId as string)
  t.strictSame(
    emulator.world.subtree(top).map((f) => [f.name, f.copiedFromId, f.containerId, f.editedAtMs]),
    [
      ['Docs', 'Fdir', DST, END],
      ['a.pdf', 'Fin1', DST, END],
      ['Sub', 'Fsub', DST, END],
      ['b.pdf', 'Fin2', DST, END],
    ],
  )
  t.equal(top.parentId, 'Fsaved')
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 150)
})

t.test('a dump into the root folder puts the copy at the top of the space', async (t) => {
  const emulator = emulatorIn()
  const result = finish(emulator, create(emulator, dumpOf(['Fx'], ROOT_FOLDER_ID)))
  t.equal(result?.resultCode, 1)
  t.strictSame(childNames(emulator, ROOT_FOLDER_ID), ['Saved', 'Parent', 'x.txt'])
  t.equal(file(emulator, result?.files[0]?.newFileId as string).parentId, ROOT_FOLDER_ID)
})

t.test('a dump whose source went to the recycle bin or was deleted meanwhile partly fails', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, dumpOf(['Fx', 'Fy', 'Fz']))
  recycle(emulator, 'Fy')
  emulator.world.files.delete('Fz')
  const result = finish(emulator, task)
  t.match(result, { resultCode: 2, files: [{ fileId: 'Fx', status: '1' }, { fileId: 'Fy', status: '2' }, { fileId: 'Fz', status: '2' }] })
  t.strictSame(result?.files.slice(1), [
    { fileId: 'Fy', status: '2' },
    { fileId: 'Fz', status: '2' },
  ], 'no newFileId for a failed file')
  t.notOk('packaged' in (task.result as object), 'a dump has no zip')
  t.strictSame(childNames(emulator, 'Fsaved'), ['x.txt'])
  t.strictSame(task.result, { statuses: '122', newFileIds: [result?.files[0]?.newFileId, undefined, undefined], resultCode: 2 }, 'kept compact: a status character per file')
})

t.test('a dump whose target folder went to the recycle bin meanwhile fails for every file', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, dumpOf(['Fx', 'Fy']))
  recycle(emulator, 'Fsaved')
  t.strictSame(finish(emulator, task), {
    files: [
      { fileId: 'Fx', status: '2' },
      { fileId: 'Fy', status: '2' },
    ],
    resultCode: 3,
  })
  t.strictSame(childNames(emulator, 'Fsaved'), [])
})

t.test('a dump whose target folder was deleted meanwhile fails for every file', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, dumpOf(['Fx', 'Fy']))
  emulator.world.files.delete('Fsaved')
  t.strictSame(finish(emulator, task), {
    files: [
      { fileId: 'Fx', status: '2' },
      { fileId: 'Fy', status: '2' },
    ],
    resultCode: 3,
  })
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 0)
})

t.test('a dump whose target space was deleted meanwhile fails for every file, root included', async (t) => {
  const emulator = emulatorIn()
  const intoFolder = create(emulator, dumpOf(['Fx']))
  const intoRoot = create(emulator, dumpOf(['Fy'], ROOT_FOLDER_ID))
  emulator.world.spaces.delete(DST)
  t.strictSame(finish(emulator, intoFolder), { files: [{ fileId: 'Fx', status: '2' }], resultCode: 3 })
  t.strictSame(finish(emulator, intoRoot), { files: [{ fileId: 'Fy', status: '2' }], resultCode: 3 })
})

t.test('a dump whose target folder\'s parent went to the recycle bin meanwhile fails', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, dumpOf(['Fx'], 'Fnested'))
  recycle(emulator, 'Fparent')
  t.strictSame(finish(emulator, task), { files: [{ fileId: 'Fx', status: '2' }], resultCode: 3 }, 'as createShareTask refuses such a target (13000305)')
})

t.test('a second dump of the same file into the same folder fails', async (t) => {
  const emulator = emulatorIn()
  const first = create(emulator, dumpOf(['Fx']))
  const second = create(emulator, dumpOf(['Fx', 'Fy']))
  t.equal(finish(emulator, first)?.resultCode, 1)
  t.match(finish(emulator, second), { resultCode: 2, files: [{ fileId: 'Fx', status: '2' }, { fileId: 'Fy', status: '1' }] })
  t.strictSame(childNames(emulator, 'Fsaved'), ['x.txt', 'y.txt'], 'one copy of x.txt')
})

t.test('the same file may be dumped into another folder, or again once the first copy is in the recycle bin', async (t) => {
  const emulator = emulatorIn()
  const first = finish(emulator, create(emulator, dumpOf(['Fx'])))
  const elsewhere = create(emulator, dumpOf(['Fx'], 'Fnested'))
  t.equal(finish(emulator, elsewhere)?.resultCode, 1, 'another folder')
  recycle(emulator, first?.files[0]?.newFileId as string)
  const emulatorTime = END
  const again = emulator.tasks.create({ ownerId: 'bob', request: dumpOf(['Fx']), ...scheduleTask(emulatorTime, { startDelayMs: 0, durationMs: 5 }) }, emulatorTime)
  emulator.schedule(again)
  t.equal(finish(emulator, again)?.resultCode, 1, 'the same folder, its earlier copy recycled')
})

t.test('strict mode: a dump that no longer fits when it ends fails', async (t) => {
  const emulator = emulatorIn('strict')
  const task = create(emulator, dumpOf(['Fdir']))
  emulator.world.addFile({ fileId: 'Fbig', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'big.bin', type: 'file', size: 900, recycled: false, editedAtMs: T0 })
  t.strictSame(finish(emulator, task), { files: [{ fileId: 'Fdir', status: '2' }], resultCode: 3 }, '150 bytes do not fit in 100')
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 900)
})

t.test('strict mode: a dump that exactly fits succeeds', async (t) => {
  const emulator = emulatorIn('strict')
  const task = create(emulator, dumpOf(['Fdir']))
  emulator.world.addFile({ fileId: 'Fbig', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'big.bin', type: 'file', size: 850, recycled: false, editedAtMs: T0 })
  t.equal(finish(emulator, task)?.resultCode, 1)
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 1_000)
})

t.test('strict mode: files are copied one by one, and those that no longer fit fail', async (t) => {
  const emulator = emulatorIn('strict')
  const task = create(emulator, dumpOf(['Fdir', 'Fz', 'Fx']))
  emulator.world.addFile({ fileId: 'Fbig', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'big.bin', type: 'file', size: 830, recycled: false, editedAtMs: T0 })
  t.match(finish(emulator, task), {
    resultCode: 2,
    files: [{ fileId: 'Fdir', status: '1' }, { fileId: 'Fz', status: '2' }, { fileId: 'Fx', status: '1' }],
  }, '150 fit in 170, then 30 do not fit in 20, then 10 do')
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 990)
})

t.test('lenient mode ignores quota when a dump ends', async (t) => {
  const emulator = emulatorIn('lenient')
  const task = create(emulator, dumpOf(['Fdir']))
  emulator.world.addFile({ fileId: 'Fbig', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'big.bin', type: 'file', size: 900, recycled: false, editedAtMs: T0 })
  t.match(finish(emulator, task), { resultCode: 1, files: [{ fileId: 'Fdir', status: '1' }] })
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 1_050, 'over its capacity of 1000')
})

t.test('a dump of a folder leaves out what is in the recycle bin inside it', async (t) => {
  const emulator = emulatorIn()
  recycle(emulator, 'Fin1')
  const result = finish(emulator, create(emulator, dumpOf(['Fdir'])))
  t.equal(result?.resultCode, 1)
  const top = file(emulator, result?.files[0]?.newFileId as string)
  t.strictSame(
    emulator.world.subtree(top).map((f) => f.name),
    ['Docs', 'Sub', 'b.pdf'],
    'as a share listing and a zip package leave it out',
  )
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 50, 'only the live bytes are charged')
})

t.test('a "failed" fault makes every file fail, package or dump', async (t) => {
  const emulator = emulatorIn()
  const pkg = create(emulator, packageOf(['Fx', 'Fy']), { outcome: 'failed' })
  const dump = create(emulator, dumpOf(['Fx', 'Fy']), { outcome: 'failed' })
  t.strictSame(finish(emulator, pkg), { files: [{ fileId: 'Fx', status: '2' }, { fileId: 'Fy', status: '2' }], resultCode: 3 })
  t.strictSame(finish(emulator, dump), { files: [{ fileId: 'Fx', status: '2' }, { fileId: 'Fy', status: '2' }], resultCode: 3 })
  t.strictSame(childNames(emulator, 'Fsaved'), [], 'nothing copied')
})

t.test('a "partial" fault makes every second file fail', async (t) => {
  const emulator = emulatorIn()
  const pkg = create(emulator, packageOf(['Fx', 'Fy', 'Fz']), { outcome: 'partial' })
  const dump = create(emulator, dumpOf(['Fx', 'Fy', 'Fz']), { outcome: 'partial' })
  t.strictSame(finish(emulator, pkg), {
    files: [{ fileId: 'Fx', status: '1' }, { fileId: 'Fy', status: '2' }, { fileId: 'Fz', status: '1' }],
    resultCode: 2,
    packaged: true,
  })
  t.match(finish(emulator, dump), { resultCode: 2, files: [{ fileId: 'Fx', status: '1' }, { fileId: 'Fy', status: '2' }, { fileId: 'Fz', status: '1' }] })
  t.strictSame(childNames(emulator, 'Fsaved'), ['x.txt', 'z.txt'])
})

t.test('a "partial" fault on a single file makes it fail', async (t) => {
  const emulator = emulatorIn()
  const pkg = create(emulator, packageOf(['Fx']), { outcome: 'partial' })
  const dump = create(emulator, dumpOf(['Fx']), { outcome: 'partial' })
  t.strictSame(finish(emulator, pkg), { files: [{ fileId: 'Fx', status: '2' }], resultCode: 3 })
  t.strictSame(finish(emulator, dump), { files: [{ fileId: 'Fx', status: '2' }], resultCode: 3 })
})

t.test('a "success" fault changes nothing about the result', async (t) => {
  const emulator = emulatorIn()
  const task = create(emulator, packageOf(['Fx']), { outcome: 'success', durationMs: 2_000 })
  t.equal(task.endAtMs, T0 + 2_000)
  t.strictSame(finish(emulator, task), { files: [{ fileId: 'Fx', status: '1' }], resultCode: 1, packaged: true })
})

t.test('completeTask computes a result from the world as it is now, without storing it', async (t) => {
  const emulator = emulatorIn()
  const task = emulator.tasks.create({ ownerId: 'bob', request: packageOf(['Fx']), ...scheduleTask(T0, { startDelayMs: 0, durationMs: 5 }) }, T0)
  const result = completeTask(emulator.completion, task)
  t.strictSame(resultView(task, result), { files: [{ fileId: 'Fx', status: '1' }], resultCode: 1, packaged: true })
  t.strictSame(result, { statuses: '1', resultCode: 1, packaged: true }, 'kept compact: a status character per file')
  t.equal(task.result, undefined)
})
