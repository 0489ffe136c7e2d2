import t from 'tap'
import type { Seed } from '../../../schemas/seed.js'
import { ManualClock } from '../../../src/domain/time-and-ids/clock.js'
import { Emulator } from '../../../src/domain/emulator.js'
import { DEFAULT_WORLD } from '../../../src/domain/world/default-world.js'
import { SeedSource } from '../../../src/domain/world/seed-source.js'

const SMALL: Seed = {
  users: [{ userId: 'u1', name: 'Ann', tokens: ['t-ann'] }],
  spaces: [{ containerId: 'IAAann1', ownerId: 'u1', capacityBytes: 1024 }],
  files: [],
  shares: [],
}

function emulatorOf(clock: ManualClock): Emulator {
  return new Emulator({
    clock,
    randomSeed: 1,
    seed: DEFAULT_WORLD,
    mode: 'lenient',
    auth: 'lenient',
    tokenTtlMs: 1_200_000,
    timing: { startDelayMs: 0, durationMs: 0 },
    maxTasks: 10,
    kdstokenTtlMs: 1000,
    maxFileBytes: 10,
    objectsUrl: 'http://127.0.0.1/obs',
    maxWorldEntries: 10,
  })
}

t.test('replace hands the seed to the emulator, then holds it with its origin, time and version, then tells the observers', async (t) => {
  const clock = new ManualClock(1_000)
  const emulator = emulatorOf(clock)
  const source = new SeedSource(DEFAULT_WORLD, 'default', (seed) => emulator.reset(seed), () => clock.now())
  t.strictSame([source.current, source.origin, source.loadedAtMs, source.version], [DEFAULT_WORLD, 'default', 1_000, 1])
  const seen: number[] = []
  source.observe(() => seen.push(emulator.world.users.size))
  clock.advance(500)
  source.replace(SMALL, 'file')
  t.equal(source.current, SMALL)
  t.strictSame([source.origin, source.loadedAtMs, source.version], ['file', 1_500, 2])
  t.strictSame(seen, [1], 'the observer ran once, after the world was replaced')
  t.equal(emulator.world.users.size, 1)
})

t.test('a seed the emulator refuses leaves the seed in use, its version and the world as they were, and tells no one', async (t) => {
  const clock = new ManualClock(1_000)
  const emulator = emulatorOf(clock)
  const source = new SeedSource(DEFAULT_WORLD, 'file', (seed) => emulator.reset(seed), () => clock.now())
  let told = 0
  source.observe(() => (told += 1))
  t.throws(() => source.replace({ ...SMALL, spaces: [{ ...SMALL.spaces[0]!, ownerId: 'nobody' }] }, 'file'), { name: 'SeedError' })
  t.strictSame([source.current, source.origin, source.version, told], [DEFAULT_WORLD, 'file', 1, 0])
  t.equal(emulator.world.users.size, DEFAULT_WORLD.users.length)
})
