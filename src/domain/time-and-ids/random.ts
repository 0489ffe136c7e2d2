import { randomInt } from 'node:crypto'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

export type { RandomGenerator }

/** The seed to use when MOCK_RANDOM_SEED is not set: fresh each run, and logged so a run can be replayed. */
export function pickRandomSeed(): number {
  return randomInt(0, 2 ** 32)
}

/**
 * Independent random streams, one per purpose, so drawing more of one never shifts another: the
 * domain's IDs, and the HTTP layer's request IDs and fault draws.
 */
export const RandomStream = { TASK_IDS: 0, REQUEST_IDS: 1, FILE_IDS: 2, KDSTOKENS: 3, SHARE_IDS: 4, FAULTS: 5, ADMIN_REQUEST_IDS: 6, BEARER_TOKENS: 7, REFUSED_REQUEST_IDS: 8 } as const

/**
 * One seeded generator per stream of IDs: a stream that is drawn from more often (request IDs)
 * must not shift the values of another (task IDs), or the same requests would not give the same IDs.
 */
export function seededStream(seed: number, stream: number): RandomGenerator {
  return xoroshiro128plus((seed ^ Math.imul(stream + 1, 0x9e3779b1)) | 0)
}
