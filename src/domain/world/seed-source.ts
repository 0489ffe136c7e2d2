import type { Seed } from '../../../schemas/seed.js'

/** Where the server's seed in use came from: the built-in world, or MOCK_SEED_FILE (PUT /__admin/world is one namespace's own). */
export type SeedOrigin = 'default' | 'file'

/**
 * The seed in use now: what the world was made from and what reset goes back to. It is kept here
 * and nowhere else, and every change goes through `replace`, which hands the new seed to `apply`
 * (the emulator's reset) before it takes its place.
 */
export class SeedSource {
  #current: Seed
  #origin: SeedOrigin
  #loadedAtMs: number
  /** 1 for the seed the server started with, one more for each replacement. */
  #version = 1
  readonly #observers: (() => void)[] = []

  constructor(
    seed: Seed,
    origin: SeedOrigin,
    private readonly apply: (seed: Seed) => void,
    private readonly now: () => number,
  ) {
    this.#current = seed
    this.#origin = origin
    this.#loadedAtMs = now()
  }

  get current(): Seed {
    return this.#current
  }

  get origin(): SeedOrigin {
    return this.#origin
  }

  get loadedAtMs(): number {
    return this.#loadedAtMs
  }

  get version(): number {
    return this.#version
  }

  /** A checked seed becomes the world (tasks and share tokens go) and what reset goes back to. */
  replace(seed: Seed, origin: SeedOrigin): void {
    // Applied first: a seed the world refuses leaves everything as it was.
    this.apply(seed)
    this.#current = seed
    this.#origin = origin
    this.#loadedAtMs = this.now()
    this.#version += 1
    for (const observer of this.#observers) observer()
  }

  /** Calls `observer` after every replacement (the dashboard's change feed). */
  observe(observer: () => void): void {
    this.#observers.push(observer)
  }
}
