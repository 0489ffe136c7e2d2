import type { FaultRule } from '../../schemas/fault-rule.js'
import type { Seed } from '../../schemas/seed.js'
import { checkSeed } from '../domain/world/seed.js'
import { checkFaultRules } from '../faults/rule-check.js'
import { FAULTABLE_OPERATIONS } from '../koodrive/operations.js'

/** The image the README, compose and the testcontainers module agree on: `docker build -t koodrive-mock:local .` */
export const KOODRIVE_MOCK_IMAGE = 'koodrive-mock:local'

/** The port the image listens on (its PORT). */
export const KOODRIVE_MOCK_PORT = 3000

/** Where a seed handed to withSeed is copied in the container; MOCK_SEED_FILE names it. */
export const CONTAINER_SEED_PATH = '/tmp/koodrive-mock/seed.json'

/**
 * A world to copy into the container and the variable that loads it. Checked here, as the server
 * would: a bad entry throws SeedError naming it now, not as a container that never turns healthy.
 */
export function seedSettings(world: Seed) {
  checkSeed(world)
  return {
    // 0o644: the image runs as `node`, and the copy belongs to root.
    copy: { content: JSON.stringify(world), target: CONTAINER_SEED_PATH, mode: 0o644 },
    environment: { MOCK_SEED_FILE: CONTAINER_SEED_PATH },
  }
}

/** Fault rules as MOCK_FAULTS, checked here as the server would: a bad rule throws FaultRuleError naming its field. */
export function faultSettings(rules: FaultRule[]): { MOCK_FAULTS: string } {
  checkFaultRules(rules, 'withFaults', FAULTABLE_OPERATIONS)
  return { MOCK_FAULTS: JSON.stringify(rules) }
}

/** `http://host:port`, with an IPv6 host in brackets. */
export const baseUrlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`
