import { readFile } from 'node:fs/promises'
import type { Seed } from '../../../schemas/seed.js'
import { DEFAULT_WORLD } from './default-world.js'
import { checkSeed, SeedError, trustedSeed } from './seed.js'
import { illFormedField } from '../../json-body.js'

/** No file at the seed file's path: at start a bad seed like any other, to a watcher the file was removed. */
export class SeedFileMissingError extends SeedError {}

/** The world to start from: MOCK_SEED_FILE when set, else the embedded default world. */
export async function loadWorldSeed(seedFile: string | undefined): Promise<Seed> {
  if (seedFile === undefined) return DEFAULT_WORLD
  let text: string
  try {
    text = await readFile(seedFile, 'utf8')
  } catch (error) {
    const problem = `MOCK_SEED_FILE ${seedFile} cannot be read: ${(error as Error).message}`
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new SeedFileMissingError([problem]) : new SeedError([problem])
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new SeedError([`MOCK_SEED_FILE ${seedFile} is not valid JSON: ${(error as Error).message}`])
  }
  const illFormed = illFormedField(document)
  if (illFormed !== undefined) throw new SeedError([`MOCK_SEED_FILE ${seedFile}: ${illFormed} is not well-formed Unicode (it holds a lone surrogate)`])
  // Checked here once: the worlds built from it (at start, on a reload, for each new namespace) skip it.
  return trustedSeed(checkSeed(document))
}
