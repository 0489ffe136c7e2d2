import t from 'tap'
import { resultView } from '../helpers/tasks.js'
import type { Seed } from '../../schemas/seed.js'
import type { CreateShareTaskBody } from '../../schemas/share-tasks.js'
import { ManualClock } from '../../src/domain/time-and-ids/clock.js'
import { Emulator, type EmulatorOptions } from '../../src/domain/emulator.js'
import { RandomStream } from '../../src/domain/time-and-ids/random.js'
import { OBJECT_PATH_PREFIX } from '../../src/koodrive/object-storage.js'
import { createShareTask } from '../../src/domain/tasks/share-tasks.js'
import { scheduleTask } from '../../src/domain/tasks/task-lifecycle.js'
import type { ShareTask } from '../../src/domain/tasks/task-store.js'
import { ROOT_FOLDER_ID } from '../../src/domain/world/world.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0, 500)
const SRC = 'IAAsrcSpace1'
const DST = 'IAAdstSpace2'
const SHARE_ID = '1000000000000000001'

const SEED: Seed = {
  users: [
    { userId: 'ann', name: 'Ann', tokens: ['ann-token'] },
    { userId: 'bob', name: 'Bob', tokens: ['bob-token'] },
  ],
  spaces: [
    { containerId: SRC, ownerId: 'ann', capacityBytes: 10_000 },
    { containerId: DST, ownerId: 'bob', capacityBytes: 1_000 },
  ],
  files: [
    { fileId: 'Fa', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'a.txt', type: 'file', size: 10 },
    { fileId: 'Fb', containerId: SRC, parentId: ROOT_FOLDER_ID, name: 'b.txt', type: 'file', size: 20, editedTime: '2025-01-01T00:00:00.000Z' },
    { fileId: 'Ftarget', containerId: DST, parentId: ROOT_FOLDER_ID, name: 'Saved', type: 'folder' },
  ],
  shares: [{ shareId: SHARE_ID, shortUrl: 'src-share', ownerId: 'ann', containerId: SRC, fileIds: ['Fa', 'Fb'] }],
}

function options(overrides: Partial<EmulatorOptions> = {}): EmulatorOptions {
  return {
    clock: new ManualClock(T0),
    randomSeed: 42,
    seed: SEED,
    mode: 'strict',
    timing: { startDelayMs: 1_000, durationMs: 10_000 },
    maxTasks: 100,
    maxWorldEntries: 100_000,
    kdstokenTtlMs: 20 * 60_000,
    auth: 'lenient',
    tokenTtlMs: 1_200_000,
    maxFileBytes: 1024,
    objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share',
    ...overrides,
  }
}

const dumpOf = (fileId: string): CreateShareTaskBody => ({
  taskType: 2,
  containerId: SRC,
  fileIds: [fileId],
  shareId: SHARE_ID,
  targetFileId: { fileId: 'Ftarget', containerId: DST },
})

/** A dump of `fileId` into Bob's "Saved" folder, created at `createdAtMs` and ending `durationMs` later, scheduled. */
function scheduledDump(emulator: Emulator, fileId: string, createdAtMs: number, durationMs: number, cancelledAtMs?: number): ShareTask {
  const task = emulator.tasks.create(
    {
      ownerId: 'bob',
      request: dumpOf(fileId),
      ...scheduleTask(createdAtMs, { startDelayMs: 0, durationMs }),
      ...(cancelledAtMs === undefined ? {} : { cancelledAtMs }),
    },
    createdAtMs,
  )
  emulator.schedule(task)
  return task
}

const copiesIn = (emulator: Emulator) => emulator.world.childrenOf(DST, 'Ftarget').map((f) => f.copiedFromId)

t.test('each random stream has a number of its own, and the first five keep theirs', async (t) => {
  const numbers = Object.values(RandomStream)
  t.equal(new Set(numbers).size, numbers.length)
  t.match(RandomStream, { TASK_IDS: 0, REQUEST_IDS: 1, FILE_IDS: 2, KDSTOKENS: 3, SHARE_IDS: 4 }, 'renumbering would change every seeded ID')
})

t.test('an emulator builds its world from the seed, with the clock\'s time for times the seed leaves out', async (t) => {
  const opts = options()
  const emulator = new Emulator(opts)
  t.equal(emulator.options, opts)
  t.equal(emulator.clock, opts.clock)
  t.strictSame([...emulator.world.users.keys()], ['ann', 'bob'])
  t.equal(emulator.world.files.get('Fa')?.editedAtMs, T0)
  t.equal(emulator.world.files.get('Fb')?.editedAtMs, Date.UTC(2025, 0, 1))
  t.equal(emulator.world.shares.get(SHARE_ID)?.sharedAtMs, T0)
  t.equal(emulator.world.spaces.get(SRC)?.usedBytes, 30)
  t.equal(emulator.tasks.maxTasks, 100)
  t.equal(emulator.tasks.size, 0)
})

t.test('an emulator refuses an invalid seed', async (t) => {
  t.throws(() => new Emulator(options({ seed: { ...SEED, users: [] } })), { name: 'SeedError' })
})

t.test('two emulators with the same random seed draw the same IDs; another seed draws others', async (t) => {
  const draw = (randomSeed: number) => {
    const emulator = new Emulator(options({ randomSeed }))
    const task = emulator.tasks.create({ ownerId: 'bob', request: dumpOf('Fa'), ...scheduleTask(T0, { startDelayMs: 0, durationMs: 1 }) }, T0)
    return {
      taskId: task.taskId,
      fileIds: [emulator.newFileId(), emulator.newFileId()],
      shareIds: [emulator.newShareId(), emulator.newShareId()],
      kdstoken: emulator.kdstokens.issue(SHARE_ID, 'bob', T0),
    }
  }
  const one = draw(42)
  t.strictSame(draw(42), one)
  t.match(one.taskId, /^[1-9]\d{18}$/)
  t.match(one.fileIds[0], /^F[A-Za-z0-9_-]{32}$/)
  t.match(one.shareIds[0], /^[1-9]\d{18}$/)
  t.match(one.kdstoken, /^[0-9a-f]{48}$/)
  t.not(one.fileIds[0], one.fileIds[1])
  t.not(one.shareIds[0], one.shareIds[1])
  const other = draw(43)
  t.not(other.taskId, one.taskId)
  t.not(other.fileIds[0], one.fileIds[0])
  t.not(other.shareIds[0], one.shareIds[0])
  t.not(other.kdstoken, one.kdstoken)
})

t.test('the ID streams are independent: drawing file IDs does not shift share IDs', async (t) => {
  const quiet = new Emulator(options())
  const busy = new Emulator(options())
  for (let i = 0; i < 10; i++) busy.newFileId()
  busy.kdstokens.issue(SHARE_ID, 'bob', T0)
  t.equal(busy.newShareId(), quiet.newShareId())
})

t.test('the presigner signs URLs under the public URL, and the signature follows from the random seed', async (t) => {
  const url = new Emulator(options()).presigner.sign('packages/1/a.zip', T0)
  t.ok(url.startsWith(`http://127.0.0.1:3000${OBJECT_PATH_PREFIX}packages/1/a.zip?`), url)
  t.equal(new Emulator(options()).presigner.sign('packages/1/a.zip', T0), url)
  t.not(new Emulator(options({ randomSeed: 7 })).presigner.sign('packages/1/a.zip', T0), url)
})

t.test('settle applies only the tasks that have ended, oldest end first, whatever their creation order', async (t) => {
  const emulator = new Emulator(options())
  const later = scheduledDump(emulator, 'Fa', T0, 5_000)
  const sooner = scheduledDump(emulator, 'Fa', T0 + 1, 2_999)
  emulator.settle(T0 + 2_999)
  t.equal(sooner.result, undefined, 'nothing has ended yet')
  t.equal(later.result, undefined)
  emulator.settle(T0 + 3_000)
  t.match(resultView(sooner), { resultCode: 1, files: [{ fileId: 'Fa', status: '1' }] }, 'the task that ended first copied the file')
  t.equal(later.result, undefined, 'the other has not ended')
  t.strictSame(copiesIn(emulator), ['Fa'])
  emulator.settle(T0 + 5_000)
  t.strictSame(resultView(later), { files: [{ fileId: 'Fa', status: '2' }], resultCode: 3 }, 'then finds the file already there')
  t.strictSame(copiesIn(emulator), ['Fa'])
})

t.test('settle applies every due task in one call, in end order', async (t) => {
  const emulator = new Emulator(options())
  const tasks = [scheduledDump(emulator, 'Fb', T0, 300), scheduledDump(emulator, 'Fa', T0, 100), scheduledDump(emulator, 'Fa', T0, 200)]
  emulator.settle(T0 + 10_000)
  t.strictSame(
    tasks.map((task) => resultView(task)?.files[0]?.status),
    ['1', '1', '2'],
  )
  t.strictSame(copiesIn(emulator), ['Fa', 'Fb'], 'copied in the order the tasks ended')
})

t.test('settle applies a task once, however often it is scheduled or settled', async (t) => {
  const emulator = new Emulator(options())
  const task = scheduledDump(emulator, 'Fa', T0, 1_000)
  emulator.schedule(task)
  emulator.settle(T0 + 1_000)
  const result = task.result
  t.match(result, { resultCode: 1 })
  emulator.settle(T0 + 2_000)
  emulator.settle(T0 + 1_000_000)
  t.equal(task.result, result, 'the result is not recomputed')
  t.strictSame(copiesIn(emulator), ['Fa'], 'one copy')
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 10)
})

t.test('settle does not apply a task cancelled before its end', async (t) => {
  const emulator = new Emulator(options())
  const cancelled = scheduledDump(emulator, 'Fa', T0, 1_000, T0 + 999)
  emulator.settle(T0 + 5_000)
  t.equal(cancelled.result, undefined)
  t.strictSame(copiesIn(emulator), [], 'nothing was copied')
  const next = scheduledDump(emulator, 'Fa', T0 + 5_000, 1_000)
  emulator.settle(T0 + 6_000)
  t.match(resultView(next), { resultCode: 1 }, 'a later dump of the same file is not blocked by it')
})

t.test('a cancel recorded at or after the end does not stop the task', async (t) => {
  const emulator = new Emulator(options())
  const task = scheduledDump(emulator, 'Fa', T0, 1_000, T0 + 1_000)
  emulator.settle(T0 + 1_000)
  t.match(resultView(task), { resultCode: 1 })
})

t.test('a task that never ends is never due', async (t) => {
  const emulator = new Emulator(options())
  const endless = scheduledDump(emulator, 'Fa', T0, Infinity)
  emulator.settle(Number.MAX_SAFE_INTEGER)
  t.equal(endless.result, undefined)
  t.strictSame(copiesIn(emulator), [])
  t.equal(emulator.tasks.get(endless.taskId), endless, 'it is still in the store')
})

t.test('settle with nothing scheduled does nothing', async (t) => {
  const emulator = new Emulator(options())
  emulator.settle(Number.MAX_SAFE_INTEGER)
  t.equal(emulator.world.files.size, 3)
  t.doesNotThrow(() => emulator.settle(Infinity), 'not even at the end of time')
})

t.test('tasks that end at the same moment are applied in the order they were created', async (t) => {
  const emulator = new Emulator(options())
  // A dump of Fb, then four dumps of Fa into the same folder, all ending together: the first dump of Fa should win.
  const tasks = [scheduledDump(emulator, 'Fb', T0, 1_000), ...Array.from({ length: 4 }, () => scheduledDump(emulator, 'Fa', T0, 1_000))]
  emulator.settle(T0 + 1_000)
  t.equal(tasks.filter((task) => task.result?.resultCode === 1).length, 2, 'one dump of each file succeeds')
  t.strictSame(
    tasks.map((task) => resultView(task)?.files[0]?.status),
    ['1', '1', '2', '2', '2'],
    'the first created dump of Fa succeeds',
  )
})

t.test('createShareTask schedules its task, and the dump happens when the clock reaches its end', async (t) => {
  const emulator = new Emulator(options())
  const task = createShareTask(emulator, 'bob', dumpOf('Fb'), T0)
  t.strictSame(
    { createdAtMs: task.createdAtMs, startAtMs: task.startAtMs, endAtMs: task.endAtMs },
    { createdAtMs: T0, startAtMs: T0 + 1_000, endAtMs: T0 + 10_000 },
    'the options\' timing',
  )
  emulator.settle(T0 + 9_999)
  t.equal(task.result, undefined)
  t.strictSame(copiesIn(emulator), [])
  emulator.settle(T0 + 10_000)
  t.match(resultView(task), { resultCode: 1, files: [{ fileId: 'Fb', status: '1' }] })
  t.strictSame(copiesIn(emulator), ['Fb'])
})

t.test('createShareTask settles what is due before it checks the request', async (t) => {
  const emulator = new Emulator(options({ timing: { startDelayMs: 0, durationMs: 100 } }))
  createShareTask(emulator, 'bob', dumpOf('Fa'), T0)
  t.throws(() => createShareTask(emulator, 'bob', dumpOf('Fa'), T0 + 100), { code: 13000312 }, 'the first copy is there by then')
})

t.test('reset goes back to the start seed: world changes, tasks, share tokens and pending completions go', async (t) => {
  const clock = new ManualClock(T0)
  const emulator = new Emulator(options({ clock }))
  const done = scheduledDump(emulator, 'Fa', T0, 100)
  const pending = scheduledDump(emulator, 'Fb', T0, 5_000)
  const token = emulator.kdstokens.issue(SHARE_ID, 'bob', T0)
  emulator.settle(T0 + 100)
  t.strictSame(copiesIn(emulator), ['Fa'])
  const before = emulator.world
  clock.set(T0 + 1_000)
  emulator.reset()
  t.not(emulator.world, before, 'a new world')
  t.strictSame(copiesIn(emulator), [], 'the copy is gone')
  t.equal(emulator.world.files.size, 3)
  t.equal(emulator.world.spaces.get(DST)?.usedBytes, 0)
  t.equal(emulator.world.files.get('Fa')?.editedAtMs, T0, 'times the seed leaves out are those of the world as first built: a reset gives the same world whenever it comes')
  t.equal(emulator.tasks.size, 0)
  t.equal(emulator.tasks.get(done.taskId), undefined)
  t.equal(emulator.kdstokens.problem(token, SHARE_ID, 'bob', T0 + 1_000), 'the kdstoken is not valid for this share and user')
  emulator.settle(T0 + 10_000)
  t.equal(pending.result, undefined, 'a task pending at the reset never completes')
  t.strictSame(copiesIn(emulator), [])
})

t.test('reset with a seed switches to it, and later resets go back to that one', async (t) => {
  const emulator = new Emulator(options())
  const other: Seed = { users: [{ userId: 'carol', name: 'Carol', tokens: [] }], spaces: [], files: [], shares: [] }
  emulator.reset(other)
  t.strictSame([...emulator.world.users.keys()], ['carol'])
  t.equal(emulator.world.files.size, 0)
  emulator.world.addUser({ userId: 'dave', name: 'Dave', tokens: [] })
  emulator.reset()
  t.strictSame([...emulator.world.users.keys()], ['carol'], 'back to the seed last given, not the start seed')
})

t.test('reset with an invalid seed throws and changes nothing', async (t) => {
  const emulator = new Emulator(options())
  const task = scheduledDump(emulator, 'Fa', T0, 100)
  const world = emulator.world
  t.throws(() => emulator.reset({ ...SEED, users: [] }), { name: 'SeedError' })
  t.equal(emulator.world, world)
  t.equal(emulator.tasks.get(task.taskId), task)
  emulator.settle(T0 + 100)
  t.match(resultView(task), { resultCode: 1 }, 'pending completions still happen')
  emulator.reset()
  t.strictSame([...emulator.world.users.keys()], ['ann', 'bob'], 'the seed to go back to is still the start seed')
})
