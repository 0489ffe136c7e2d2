import t from 'tap'
import { fileContentStream } from '../../../src/domain/objects/file-content.js'
import { ROOT_FOLDER_ID, World, type FileEntry } from '../../../src/domain/world/world.js'
import { planZipEntries, zipPackageSize, zipPackageStream, type ZipPackageOptions } from '../../../src/domain/objects/zip-package.js'
import { bufferOf } from '../../helpers/objects.js'
import { unzip } from '../../helpers/zips.js'

const SPACE = 'IAA1'
const MTIME_MS = Date.UTC(2026, 10, 26, 10, 0, 0)


let fileCount = 0
function add(world: World, name: string, fields: Partial<FileEntry> = {}): FileEntry {
  const file: FileEntry = {
    fileId: `F${++fileCount}`,
    containerId: SPACE,
    parentId: ROOT_FOLDER_ID,
    name,
    type: 'file',
    size: 0,
    recycled: false,
    editedAtMs: MTIME_MS,
    ...fields,
  }
  world.addFile(file)
  return file
}

function newWorld(): World {
  const world = new World()
  world.addSpace({ containerId: SPACE, ownerId: 'u1', capacityBytes: 10 ** 12, usedBytes: 0 })
  return world
}

/** A share with a file, a folder tree and another folder's file of the same name. */
function sampleWorld() {
  const world = newWorld()
  const report = add(world, 'report.pdf', { size: 1000 })
  const photos = add(world, 'Photos', { type: 'folder' })
  const big = add(world, 'a.jpg', { parentId: photos.fileId, size: 70_000 })
  const upper = add(world, 'A.JPG', { parentId: photos.fileId, size: 10 })
  const sub = add(world, 'sub', { type: 'folder', parentId: photos.fileId })
  const empty = add(world, 'c.txt', { parentId: sub.fileId, size: 0 })
  add(world, 'gone.txt', { parentId: sub.fileId, size: 5, recycled: true })
  const trash = add(world, 'trash', { type: 'folder', parentId: photos.fileId, recycled: true })
  add(world, 'inside.txt', { parentId: trash.fileId, size: 5 })
  const slashed = add(world, 'a/b\\c.txt', { parentId: photos.fileId, size: 3 })
  const other = add(world, 'Other', { type: 'folder' })
  const otherReport = add(world, 'report.pdf', { parentId: other.fileId, size: 20 })
  const recycledTop = add(world, 'old.txt', { size: 7, recycled: true })
  const opts: ZipPackageOptions = {
    world,
    fileIds: [report.fileId, photos.fileId, 'Funknown', otherReport.fileId, report.fileId, recycledTop.fileId],
    maxFileBytes: 50_000,
    mtimeMs: MTIME_MS,
  }
  return { opts, ids: { report, big, upper, empty, slashed, otherReport } }
}

t.test('a package holds each file, and each folder as a directory entry with its whole subtree', async (t) => {
  const { opts, ids } = sampleWorld()
  const entries = await unzip(await bufferOf(zipPackageStream(opts)))
  t.strictSame(
    entries.map(({ name, size }) => [name, size]),
    [
      ['report.pdf', 1000],
      ['Photos/', 0],
      ['Photos/a.jpg', 50_000],
      ['Photos/A (1).JPG', 10],
      ['Photos/sub/', 0],
      ['Photos/sub/c.txt', 0],
      ['Photos/a_b_c.txt', 3],
      ['report (1).pdf', 20],
    ],
    'names, order and sizes: recycled items, unknown and repeated IDs left out',
  )
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const expected: [string, FileEntry, number][] = [
    ['report.pdf', ids.report, 1000],
    ['Photos/a.jpg', ids.big, 50_000],
    ['Photos/A (1).JPG', ids.upper, 10],
    ['Photos/sub/c.txt', ids.empty, 0],
    ['Photos/a_b_c.txt', ids.slashed, 3],
    ['report (1).pdf', ids.otherReport, 20],
  ]
  for (const [name, file, bytes] of expected) {
    t.same(byName.get(name)?.content, await bufferOf(fileContentStream(file.fileId, bytes)), `${name} holds its file's content`)
  }
})

t.test('a file over maxFileBytes is cut to the start of its content', async (t) => {
  const { opts, ids } = sampleWorld()
  const entries = await unzip(await bufferOf(zipPackageStream({ ...opts, fileIds: [ids.big.fileId], maxFileBytes: 1234 })))
  t.equal(entries.length, 1)
  t.same(entries[0]?.content, (await bufferOf(fileContentStream(ids.big.fileId, 70_000))).subarray(0, 1234))
})

t.test('entries are stored uncompressed and stamped with mtimeMs', async (t) => {
  const { opts } = sampleWorld()
  const entries = await unzip(await bufferOf(zipPackageStream(opts)))
  t.ok(entries.every((entry) => entry.compressionMethod === 0), 'method 0 (stored)')
  t.ok(entries.every((entry) => entry.mtimeMs === MTIME_MS), 'extended timestamp is mtimeMs')
})

t.test('the same world and options give byte-identical packages', async (t) => {
  const { opts } = sampleWorld()
  const first = await bufferOf(zipPackageStream(opts))
  const second = await bufferOf(zipPackageStream(opts))
  t.ok(first.equals(second), `${first.length} bytes both times`)
  const later = await bufferOf(zipPackageStream({ ...opts, mtimeMs: MTIME_MS + 3_600_000 }))
  t.notOk(first.equals(later), 'another mtime gives other bytes')
})

t.test('zipPackageSize is the exact length of the package, known before any content is made', async (t) => {
  const { opts } = sampleWorld()
  for (const variant of [opts, { ...opts, maxFileBytes: 1 }, { ...opts, fileIds: [] }, { ...opts, fileIds: ['Funknown'] }]) {
    t.equal(zipPackageSize(variant), (await bufferOf(zipPackageStream(variant))).length, `fileIds ${variant.fileIds.join(',')}, cap ${variant.maxFileBytes}`)
  }
})

t.test('a package of nothing is a valid empty zip', async (t) => {
  const { opts } = sampleWorld()
  t.strictSame(await unzip(await bufferOf(zipPackageStream({ ...opts, fileIds: ['Funknown'] }))), [])
})

t.test('duplicate names in one folder get " (1)", " (2)" before the extension, ignoring case', async (t) => {
  const world = newWorld()
  const names = ['notes (1).txt', 'notes.txt', 'NOTES.txt', 'notes.txt', '.env', '.env', 'archive.tar.gz', 'archive.tar.gz', 'README', 'readme']
  const files = names.map((name) => add(world, name))
  t.strictSame(
    planZipEntries(world, files.map((file) => file.fileId), 100).map((entry) => entry.path),
    ['notes (1).txt', 'notes.txt', 'NOTES (2).txt', 'notes (3).txt', '.env', '.env (1)', 'archive.tar.gz', 'archive.tar (1).gz', 'README', 'readme (1)'],
  )
})

t.test('a folder and a file with the same name do not clash; a folder name keeps its dots', async (t) => {
  const world = newWorld()
  const docsFolder = add(world, 'docs', { type: 'folder' })
  const docsFile = add(world, 'docs')
  const version = add(world, 'v1.2', { type: 'folder' })
  const versionAgain = add(world, 'v1.2', { type: 'folder' })
  add(world, 'x.txt', { parentId: versionAgain.fileId, size: 2 })
  const entries = await unzip(await bufferOf(zipPackageStream({ world, fileIds: [docsFolder, docsFile, version, versionAgain].map((f) => f.fileId), maxFileBytes: 100, mtimeMs: MTIME_MS })))
  t.strictSame(
    entries.map((entry) => entry.name),
    ['docs/', 'docs (1)', 'v1.2/', 'v1.2 (1)/', 'v1.2 (1)/x.txt'],
  )
})

t.test('names that would leave their folder become "_"', async (t) => {
  const world = newWorld()
  const files = ['', '.', '..', '/', '..\\..'].map((name) => add(world, name, { size: 1 }))
  t.strictSame(
    planZipEntries(world, files.map((file) => file.fileId), 100).map((entry) => entry.path),
    ['_', '_ (1)', '_ (2)', '_ (3)', '.._..'],
  )
})

t.test('sibling names are unique per folder, not across the package', async (t) => {
  const world = newWorld()
  const left = add(world, 'left', { type: 'folder' })
  const right = add(world, 'right', { type: 'folder' })
  const leftFile = add(world, 'same.txt', { parentId: left.fileId })
  const rightFile = add(world, 'same.txt', { parentId: right.fileId })
  t.strictSame(
    planZipEntries(world, [left.fileId, right.fileId], 100),
    [
      { kind: 'directory', path: 'left/' },
      { kind: 'file', path: 'left/same.txt', fileId: leftFile.fileId, bytes: 0 },
      { kind: 'directory', path: 'right/' },
      { kind: 'file', path: 'right/same.txt', fileId: rightFile.fileId, bytes: 0 },
    ],
  )
})

t.test('a very deep folder tree is planned without overflowing the stack', async (t) => {
  const world = newWorld()
  const top = add(world, 'd', { type: 'folder' })
  let parent = top
  for (let depth = 1; depth < 20_000; depth++) parent = add(world, 'd', { type: 'folder', parentId: parent.fileId })
  add(world, 'leaf.txt', { parentId: parent.fileId, size: 1 })
  const plan = planZipEntries(world, [top.fileId], 100)
  t.equal(plan.length, 20_001)
  t.equal(plan.at(-1)?.path, `${'d/'.repeat(20_000)}leaf.txt`)
})
