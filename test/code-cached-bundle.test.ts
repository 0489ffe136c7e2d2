import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { runCodeCachedBundle } from '../src/code-cached-bundle.js'

interface FixtureRun {
  thisIsExports: boolean
  filename: string
  dirname: string
  joined: string
}
declare global {
  var codeCacheFixture: { runs: FixtureRun[]; started: Promise<void> }
}

/** A CommonJS bundle like the server's: it records how it ran, and exports when it has "started". */
const FIXTURE = `
exports.started = globalThis.codeCacheFixture.started
globalThis.codeCacheFixture.runs.push({ thisIsExports: this === exports, filename: __filename, dirname: __dirname, joined: require('node:path').join('a', 'b') })
`

function setUp(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'koodrive-code-cache-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const bundle = join(dir, 'bundle.cjs')
  writeFileSync(bundle, FIXTURE)
  const cache = join(dir, 'cache')
  let start = () => {}
  globalThis.codeCacheFixture = { runs: [], started: new Promise<void>((resolve) => (start = resolve)) }
  /** Lets the bundle's start settle and the loader's write after it run. */
  const started = async () => {
    start()
    await new Promise(setImmediate)
  }
  return { dir, bundle, cache, started, cacheFile: (id: string) => join(cache, `koodrive-mock-${id}-${process.version}-${process.arch}.bin`) }
}

t.test('the first start compiles and keeps the code once started; the next reads it', async (t) => {
  const { bundle, cache, started, cacheFile } = setUp(t)
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'miss')
  t.notOk(existsSync(cacheFile('id1')), 'nothing is kept before the start settles')
  await started()
  t.ok(statSync(cacheFile('id1')).size > 0, 'kept after it')
  t.same(readdirSync(cache), [`koodrive-mock-id1-${process.version}-${process.arch}.bin`], 'no partial file left')
  const keptAt = statSync(cacheFile('id1')).mtimeMs
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'hit')
  await started()
  t.equal(statSync(cacheFile('id1')).mtimeMs, keptAt, 'a hit writes nothing')
  // Both runs are the bundle run as Node runs a CommonJS module.
  t.same(globalThis.codeCacheFixture.runs, [0, 1].map(() => ({ thisIsExports: true, filename: bundle, dirname: join(bundle, '..'), joined: join('a', 'b') })))
})

t.test('a cache V8 refuses (another build, a damaged file) is compiled again and replaced', async (t) => {
  const { bundle, cache, started, cacheFile } = setUp(t)
  mkdirSync(cache)
  writeFileSync(cacheFile('id1'), 'not compiled code')
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'miss')
  await started()
  t.not(readFileSync(cacheFile('id1'), 'utf8'), 'not compiled code')
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'hit')
  t.equal(globalThis.codeCacheFixture.runs.length, 2)
})

t.test('each build has its own file, and a folder keeps the four newest of them', async (t) => {
  const { bundle, cache, started, cacheFile } = setUp(t)
  mkdirSync(cache)
  for (const [i, id] of ['old1', 'old2', 'old3', 'old4', 'old5'].entries()) {
    writeFileSync(cacheFile(id), 'x')
    utimesSync(cacheFile(id), 1000 + i, 1000 + i)
  }
  writeFileSync(join(cache, 'someone-elses.bin'), 'x')
  t.equal(runCodeCachedBundle(bundle, 'new', { NODE_COMPILE_CACHE: cache }), 'miss')
  await started()
  t.same(readdirSync(cache).sort(), ['new', 'old3', 'old4', 'old5'].map((id) => cacheFile(id).slice(cache.length + 1)).concat('someone-elses.bin').sort())
})

t.test('NODE_DISABLE_COMPILE_CACHE runs the bundle with no cache, as Node does for its own', async (t) => {
  const { bundle, cache, started } = setUp(t)
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '1' }), 'off')
  await started()
  t.notOk(existsSync(cache))
  t.equal(globalThis.codeCacheFixture.runs.length, 1)
})

t.test('without NODE_COMPILE_CACHE the cache is a folder of this user in the temporary folder', async (t) => {
  const { dir, bundle, started } = setUp(t)
  const tmp = process.env.TMPDIR
  t.teardown(() => (tmp === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = tmp)))
  process.env.TMPDIR = dir
  t.equal(runCodeCachedBundle(bundle, 'id1', {}), 'miss')
  await started()
  const folder = join(dir, 'koodrive-mock-compile-cache')
  t.equal(statSync(folder).mode & 0o777, 0o700, 'only its user may read or write it')
  t.equal(readdirSync(folder).length, 1)
  t.equal(runCodeCachedBundle(bundle, 'id1', {}), 'hit')

  t.test('one another user made is not read: its code would run as ours', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async (t) => {
    chownSync(folder, 1234, 1234)
    t.equal(runCodeCachedBundle(bundle, 'id1', {}), 'off')
  })
  t.test('one that cannot be made (a file is in its place) leaves the bundle uncached', async (t) => {
    rmSync(folder, { recursive: true })
    writeFileSync(folder, 'a file')
    // Another file: an uncached bundle is require()d, and require() runs a file once per process.
    const another = join(dir, 'another.cjs')
    writeFileSync(another, FIXTURE)
    const runs = globalThis.codeCacheFixture.runs.length
    t.equal(runCodeCachedBundle(another, 'id1', {}), 'off')
    t.equal(globalThis.codeCacheFixture.runs.length, runs + 1)
  })
})

t.test('a cache that cannot be written costs only the compile, and leaves no partial file', async (t) => {
  const { bundle, cache, started, cacheFile } = setUp(t)
  mkdirSync(cacheFile('id1'), { recursive: true })
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'miss')
  await started()
  t.same(readdirSync(cache), [cacheFile('id1').slice(cache.length + 1)], 'only the directory in its way')
  t.equal(runCodeCachedBundle(bundle, 'id1', { NODE_COMPILE_CACHE: cache }), 'miss')
})
