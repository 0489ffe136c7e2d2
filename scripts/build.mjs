// npm run build: everything the package ships, into dist/.
//   dist/src/, dist/schemas/  tsc's ES modules and .d.ts (the `import` entry), plus .d.cts copies (the `require` types)
//   dist/server-bundle.cjs    the server and CLI as one CommonJS script: a start parses one file instead of ~150
//   dist/server.mjs           the command: runs the bundle from V8's code cache (src/code-cached-bundle.ts)
//   dist/index.cjs            the library for require(), and dist/testcontainers.cjs beside it
//   dist/src/dashboard/public the dashboard's page and its files
// `--if-stale` (npm start, npm's prepare) builds only when a source is newer than the last build:
// a stat of ~250 files (a few ms) instead of tsc's ~12 s. Without src/ (Docker's dependency layer,
// where scripts/ is not copied either, or a package installed from its tarball) there is nothing to build.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
const STAMP = 'dist/.build-stamp'
/** What a build reads: a change to any of these (or a file added to or removed from their folders) makes dist/ stale. */
const INPUTS = ['src', 'schemas', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']

/** The newest modification time under `path`, folders included (removing a file changes its folder's time). */
function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs)
}

if (process.argv.includes('--if-stale')) {
  if (!existsSync('src')) process.exit(0)
  const builtAt = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0
  if (Math.max(...INPUTS.map(newestMtime)) <= builtAt) {
    console.error('koodrive-mock: dist/ is up to date with src/ (npm run build rebuilds anyway)')
    process.exit(0)
  }
}

// Sources changed while the build runs are newer than the stamp, so the next start builds again.
const startedAt = new Date()
const require = createRequire(import.meta.url)
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
// The dashboard's page files, which tsc does not copy: dist/src/dashboard/assets.js and the bundles both find them there.
cpSync('src/dashboard/public', 'dist/src/dashboard/public', { recursive: true })

const { build } = await import('esbuild')
const packageJson = JSON.parse(readFileSync('package.json', 'utf8'))

// The built-in world is the same document every time: built here once, the bundle parses it (~1 ms)
// instead of deriving its ~1 300 IDs by sha256 at every start (~11 ms). The library (dist/src/)
// still builds it; the package test checks that both serve the same world.
const { buildDefaultWorld } = await import(pathToFileURL(join(root, 'dist/src/domain/world/default-world.js')).href)
const prebuiltDefaultWorld = {
  name: 'prebuilt-default-world',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]dist[\\/]src[\\/]domain[\\/]world[\\/]default-world\.js$/ }, (args) => ({
      contents: `import { trustedSeed } from './seed.js'\nexport const DEFAULT_WORLD = trustedSeed(JSON.parse(${JSON.stringify(JSON.stringify(buildDefaultWorld()))}))\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }))
  },
}

// CommonJS, not an ES module: V8's code cache (src/code-cached-bundle.ts) loads a script, and
// Node 20 has no compile cache for modules.
await build({
  entryPoints: ['dist/src/server.js'],
  outfile: 'dist/server-bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Swagger UI stays a package: it reads its static files from its own folder; pino-pretty stays
  // one too: it is loaded only for a terminal.
  external: ['@fastify/swagger-ui', 'pino-pretty'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Licence comments in dist/server-bundle.cjs.LEGAL.txt: one has a non-ASCII name, and an ASCII
  // bundle (esbuild escapes the code's own) is read as latin1, ~4 ms faster than decoding UTF-8.
  legalComments: 'external',
  plugins: [prebuiltDefaultWorld],
  logLevel: 'warning',
})
// The ES module bundle of earlier builds, which nothing loads now.
rmSync('dist/server-bundle.mjs', { force: true })
const serverBundle = readFileSync('dist/server-bundle.cjs')
if (serverBundle.some((byte) => byte > 0x7f)) throw new Error('dist/server-bundle.cjs is not ASCII: src/code-cached-bundle.ts reads it as latin1')

// The `koodrive-mock` command: runs the bundle from V8's code cache, named by the bundle's hash.
// Later starts read the compiled bundle instead of compiling it: 252 → 191 ms to the first health
// answer on Node 20 (median of 7, `node bench/cold-start.mjs`).
const bundleId = createHash('sha256').update(serverBundle).digest('hex').slice(0, 16)
writeFileSync(
  'dist/server.mjs',
  `#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { runCodeCachedBundle } from './src/code-cached-bundle.js'

runCodeCachedBundle(fileURLToPath(new URL('./server-bundle.cjs', import.meta.url)), '${bundleId}')
`,
)

/** A dependency require() can load: CommonJS, or an ES module package that also exports for require. */
function requirable(name) {
  const manifest = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8'))
  return manifest.type !== 'module' || JSON.stringify(manifest.exports ?? {}).includes('"require"')
}

await build({
  entryPoints: { index: 'src/index.ts', testcontainers: 'src/testing/testcontainers.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Dependencies stay packages, shared with any ES module user in the process; only those that
  // require() cannot load (flatqueue is ES modules only, and Node 20 cannot require one) are bundled.
  external: [...Object.keys(packageJson.dependencies).filter(requirable), ...Object.keys(packageJson.peerDependencies ?? {})],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      // koodrive-mock/testcontainers hands out the same AdminClient (and AdminApiError) as require('koodrive-mock').
      name: 'share-the-admin-client',
      setup(esbuild) {
        esbuild.onResolve({ filter: /^\.\/admin-client\.js$/ }, (args) =>
          args.importer.endsWith('testcontainers.ts') ? { path: './index.cjs', external: true } : undefined)
      },
    },
  ],
  logLevel: 'warning',
})

/** Every .d.ts under `folder`, copied as .d.cts with its relative imports pointing at the .d.cts copies. */
function writeCommonJsTypes(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) writeCommonJsTypes(path)
    else if (entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8').replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g, '$1$2$3.cjs$2')
      writeFileSync(path.replace(/\.d\.ts$/, '.d.cts'), text)
    }
  }
}
writeCommonJsTypes('dist/src')
writeCommonJsTypes('dist/schemas')

writeFileSync(STAMP, `${startedAt.toISOString()}\n`)
utimesSync(STAMP, startedAt, startedAt)
