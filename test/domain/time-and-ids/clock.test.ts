import t from 'tap'
import { ManualClock, ShiftedSystemClock } from '../../../src/domain/time-and-ids/clock.js'

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

t.test('a ManualClock is in manual mode and reports how far it has moved from its start', async (t) => {
  const clock = new ManualClock(1_000)
  t.equal(clock.mode, 'manual')
  t.equal(clock.offsetMs, 0)
  clock.advance(250)
  t.equal(clock.offsetMs, 250)
  clock.set(400)
  t.equal(clock.offsetMs, -600, 'set moves it too, backwards included')
})

t.test('a ShiftedSystemClock starts at the real time, in real mode, unshifted', async (t) => {
  const clock = new ShiftedSystemClock()
  t.equal(clock.mode, 'real')
  t.equal(clock.offsetMs, 0)
  const before = Date.now()
  const now = clock.now()
  const after = Date.now()
  t.ok(now >= before && now <= after, `${before} <= ${now} <= ${after}`)
})

t.test('advance shifts a ShiftedSystemClock ahead of real time, adding up, and returns the shifted time', async (t) => {
  const clock = new ShiftedSystemClock()
  const before = Date.now()
  const returned = clock.advance(3_600_000)
  const after = Date.now()
  t.ok(returned >= before + 3_600_000 && returned <= after + 3_600_000, 'returns real time plus the shift')
  t.equal(clock.offsetMs, 3_600_000)
  clock.advance(500)
  t.equal(clock.offsetMs, 3_600_500, 'shifts add up')
  const lower = Date.now() + 3_600_500
  const now = clock.now()
  const upper = Date.now() + 3_600_500
  t.ok(now >= lower && now <= upper, `${lower} <= ${now} <= ${upper}`)
})
