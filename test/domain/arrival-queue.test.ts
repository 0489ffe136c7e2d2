import t from 'tap'
import { ArrivalQueue } from '../../src/domain/arrival-queue.js'

const contents = <T>(queue: ArrivalQueue<T>) => Array.from({ length: queue.length }, (_, i) => queue.at(i))

t.test('keeps items oldest first; removeAt(0) takes the oldest', async (t) => {
  const queue = new ArrivalQueue<string>()
  for (const item of ['a', 'b', 'c']) queue.push(item)
  t.equal(queue.length, 3)
  t.equal(queue.removeAt(0), 'a')
  t.strictSame(contents(queue), ['b', 'c'])
})

t.test('removeAt(n) takes the item n places after the oldest, and the older ones keep their order', async (t) => {
  const queue = new ArrivalQueue<number>()
  for (let i = 1; i <= 5; i++) queue.push(i)
  t.equal(queue.removeAt(3), 4)
  t.strictSame(contents(queue), [1, 2, 3, 5])
  t.equal(queue.removeAt(1), 2)
  t.strictSame(contents(queue), [1, 3, 5])
})

t.test('thousands of removals from the front and near it keep the order whole', async (t) => {
  const queue = new ArrivalQueue<number>()
  const expected: number[] = []
  const removed: number[] = []
  const expectedRemoved: number[] = []
  for (let i = 0; i < 10_000; i++) {
    queue.push(i)
    expected.push(i)
    if (i % 3 === 2) {
      const offset = i % 2
      removed.push(queue.removeAt(offset))
      expectedRemoved.push(...expected.splice(offset, 1))
    }
  }
  t.strictSame(removed, expectedRemoved, 'each removal took the item asked for')
  t.equal(queue.length, expected.length)
  t.strictSame(contents(queue), expected)
})

t.test('clear empties it, and it fills again', async (t) => {
  const queue = new ArrivalQueue<string>()
  queue.push('a')
  queue.clear()
  t.equal(queue.length, 0)
  queue.push('b')
  t.strictSame(contents(queue), ['b'])
})
