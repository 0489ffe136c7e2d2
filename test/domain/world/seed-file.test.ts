import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { DEFAULT_WORLD } from '../../../src/domain/world/default-world.js'
import { SeedError } from '../../../src/domain/world/seed.js'
import { loadWorldSeed, SeedFileMissingError } from '../../../src/domain/world/seed-file.js'

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url))

/** The SeedError `loadWorldSeed(path)` rejects with; fails the test when it resolves. */
async function rejectionOf(t: Test, path: string): Promise<SeedError> {
  const error: unknown = await loadWorldSeed(path).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.type(error, SeedError)
  return error as SeedError
}

t.test('without MOCK_SEED_FILE the embedded default world is used', async (t) => {
  t.equal(await loadWorldSeed(undefined), DEFAULT_WORLD)
})

t.test('a valid seed file is read, checked and returned as written', async (t) => {
  const path = fixture('seed-valid.json')
  t.strictSame(await loadWorldSeed(path), JSON.parse(readFileSync(path, 'utf8')))
})

t.test('a missing file is a SeedError naming MOCK_SEED_FILE and the path', async (t) => {
  const path = fixture('no-such-seed.json')
  const error = await rejectionOf(t, path)
  t.equal(error.problems.length, 1)
  t.match(error.problems[0], new RegExp(`^MOCK_SEED_FILE ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read: ENOENT: no such file or directory`))
  t.match(error.message, /^Invalid world seed \(1 problem\):\n {2}MOCK_SEED_FILE /)
  t.type(error, SeedFileMissingError, 'a missing file is told apart from a bad one (a watcher serves the default world then)')
})

t.test('a directory is a SeedError: it cannot be read as a file', async (t) => {
  const path = fixture('')
  const error = await rejectionOf(t, path)
  t.match(error.problems, [/^MOCK_SEED_FILE .+ cannot be read: EISDIR/])
  t.notOk(error instanceof SeedFileMissingError, 'there is something at the path: not missing')
})

t.test('a file that is not JSON is a SeedError naming MOCK_SEED_FILE and the path', async (t) => {
  const path = fixture('seed-not-json.json')
  const error = await rejectionOf(t, path)
  t.equal(error.problems.length, 1)
  t.ok(error.problems[0]?.startsWith(`MOCK_SEED_FILE ${path} is not valid JSON: `), String(error.problems[0]))
})

t.test('a file of the wrong shape is the SeedError of checkSeed', async (t) => {
  const error = await rejectionOf(t, fixture('seed-invalid-shape.json'))
  t.strictSame(error.problems, ['spaces[0] (containerId "IAAdana1").capacityBytes: expected integer to be greater or equal to 0'])
})

t.test('a file with a broken reference is the SeedError of checkSeed', async (t) => {
  const error = await rejectionOf(t, fixture('seed-bad-reference.json'))
  t.strictSame(error.problems, ['spaces[0] (containerId "IAAdana1"): ownerId "dana" is not a user'])
})

t.test('a file holding a lone surrogate is a SeedError naming the field', async (t) => {
  const path = fixture('seed-lone-surrogate.json')
  const error = await rejectionOf(t, path)
  t.strictSame(error.problems, [`MOCK_SEED_FILE ${path}: users[0].name is not well-formed Unicode (it holds a lone surrogate)`])
})
