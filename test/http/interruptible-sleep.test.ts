import t from 'tap'
import { InterruptibleSleep } from '../../src/http/interruptible-sleep.js'

t.test('sleeps for the time asked when nobody wakes it', async (t) => {
  const sleeper = new InterruptibleSleep()
  const started = performance.now()
  await sleeper.sleep(20)
  t.ok(performance.now() - started >= 19, 'waited 20 ms')
  t.equal(sleeper.pending, 0, 'nothing left pending')
})

t.test('wakeAll ends every pending sleep at once, and later sleeps do not wait', async (t) => {
  const sleeper = new InterruptibleSleep()
  const started = performance.now()
  const sleeps = [sleeper.sleep(60_000), sleeper.sleep(30_000), sleeper.sleep(600_000)]
  t.equal(sleeper.pending, 3)
  sleeper.wakeAll()
  await Promise.all(sleeps)
  await sleeper.sleep(60_000)
  t.ok(performance.now() - started < 100, `all over in ${Math.round(performance.now() - started)} ms`)
  t.equal(sleeper.pending, 0, 'no timer left behind')
})
