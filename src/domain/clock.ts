/** Where every part of the emulator reads the time, so tests can move it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that stands still until told to move. */
export class ManualClock implements Clock {
  #nowMs: number

  constructor(startMs: number) {
    this.#nowMs = startMs
  }

  now(): number {
    return this.#nowMs
  }

  advance(ms: number): number {
    this.#nowMs += ms
    return this.#nowMs
  }

  set(ms: number): void {
    this.#nowMs = ms
  }
}
