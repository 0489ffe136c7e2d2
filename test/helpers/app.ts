import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { buildApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { ManualClock, type ControllableClock } from '../../src/domain/time-and-ids/clock.js'
import { validateResponses } from '../support/response-validation.js'
import { replaceFaults } from './faults.js'
import { LogCapture } from './logs.js'

/** 2026-11-26T10:00:00.500Z: half a second into a second, as real calls usually are. */
export const START_MS = Date.UTC(2026, 10, 26, 10, 0, 0, 500)

interface TestAppOptions {
  /**
   * Settings as environment variables, over MOCK_RANDOM_SEED=42 and ConfigSchema's defaults (the
   * process's own are not read). An empty value unsets one: `MOCK_RANDOM_SEED: ''` picks a seed.
   */
  env?: Record<string, string>
  /** Fault rules to install once the app is built, through PUT /__admin/faults (so they get the ids, rule-1…, an admin call gives). */
  faults?: FaultRule[]
  /**
   * The app's clock: a ManualClock at START_MS unless given one; `'configured'` leaves it to the
   * settings (MOCK_CLOCK, MOCK_CLOCK_START), as `npm start` does.
   */
  clock?: ManualClock | 'configured'
  /**
   * How injected latency (fault latencyMs, MOCK_LATENCY_MS, `slow` dribbles) waits: `'recorded'`
   * (default) notes each wait in `slept` and goes on at once, so no test sleeps; `'real'` waits on
   * real timers that closing the app cuts short, for tests of what a slow answer does to a socket.
   */
  latency?: 'recorded' | 'real'
}

export interface TestApp<Clock extends ControllableClock = ManualClock> {
  app: App
  clock: Clock
  /** Every log line the app wrote, but the helper's own setup calls'. */
  logs: LogCapture
  /** Every injected wait, in ms, in order (always empty with `latency: 'real'`). */
  slept: number[]
}

/**
 * The real app (buildApp, as the server builds it) for one test, closed when the test ends. Every
 * answer it sends is checked against its own OpenAPI document (test/support/response-validation.ts).
 */
export async function startTestApp(t: Test, options?: TestAppOptions & { clock?: ManualClock }): Promise<TestApp>
export async function startTestApp(t: Test, options: TestAppOptions & { clock: 'configured' }): Promise<TestApp<ControllableClock>>
export async function startTestApp(t: Test, options: TestAppOptions = {}): Promise<TestApp<ControllableClock>> {
  const test = await buildTestAppForRun(options)
  t.teardown(() => test.app.close())
  return test
}

/**
 * startTestApp without a tap test to close it with: for property tests that build a fresh app for
 * each fast-check run inside one tap assertion. The caller closes it (`finally`).
 */
export async function buildTestAppForRun(options?: TestAppOptions & { clock?: ManualClock }): Promise<TestApp>
export async function buildTestAppForRun(options: TestAppOptions): Promise<TestApp<ControllableClock>>
export async function buildTestAppForRun(options: TestAppOptions = {}): Promise<TestApp<ControllableClock>> {
  const logs = new LogCapture()
  const slept: number[] = []
  const recordSleep = async (ms: number): Promise<void> => {
    slept.push(ms)
  }
  const app = await buildApp(loadConfig({ MOCK_RANDOM_SEED: '42', ...options.env }), {
    ...(options.clock === 'configured' ? {} : { clock: options.clock ?? new ManualClock(START_MS) }),
    ...(options.latency === 'real' ? {} : { sleep: recordSleep }),
    log: { stream: logs },
    instrument: validateResponses,
  })
  if (options.faults !== undefined) {
    const mark = logs.lines.length
    await replaceFaults({ app }, options.faults)
    logs.dropSince(mark)
  }
  return { app, clock: app.clock, logs, slept }
}

/** Listens on 127.0.0.1, a port the OS picks, for tests that go through real sockets; the app's teardown closes it. */
export async function listenLocally({ app }: { app: App }): Promise<{ port: number; url: string }> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { port, url: `http://127.0.0.1:${port}` }
}
