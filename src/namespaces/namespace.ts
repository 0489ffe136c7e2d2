import type { Seed } from '../../schemas/seed.js'
import { RequestJournal, type JournalLimits } from '../admin/request-journal.js'
import { Emulator, type EmulatorOptions } from '../domain/emulator.js'
import type { World } from '../domain/world/world.js'
import type { ControllableClock } from '../domain/time-and-ids/clock.js'
import { createRequestIds } from '../domain/time-and-ids/ids.js'
import { RandomStream, seededStream } from '../domain/time-and-ids/random.js'
import { FaultPlan } from '../faults/fault-plan.js'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { namespaceRandomSeed } from './namespace-seed.js'

/** Everything one namespace owns: nothing in it is shared with another namespace. */
export class Namespace {
  /** Wall-clock times, for the list of namespaces (the namespace's own clock may have been moved). */
  readonly createdAtMs: number
  lastUsedAtMs: number

  constructor(
    readonly name: string,
    readonly randomSeed: number,
    readonly clock: ControllableClock,
    readonly emulator: Emulator,
    readonly journal: RequestJournal,
    readonly faults: FaultPlan,
    /** KooDrive and object-storage request IDs, and the admin API's own stream (a test's resets must not shift its calls' IDs). */
    readonly nextRequestId: () => string,
    readonly nextAdminRequestId: () => string,
    nowMs: number,
  ) {
    this.createdAtMs = nowMs
    this.lastUsedAtMs = nowMs
  }
}

/** What every namespace is made from: the same settings, its own seed, clock and state. */
export interface NamespaceTemplate {
  randomSeed: number
  /** The world a new namespace starts from (and goes back to on reset): the server's seed in use (NamespaceRegistry.replaceSeed). */
  seed: Seed
  /** That seed built once and frozen: every namespace reads it until it changes its own world. */
  worldTemplate: World
  /** A new namespace's clock (the default one may be a test's own). */
  clock: (name: string) => ControllableClock
  emulator: Omit<EmulatorOptions, 'clock' | 'randomSeed' | 'seed' | 'objectsUrl' | 'namespace' | 'worldTemplate'>
  /** Where download URLs point, as known now (PORT=0 learns it on listen: NamespaceRegistry.pointDownloadsAt). */
  objectsUrl: string
  journal: JournalLimits
  /** MOCK_FAULTS and MOCK_ERROR_RATE: every namespace starts with them; its own rules come after. */
  configuredFaults: readonly FaultRule[]
}

/** A fresh namespace called `name`, made from the template. */
export function makeNamespace(name: string, template: NamespaceTemplate, nowMs: number): Namespace {
  const randomSeed = namespaceRandomSeed(template.randomSeed, name)
  const clock = template.clock(name)
  const emulator = new Emulator({
    ...template.emulator,
    clock,
    randomSeed,
    seed: template.seed,
    worldTemplate: template.worldTemplate,
    objectsUrl: template.objectsUrl,
    namespace: name,
  })
  const faults = new FaultPlan(seededStream(randomSeed, RandomStream.FAULTS))
  faults.replace([...template.configuredFaults])
  return new Namespace(
    name,
    randomSeed,
    clock,
    emulator,
    new RequestJournal(template.journal),
    faults,
    createRequestIds(seededStream(randomSeed, RandomStream.REQUEST_IDS)),
    createRequestIds(seededStream(randomSeed, RandomStream.ADMIN_REQUEST_IDS)),
    nowMs,
  )
}
