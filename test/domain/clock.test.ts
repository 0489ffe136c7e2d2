import t from 'tap'
import { ManualClock, systemClock } from '../../src/domain/clock.js'

t.test('a ManualClock stands at its start time until moved', async (t) => {
  const clock = new ManualClock(1_000)
  t.equal(clock.now(), 1_000)
  t.equal(clock.now(), 1_000)
})

t.test('advance moves a ManualClock forward and returns the new time', async (t) => {
  const clock = new ManualClock(1_000)
  t.equal(clock.advance(250), 1_250)
  t.equal(clock.now(), 1_250)
  t.equal(clock.advance(0), 1_250)
  t.equal(clock.advance(-1_250), 0, 'a negative step moves it back')
  t.equal(clock.now(), 0)
})

t.test('set puts a ManualClock at any time, earlier or later', async (t) => {
  const clock = new ManualClock(1_000)
  t.equal(clock.set(5_000), undefined)
  t.equal(clock.now(), 5_000)
  clock.set(10)
  t.equal(clock.now(), 10)
  t.equal(clock.advance(5), 15, 'advance continues from the set time')
})

t.test('systemClock reads the real time', async (t) => {
  const before = Date.now()
  const now = systemClock.now()
  const after = Date.now()
  t.ok(Number.isInteger(now))
  t.ok(now >= before && now <= after, `${before} <= ${now} <= ${after}`)
})
