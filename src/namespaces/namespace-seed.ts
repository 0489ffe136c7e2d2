import { createHash } from 'node:crypto'
import { DEFAULT_NAMESPACE } from './namespace-name.js'

/**
 * The random seed of a namespace's ID streams and fault draws: the run's seed itself for `default`
 * (so a run without namespaces keeps its IDs), else one that follows from the run's seed and the
 * name alone, so no other namespace's traffic or creation order can shift it.
 */
export function namespaceRandomSeed(randomSeed: number, name: string): number {
  if (name === DEFAULT_NAMESPACE) return randomSeed
  return createHash('sha256').update(`${randomSeed}\u0000${name}`).digest().readUInt32BE(0)
}
