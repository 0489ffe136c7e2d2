import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import vm from 'node:vm'

/** Compiled bundles a cache folder keeps, newest first: a few builds and Node versions started lately. */
const KEPT_BUNDLES = 4
const PREFIX = 'koodrive-mock-'

/** What the bundle exports: the server's start (src/server.ts), after which its compiled code is kept. */
interface BundleExports {
  started?: Promise<unknown>
}

/** `hit`: compiled code was read and used; `miss`: compiled now, kept once the server has started; `off`: no cache. */
export type CodeCacheUse = 'hit' | 'miss' | 'off'

/**
 * Runs the CommonJS bundle at `bundlePath` from V8's code cache: the first start keeps the bundle's
 * compiled code (the functions compiled up to the server's start), later ones read it instead of
 * compiling 2.6 MB again (~60 ms of a ~270 ms start on Node 20, which has no module compile cache;
 * Node 22's `module.enableCompileCache` does the same for modules, and a bundle run this way is not
 * one). `bundleId`, a hash of the bundle made at build time, names the cache file, because V8 only
 * checks a cache against its source's length. The folder is NODE_COMPILE_CACHE (the image fills one
 * at build time), else a folder of this user's in the system's temporary folder; none with
 * NODE_DISABLE_COMPILE_CACHE, as for Node's own cache. A cache that cannot be read or written only
 * costs the compile. The bundle must not use `import()`: a script's has no loader after a cache hit.
 *
 * @example
 * runCodeCachedBundle(fileURLToPath(new URL('./server-bundle.cjs', import.meta.url)), 'c0ffee12')
 */
export function runCodeCachedBundle(bundlePath: string, bundleId: string, env: NodeJS.ProcessEnv = process.env): CodeCacheUse {
  const folder = cacheFolder(env)
  if (folder === undefined) {
    createRequire(bundlePath)(bundlePath)
    return 'off'
  }
  const cacheFile = join(folder, `${PREFIX}${bundleId}-${process.version}-${process.arch}.bin`)
  const cachedData = readIfThere(cacheFile)
  // latin1: the build keeps the bundle ASCII (scripts/build.mjs), and latin1 is read without decoding.
  const script = new vm.Script(Module.wrap(readFileSync(bundlePath, 'latin1')), { filename: bundlePath, cachedData })
  const bundle = new Module(bundlePath)
  bundle.filename = bundlePath
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(bundle.exports, bundle.exports, createRequire(bundlePath), bundle, bundlePath, dirname(bundlePath))
  if (cachedData !== undefined && !script.cachedDataRejected) return 'hit'
  // After the start, so the cache holds what starting compiled; a start that fails stays unhandled, as it was.
  void Promise.resolve((bundle.exports as BundleExports).started).then(() => keep(folder, cacheFile, script.createCachedData()))
  return 'miss'
}

function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined
  if (env.NODE_COMPILE_CACHE) return env.NODE_COMPILE_CACHE
  const folder = join(tmpdir(), `${PREFIX}compile-cache`)
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 })
    // Compiled code is run as it is read: never from a folder another user of a shared /tmp made
    // (Windows has no user IDs here: no cache there unless NODE_COMPILE_CACHE names a folder).
    return statSync(folder).uid === process.getuid?.() ? folder : undefined
  } catch {
    return undefined
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Writes the cache file whole (other servers starting at once read either none or all of it), then prunes old ones. */
function keep(folder: string, cacheFile: string, data: Buffer): void {
  const partial = `${cacheFile}.${process.pid}.partial`
  try {
    mkdirSync(folder, { recursive: true })
    writeFileSync(partial, data)
    renameSync(partial, cacheFile)
    const kept = readdirSync(folder)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.bin'))
      .map((name) => ({ path: join(folder, name), mtimeMs: statSync(join(folder, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
    for (const old of kept.slice(KEPT_BUNDLES)) unlinkSync(old.path)
  } catch {
    // A read-only or full disk: the next start compiles again.
    rmSync(partial, { force: true })
  }
}
