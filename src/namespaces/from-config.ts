import type { Seed } from '../../schemas/seed.js'
import type { Config } from '../config.js'
import { ManualClock, ShiftedSystemClock, type ControllableClock } from '../domain/time-and-ids/clock.js'
import { initialFaultRules } from '../faults/configured-faults.js'
import { OBJECT_PATH_PREFIX } from '../koodrive/object-storage.js'
import { localUrlOf } from '../public-url.js'
import { worldFromSeed } from '../domain/world/seed.js'
import { World } from '../domain/world/world.js'
import { DEFAULT_NAMESPACE } from './namespace-name.js'
import { NamespaceRegistry } from './registry.js'

/**
 * Where download URLs point: MOCK_PUBLIC_URL, else this server as a browser on this machine reaches
 * it (a request's own Host comes first when MOCK_PUBLIC_URL is unset: src/public-url.ts).
 */
export function publicUrlOf(config: Pick<Config, 'MOCK_PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.MOCK_PUBLIC_URL !== undefined) return config.MOCK_PUBLIC_URL.replace(/\/+$/, '')
  return localUrlOf(config.HOST, config.PORT)
}

export interface NamespaceSources {
  /** The world every namespace starts from (MOCK_SEED_FILE or the default world), loaded and checked. */
  seed: Seed
  /** The seed of every generated ID (MOCK_RANDOM_SEED, or one picked for this run). */
  randomSeed: number
  /** A test's own clock for `default`, instead of the one MOCK_CLOCK asks for. */
  clock?: ControllableClock | undefined
}

/**
 * The server's namespaces, each made from the settings: MOCK_CLOCK=manual gives every namespace
 * a manual clock at the same start (MOCK_CLOCK_START, or the server's start), so a namespace's
 * times follow from its own clock moves only.
 */
export function namespacesFromConfig(config: Config, sources: NamespaceSources): NamespaceRegistry {
  const clockStartMs = config.MOCK_CLOCK_START === undefined ? Date.now() : Date.parse(config.MOCK_CLOCK_START)
  const given = sources.clock
  // A test's own manual clock for default: every other namespace's starts where that one did.
  const manualStartMs = given === undefined ? (config.MOCK_CLOCK === 'manual' ? clockStartMs : undefined) : given.mode === 'manual' ? given.now() - given.offsetMs : undefined
  const clockOf = (name: string): ControllableClock => {
    if (name === DEFAULT_NAMESPACE && given !== undefined) return given
    return manualStartMs === undefined ? new ShiftedSystemClock() : new ManualClock(manualStartMs)
  }
  // Built once; times the seed leaves out are the clock's start (a manual clock's, or now).
  const worldTemplate = World.template(worldFromSeed(sources.seed, manualStartMs ?? Date.now()))
  return new NamespaceRegistry(
    {
      randomSeed: sources.randomSeed,
      seed: sources.seed,
      worldTemplate,
      clock: clockOf,
      emulator: {
        mode: config.MOCK_WORLD,
        auth: config.MOCK_AUTH ?? config.MOCK_WORLD,
        tokenTtlMs: config.MOCK_TOKEN_TTL_S * 1000,
        timing: { startDelayMs: config.MOCK_TASK_START_DELAY_MS, durationMs: config.MOCK_TASK_DURATION_MS },
        maxTasks: config.MOCK_MAX_TASKS,
        maxTaskFileIds: config.MOCK_MAX_TASK_FILE_IDS,
        maxWorldEntries: config.MOCK_MAX_WORLD_FILES,
        kdstokenTtlMs: config.MOCK_KDSTOKEN_TTL_S * 1000,
        maxFileBytes: config.MOCK_ZIP_MAX_FILE_BYTES,
      },
      objectsUrl: `${publicUrlOf(config)}${OBJECT_PATH_PREFIX}`,
      journal: {
        capacity: config.MOCK_JOURNAL_SIZE,
        maxBytes: config.MOCK_JOURNAL_MAX_BYTES,
        bodyBytes: config.MOCK_JOURNAL_BODY_BYTES,
        redact: config.MOCK_JOURNAL_REDACT === 'true',
      },
      configuredFaults: initialFaultRules(config),
    },
    config.MOCK_MAX_NAMESPACES,
  )
}
