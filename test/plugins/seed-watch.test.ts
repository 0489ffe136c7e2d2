import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import type { Seed } from '../../schemas/seed.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { readiness, worldSeed } from '../helpers/admin.js'
import { createTask, kdstokenFor, packageExample } from '../helpers/requests.js'

// These tests call app.reloadSeed(), what the watcher calls on a change, so none waits for a poll:
// the interval is longer than any test. test/server.test.ts edits a file under a real server's watch.

const DANA = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/seed-valid.json', import.meta.url)), 'utf8')) as Seed
const ERIN: Seed = { ...DANA, users: [...DANA.users, { userId: 'erin', name: 'Erin', tokens: ['erin-token'] }] }
const counts = (seed: Seed) => ({ users: seed.users.length, spaces: seed.spaces.length, files: seed.files.length, shares: seed.shares.length })
const at = (ms: number) => new Date(ms).toISOString()

/** A seed file holding `text`, in a folder of its own that goes when the test ends. */
function seedFileOf(t: Test, text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'koodrive-seed-watch-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const file = join(folder, 'world.json')
  writeFileSync(file, text)
  return file
}

const watched = (file: string) => ({ MOCK_SEED_FILE: file, MOCK_SEED_WATCH: 'true', MOCK_SEED_WATCH_INTERVAL_MS: '600000' })
const seedLogLines = (test: TestApp) => test.logs.lines.filter((line) => 'seedFile' in line)
/** The stat watchers keeping this process alive: fs.watchFile adds one, fs.unwatchFile takes it away. */
const statWatchers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'StatWatcher').length

t.test('a changed seed file replaces the world as PUT /__admin/world does: tasks and share tokens go, reset goes back to it', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const test = await startTestApp(t, { env: watched(file) })
  t.strictSame((await readiness(test)).seed, { source: 'file', file, watching: true, loadedAt: at(START_MS), version: 1 })
  await createTask(test, packageExample)
  const kdstoken = await kdstokenFor(test, 'dana-docs', 'abcd1234')
  t.equal((await readiness(test)).tasks, 1)

  test.clock.advance(2000)
  writeFileSync(file, JSON.stringify(ERIN))
  await test.app.reloadSeed()
  const ready = await readiness(test)
  t.strictSame(ready.world, counts(ERIN), 'the new version is the world')
  t.equal(ready.tasks, 0, 'tasks cleared')
  t.equal(test.app.emulator.kdstokens.problem(kdstoken, '1234567890123456789', 'dana', START_MS + 2000), 'the kdstoken is not valid for this share and user', 'share tokens cleared')
  t.strictSame(ready.seed, { source: 'file', file, watching: true, loadedAt: at(START_MS + 2000), version: 2 })
  t.match(seedLogLines(test), [{ level: 30, seedFile: file, msg: 'seed file changed: the world is made from it again' }])

  await test.app.inject({ method: 'PUT', url: '/__admin/world', payload: DANA })
  t.match((await readiness(test)).seed, { source: 'file', version: 2 }, 'a PUT is the namespace\'s own world: the server\'s seed is still the file\'s')
  const reset = await test.app.inject({ method: 'POST', url: '/__admin/reset' })
  t.strictSame(reset.json<{ world: unknown }>().world, counts(DANA), 'reset goes back to the world in use: the one PUT last')
  await test.app.reloadSeed()
  t.match((await readiness(test)).seed, { source: 'file', version: 3 }, 'the file\'s next version wins over a PUT')
  await test.app.inject({ method: 'POST', url: '/__admin/reset' })
  t.strictSame((await worldSeed(test)).users.map((user) => user.userId), ['dana', 'erin'], 'and reset goes back to it')
})

t.test('a bad version keeps the last good world, says why in /__admin/ready and a warn line, until a good one loads', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const test = await startTestApp(t, { env: watched(file) })
  await createTask(test, packageExample)
  const before = await worldSeed(test)
  const surrogate = readFileSync(fileURLToPath(new URL('../fixtures/seed-lone-surrogate.json', import.meta.url)), 'utf8')
  const cases: [string, () => void, RegExp][] = [
    ['half-written JSON', () => writeFileSync(file, '{"users": ['), /^Invalid world seed \(1 problem\):\n {2}MOCK_SEED_FILE .+ is not valid JSON: /],
    [
      'a schema error',
      () => writeFileSync(file, JSON.stringify({ ...DANA, spaces: [{ ...DANA.spaces[0], capacityBytes: -1 }] })),
      /\n {2}spaces\[0\] \(containerId "IAAdana1"\)\.capacityBytes: expected integer to be greater or equal to 0$/,
    ],
    ['a lone surrogate', () => writeFileSync(file, surrogate), /users\[0\]\.name is not well-formed Unicode \(it holds a lone surrogate\)$/],
    ['a broken reference', () => writeFileSync(file, JSON.stringify({ ...DANA, users: [] })), /ownerId "dana" is not a user/],
    ['a folder in its place', () => (rmSync(file), mkdirSync(file)), /cannot be read: EISDIR/],
  ]
  for (const [name, makeBad, problem] of cases) {
    makeBad()
    await test.app.reloadSeed()
    const res = await test.app.inject({ method: 'GET', url: '/__admin/ready' })
    t.equal(res.statusCode, 200, `${name}: still ready, serving the last good world`)
    const ready = res.json<Awaited<ReturnType<typeof readiness>>>()
    t.match(ready.seed, { source: 'file', file, watching: true, version: 1, problem }, `${name}: the problem is shown`)
    t.equal(ready.tasks, 1, `${name}: tasks kept`)
    t.strictSame(await worldSeed(test), before, `${name}: the world is as it was`)
    const warning = seedLogLines(test).at(-1)
    t.match(warning, { level: 40, seedFile: file, problem }, `${name}: a warn line names the problem`)
    t.equal(warning?.msg, `seed file not loaded, the last good world stays: ${ready.seed.problem}`)
  }
  rmSync(file, { recursive: true })
  writeFileSync(file, JSON.stringify(ERIN))
  await test.app.reloadSeed()
  const fixed = await readiness(test)
  t.strictSame(fixed.seed, { source: 'file', file, watching: true, loadedAt: at(START_MS), version: 2 }, 'fixed: the problem is gone')
  t.strictSame(fixed.world, counts(ERIN))
})

t.test('a removed seed file brings the built-in world, and the file\'s world comes back with the file', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const test = await startTestApp(t, { env: watched(file) })
  writeFileSync(file, '{')
  await test.app.reloadSeed()
  rmSync(file)
  await test.app.reloadSeed()
  const gone = await readiness(test)
  t.strictSame(gone.world, counts(DEFAULT_WORLD), 'the built-in world')
  t.strictSame(gone.seed, { source: 'default', file, watching: true, loadedAt: at(START_MS), version: 2 }, 'a removed file is no problem: the problem of the bad version before it is gone too')
  t.match(seedLogLines(test).at(-1), { level: 40, seedFile: file, msg: 'seed file removed: serving the built-in default world until it comes back' })
  await test.app.inject({ method: 'POST', url: '/__admin/reset' })
  t.strictSame((await readiness(test)).world, counts(DEFAULT_WORLD), 'reset stays on the built-in world')

  writeFileSync(file, JSON.stringify(ERIN))
  await test.app.reloadSeed()
  const back = await readiness(test)
  t.strictSame(back.world, counts(ERIN))
  t.strictSame(back.seed, { source: 'file', file, watching: true, loadedAt: at(START_MS), version: 3 })
  t.match(seedLogLines(test).at(-1), { level: 30, seedFile: file, msg: 'seed file is back: the world is made from it again' })
})

t.test('the watcher starts with the app and stops when it closes: no stat timer outlives the server', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const before = statWatchers()
  const test = await startTestApp(t, { env: watched(file) })
  t.equal(statWatchers(), before + 1, 'one stat watcher while the app is open')
  await test.app.close()
  t.equal(statWatchers(), before, 'none once it closed')
})

t.test('without MOCK_SEED_WATCH nothing watches the file; reloadSeed still reads it when called', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const before = statWatchers()
  const test = await startTestApp(t, { env: { MOCK_SEED_FILE: file } })
  t.equal(statWatchers(), before, 'no stat watcher')
  t.strictSame((await readiness(test)).seed, { source: 'file', file, watching: false, loadedAt: at(START_MS), version: 1 })
  writeFileSync(file, JSON.stringify(ERIN))
  await test.app.reloadSeed()
  t.strictSame((await readiness(test)).world, counts(ERIN))
})

t.test('without MOCK_SEED_FILE there is nothing to reload or watch; MOCK_SEED_WATCH=true alone says so in a warn line', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_SEED_WATCH: 'true' } })
  await test.app.reloadSeed()
  t.strictSame((await readiness(test)).seed, { source: 'default', watching: false, loadedAt: at(START_MS), version: 1 }, 'nothing replaced')
  t.match(test.logs.lines, [{ level: 40, msg: 'MOCK_SEED_WATCH=true has nothing to watch: MOCK_SEED_FILE is unset' }])
})

t.test('a reloaded seed file is every namespace\'s: those there go back to it, new ones start from it; a bad version touches none', async (t) => {
  const file = seedFileOf(t, JSON.stringify(DANA))
  const test = await startTestApp(t, { env: watched(file) })
  const usersIn = async (namespace: string) =>
    (await test.app.inject({ method: 'GET', url: '/__admin/world', headers: { 'x-mock-namespace': namespace } })).json<Seed>().users.map((user) => user.userId)
  t.same(await usersIn('before'), ['dana'])
  const own = { ...DANA, users: [...DANA.users, { userId: 'own', name: 'Own', tokens: ['own-token'] }] }
  await test.app.inject({ method: 'PUT', url: '/__admin/world', headers: { 'x-mock-namespace': 'put' }, payload: own })
  t.same(await usersIn('put'), ['dana', 'own'], 'a namespace\'s own world')
  writeFileSync(file, JSON.stringify(ERIN))
  await test.app.reloadSeed()
  for (const namespace of ['default', 'before', 'put', 'after']) t.same(await usersIn(namespace), ['dana', 'erin'], `${namespace}: the file's new version`)
  writeFileSync(file, '{ not json')
  await test.app.reloadSeed()
  t.same(await usersIn('later'), ['dana', 'erin'], 'a bad version: new namespaces still get the last good one')
})
