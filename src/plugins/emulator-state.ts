import fp from 'fastify-plugin'
import type { AddressInfo } from 'node:net'
import type { Seed } from '../../schemas/seed.js'
import type { Config } from '../config.js'
import { Emulator } from '../domain/emulator.js'
import { ManualClock, ShiftedSystemClock, type ControllableClock } from '../domain/time-and-ids/clock.js'
import { OBJECT_PATH_PREFIX } from '../koodrive/object-storage.js'
import { localUrlOf } from '../public-url.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The emulator's time: real (shifted by the admin API) or manual. */
    clock: ControllableClock
    /** Everything the emulated KooDrive knows: world, tasks, share and bearer tokens, ID streams. */
    emulator: Emulator
    /** The seed every generated ID follows from. */
    randomSeed: number
  }
}

/**
 * Where download URLs point: MOCK_PUBLIC_URL, else this server as a browser on this machine reaches
 * it (a request's own Host comes first when MOCK_PUBLIC_URL is unset: src/public-url.ts).
 */
export function publicUrlOf(config: Pick<Config, 'MOCK_PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.MOCK_PUBLIC_URL !== undefined) return config.MOCK_PUBLIC_URL.replace(/\/+$/, '')
  return localUrlOf(config.HOST, config.PORT)
}

export interface EmulatorStateOptions {
  /** The world to start from (MOCK_SEED_FILE or the default world), already loaded and checked. */
  seed: Seed
  /** The seed of every generated ID (MOCK_RANDOM_SEED, or one picked for this run). */
  randomSeed: number
  /** A test's own clock instead of the one MOCK_CLOCK asks for. */
  clock?: ControllableClock | undefined
}

/** The emulated service's state, built from the settings; the routes and the admin API read it. */
export const emulatorState = fp<EmulatorStateOptions>(
  async (app, options) => {
    const { config } = app
    const { randomSeed } = options
    const clockStartMs = config.MOCK_CLOCK_START === undefined ? Date.now() : Date.parse(config.MOCK_CLOCK_START)
    const clock = options.clock ?? (config.MOCK_CLOCK === 'manual' ? new ManualClock(clockStartMs) : new ShiftedSystemClock())
    const emulator = new Emulator({
      clock,
      randomSeed,
      seed: options.seed,
      mode: config.MOCK_WORLD,
      auth: config.MOCK_AUTH ?? config.MOCK_WORLD,
      tokenTtlMs: config.MOCK_TOKEN_TTL_S * 1000,
      timing: { startDelayMs: config.MOCK_TASK_START_DELAY_MS, durationMs: config.MOCK_TASK_DURATION_MS },
      maxTasks: config.MOCK_MAX_TASKS,
      maxWorldEntries: config.MOCK_MAX_WORLD_FILES,
      kdstokenTtlMs: config.MOCK_KDSTOKEN_TTL_S * 1000,
      maxFileBytes: config.MOCK_ZIP_MAX_FILE_BYTES,
      objectsUrl: `${publicUrlOf(config)}${OBJECT_PATH_PREFIX}`,
    })
    app.decorate('clock', clock)
    app.decorate('emulator', emulator)
    app.decorate('randomSeed', randomSeed)
    // PORT=0 asks the OS for a free port: download URLs can only name it once the server listens.
    if (config.MOCK_PUBLIC_URL === undefined && config.PORT === 0) {
      app.addHook('onListen', async () => {
        const address = app.server.address() as AddressInfo
        emulator.presigner.objectsUrl = `${publicUrlOf({ ...config, PORT: address.port })}${OBJECT_PATH_PREFIX}`
      })
    }
  },
  { name: 'emulator', fastify: '5.x', dependencies: ['settings'] },
)
