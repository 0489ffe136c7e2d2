/**
 * The real-time `sleep` injected latency waits on (fault `latencyMs`, MOCK_LATENCY_MS, `slow`
 * dribbles), which shutdown can cut short: once woken, every pending sleep ends at once and later
 * ones do not wait, so requests slowed on purpose are answered before the server stops.
 *
 * @example
 * const sleeper = new InterruptibleSleep()
 * await sleeper.sleep(800)    // resolves after 800 ms, or as soon as sleeper.wakeAll() is called
 */
export class InterruptibleSleep {
  readonly #pending = new Set<() => void>()
  #woken = false

  readonly sleep = (ms: number): Promise<void> => {
    if (this.#woken) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.#pending.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.#pending.add(wake)
    })
  }

  /** Ends every pending sleep now, and every later one at once. */
  wakeAll(): void {
    this.#woken = true
    for (const wake of this.#pending) wake()
  }

  /** Sleeps still waiting. */
  get pending(): number {
    return this.#pending.size
  }
}
