import t from 'tap'
import { pickRandomSeed, seededStream, type RandomGenerator } from '../../../src/domain/time-and-ids/random.js'

function draw(rng: RandomGenerator, count: number): number[] {
  return Array.from({ length: count }, () => rng.next())
}

t.test('the same seed and stream give the same values', async (t) => {
  t.strictSame(draw(seededStream(42, 0), 20), draw(seededStream(42, 0), 20))
  t.strictSame(draw(seededStream(4294967295, 1), 20), draw(seededStream(4294967295, 1), 20))
})

t.test('different streams of one seed give different values', async (t) => {
  const streams = [0, 1, 2, 3].map((stream) => draw(seededStream(42, stream), 4).join(','))
  t.equal(new Set(streams).size, 4)
})

t.test('different seeds give different values', async (t) => {
  const seeds = [0, 1, 42, 2 ** 31, 2 ** 32 - 1].map((seed) => draw(seededStream(seed, 0), 4).join(','))
  t.equal(new Set(seeds).size, 5)
})

t.test('drawing from one stream does not shift another', async (t) => {
  const taskIds = seededStream(7, 0)
  const requestIds = seededStream(7, 1)
  draw(requestIds, 1_000)
  t.strictSame(draw(taskIds, 10), draw(seededStream(7, 0), 10))
})

t.test('values are 32-bit signed integers', async (t) => {
  for (const value of draw(seededStream(42, 0), 1_000)) {
    if (!(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) {
      t.fail(`${value} is not a 32-bit signed integer`)
      return
    }
  }
  t.pass('1000 values in range')
})

t.test('pickRandomSeed returns an integer that MOCK_RANDOM_SEED accepts, [0, 2^32)', async (t) => {
  const seeds = Array.from({ length: 1_000 }, () => pickRandomSeed())
  t.ok(seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32), 'all in range')
  t.ok(new Set(seeds).size > 990, 'fresh each time')
})
