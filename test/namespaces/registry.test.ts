import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { ManualClock, ShiftedSystemClock } from '../../src/domain/time-and-ids/clock.js'
import { namespacesFromConfig } from '../../src/namespaces/from-config.js'
import { namespaceRandomSeed } from '../../src/namespaces/namespace-seed.js'
import { NamespaceRegistry } from '../../src/namespaces/registry.js'

const registryOf = (env: Record<string, string> = {}, clock?: ManualClock) =>
  namespacesFromConfig(loadConfig({ MOCK_RANDOM_SEED: '42', ...env }), { seed: DEFAULT_WORLD, randomSeed: 42, clock })

t.test('namespaces are made on first use; past MOCK_MAX_NAMESPACES the least recently used goes, never default', async (t) => {
  const registry = registryOf({ MOCK_MAX_NAMESPACES: '3' })
  const dropped: string[] = []
  registry.onDrop((namespace) => dropped.push(namespace.name))
  const a = registry.use('a')
  t.equal(registry.use('a'), a, 'the same namespace on its next use')
  registry.use('b')
  t.same(registry.list().map((namespace) => namespace.name), ['default', 'a', 'b'])
  registry.use('a') // b is now the least recently used
  registry.use('default')
  registry.use('c')
  t.same(dropped, ['b'], 'b went: default was used longest ago but never goes')
  t.same(registry.list().map((namespace) => namespace.name), ['default', 'a', 'c'])
  t.equal(registry.find('b'), undefined)
  t.not(registry.use('b'), undefined, 'a dropped namespace is made afresh on its next use')
  t.same(dropped, ['b', 'a'])
  t.equal(registry.size, 3)
})

t.test('a default made afresh goes to the back of the order, and is still never the one dropped', async (t) => {
  const registry = registryOf({ MOCK_MAX_NAMESPACES: '3' })
  registry.use('a')
  registry.drop('default') // made afresh, behind a
  registry.use('b')
  t.same(registry.list().map((namespace) => namespace.name), ['default', 'a', 'b'], 'listed first whatever its place in the order')
  registry.use('c')
  t.same(registry.list().map((namespace) => namespace.name), ['default', 'b', 'c'], 'a went: it was first in the order')
})

t.test('drop: a namespace and all it holds go; default starts afresh; an unknown name drops nothing', async (t) => {
  const registry = registryOf()
  const dropped: string[] = []
  registry.onDrop((namespace) => dropped.push(namespace.name))
  const first = registry.use('a')
  t.equal(registry.drop('a'), true)
  t.equal(registry.drop('a'), false)
  t.not(registry.use('a'), first, 'made afresh')
  const oldDefault = registry.default
  t.equal(registry.drop('default'), true)
  t.not(registry.default, oldDefault, 'default is new')
  t.equal(registry.find('default'), registry.default, 'and listed')
  t.same(dropped, ['a', 'default'])
})

t.test('use counts as a use: lastUsedAtMs moves, createdAtMs does not', async (t) => {
  let nowMs = 1_000
  const base = registryOf()
  const registry = new NamespaceRegistry(base.template, 10, () => nowMs)
  const a = registry.use('a')
  nowMs = 5_000
  registry.use('a')
  registry.use('default')
  t.same([a.createdAtMs, a.lastUsedAtMs, registry.default.lastUsedAtMs], [1_000, 5_000, 5_000])
})

t.test('clocks: each namespace its own; a test\'s manual clock for default makes every namespace manual at its start', async (t) => {
  const given = new ManualClock(Date.UTC(2026, 0, 1))
  given.advance(5_000)
  const registry = registryOf({}, given)
  t.equal(registry.default.clock, given)
  const other = registry.use('a').clock
  t.equal(other.mode, 'manual')
  t.equal(other.now(), Date.UTC(2026, 0, 1), 'at the start, not where default has moved to')
  t.ok(registryOf({ MOCK_CLOCK: 'manual', MOCK_CLOCK_START: '2026-05-01T00:00:00Z' }).use('a').clock.now() === Date.UTC(2026, 4, 1), 'MOCK_CLOCK_START')
  t.ok(registryOf().use('a').clock instanceof ShiftedSystemClock, 'MOCK_CLOCK=real: real time, shifted by its own moves')
  t.ok(registryOf({}, new ShiftedSystemClock() as unknown as ManualClock).use('a').clock instanceof ShiftedSystemClock, "a test's real clock: real for the others too")
})

t.test('random seeds: default keeps the run\'s own; another\'s follows from the run\'s seed and its name only', async (t) => {
  t.equal(namespaceRandomSeed(42, 'default'), 42)
  t.equal(namespaceRandomSeed(42, 'w1'), namespaceRandomSeed(42, 'w1'))
  t.not(namespaceRandomSeed(42, 'w1'), namespaceRandomSeed(42, 'w2'))
  t.not(namespaceRandomSeed(42, 'w1'), namespaceRandomSeed(43, 'w1'))
  const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => namespaceRandomSeed(42, `worker-${i}`)))
  t.equal(seeds.size, 10_000, '10 000 names, 10 000 seeds')
})

t.test('pointDownloadsAt: every namespace\'s URLs, and those made later', async (t) => {
  const registry = registryOf()
  const a = registry.use('a')
  registry.pointDownloadsAt('http://127.0.0.1:4321/obs/koodrive-share/')
  const later = registry.use('b')
  for (const namespace of [registry.default, a, later]) {
    t.match(namespace.emulator.presigner.sign('k', Date.UTC(2026, 0, 1)), /^http:\/\/127\.0\.0\.1:4321\/obs\/koodrive-share\/k\?/, namespace.name)
  }
})
