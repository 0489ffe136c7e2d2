import t from 'tap'
import { baseUrlOf, CONTAINER_SEED_PATH, faultSettings, KOODRIVE_MOCK_IMAGE, seedSettings } from '../../src/testing/container-settings.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { FaultRuleError } from '../../src/faults/rule-check.js'
import { SeedError } from '../../src/domain/world/seed.js'
import type { Seed } from '../../schemas/seed.js'

t.test('the image tag is the one the README and compose build', async (t) => {
  t.equal(KOODRIVE_MOCK_IMAGE, 'koodrive-mock:local')
})

t.test('withSeed: the world is copied in as JSON, readable by the image\'s node user, and named by MOCK_SEED_FILE', async (t) => {
  const settings = seedSettings(DEFAULT_WORLD)
  t.strictSame(settings, {
    copy: { content: JSON.stringify(DEFAULT_WORLD), target: CONTAINER_SEED_PATH, mode: 0o644 },
    environment: { MOCK_SEED_FILE: CONTAINER_SEED_PATH },
  })
  t.strictSame(JSON.parse(settings.copy.content), JSON.parse(JSON.stringify(DEFAULT_WORLD)))
})

t.test('withSeed: a bad world is refused before any container starts, naming the entry', async (t) => {
  const bad = { ...DEFAULT_WORLD, users: [{ userId: '', name: 'x', tokens: [] }] } as unknown as Seed
  const error = t.throws(() => seedSettings(bad))
  t.ok(error instanceof SeedError)
  t.match((error as Error).message, /users\[0\]/)
})

t.test('withFaults: rules become MOCK_FAULTS; a bad rule is refused now, naming its field', async (t) => {
  const rules = [{ id: 'warm-up', operation: 'createShareTask', first: 1, error: 'APIGW.0308' as const }]
  t.strictSame(faultSettings(rules), { MOCK_FAULTS: JSON.stringify(rules) })
  t.throws(() => faultSettings([{ operation: 'nope', error: 13000201 }]), FaultRuleError)
  t.throws(() => faultSettings([{ operation: 'nope', error: 13000201 }]), { message: /withFaults\[0\]\.operation/ })
})

t.test('baseUrlOf: an IPv6 host is bracketed', async (t) => {
  t.equal(baseUrlOf('127.0.0.1', 32771), 'http://127.0.0.1:32771')
  t.equal(baseUrlOf('::1', 32771), 'http://[::1]:32771')
})
