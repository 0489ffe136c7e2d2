/** Where every part of the emulator reads the time, so tests can move it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** A clock that stands still until told to move. */
export class ManualClock implements ControllableClock {
  readonly mode = 'manual'
  readonly #startMs: number
  #nowMs: number

  constructor(startMs: number) {
    this.#startMs = startMs
    this.#nowMs = startMs
  }

  get offsetMs(): number {
    return this.#nowMs - this.#startMs
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

/** A clock the admin API can move forward: the real one (shifted) or a manual one. */
export interface ControllableClock extends Clock {
  readonly mode: 'real' | 'manual'
  /** How far it has been moved. */
  readonly offsetMs: number
  advance(ms: number): number
}

/** Real time plus however far the admin API has moved it, so a frontend can skip ahead. */
export class ShiftedSystemClock implements ControllableClock {
  readonly mode = 'real'
  offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): number {
    this.offsetMs += ms
    return this.now()
  }
}
