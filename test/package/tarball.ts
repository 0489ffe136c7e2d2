// npm run test:package (CI runs it after npm test): the package as a user gets it. `npm pack`
// (whose prepare builds dist/ when it is stale), then the tarball installed into an empty project,
// and there: the CLI, an ES module and a CommonJS script, and the types of both, as a user writes
// them. Not part of `npm test`: it needs the build and the npm registry (for the dependencies the
// cache lacks), and it covers dist/, not src/.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version
const run = promisify(execFile)
/** The child's environment without the settings a shell may have set, so the CLI sees only what a test gives it. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PORT|HOST|LOG_LEVEL|MOCK_.*)$/.test(key)))

const work = mkdtempSync(join(tmpdir(), 'koodrive-mock-package-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const project = join(work, 'project')

t.before(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 })
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }]
  await run('mkdir', ['-p', project])
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
  // The dependencies come from npm's cache where it has them (npm ci filled it), else the registry.
  await run('npm', ['install', join(work, filename), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, timeout: 300_000 })
})

t.test('the package holds the builds and no sources, source maps or build stamp', async (t) => {
  const files = (await run('find', ['.', '-type', 'f'], { cwd: join(project, 'node_modules/koodrive-mock') })).stdout.split('\n')
  for (const shipped of ['./dist/server.mjs', './dist/index.cjs', './dist/testcontainers.cjs', './dist/src/index.js', './dist/src/index.d.ts', './dist/src/index.d.cts', './README.md', './schemas/seed.schema.json', './schemas/fault-rules.schema.json']) {
    t.ok(files.includes(shipped), shipped)
  }
  t.notOk(files.some((file) => file.startsWith('./src/') || file.endsWith('.map') || file.endsWith('.build-stamp')), 'no src/, .map or stamp')
  t.notOk(files.some((file) => file.startsWith('./node_modules/testcontainers')), 'testcontainers is an optional peer: not installed')
})

t.test('npx koodrive-mock: --help lists every flag, --version, an unknown flag exits 2', async (t) => {
  const help = await run('npx', ['koodrive-mock', '--help'], { cwd: project, env: cleanEnv })
  t.match(help.stdout, /^Usage: koodrive-mock \[options\]/)
  t.match(help.stdout, /\n {2}--port N\n.*\n {6}PORT, default 3000\n/)
  t.match(help.stdout, /\n {2}--seed N\n[\s\S]*?MOCK_RANDOM_SEED, unset by default\n/)
  t.equal((await run('npx', ['koodrive-mock', '--version'], { cwd: project, env: cleanEnv })).stdout, `${VERSION}\n`)
  const unknown = await run('npx', ['koodrive-mock', '--nope'], { cwd: project, env: cleanEnv }).catch((error: { code: number; stderr: string }) => error)
  t.match(unknown, { code: 2, stderr: 'koodrive-mock: unknown option --nope\nRun koodrive-mock --help for the options.\n' })
})

/** Where the command keeps its compiled bundle in these tests (src/code-cached-bundle.ts). */
const compileCache = join(work, 'compile-cache')
const cacheFiles = () => readdirSync(compileCache).map((name) => `${name} ${statSync(join(compileCache, name)).mtimeMs}`)

/** `npx koodrive-mock --port 0`: the ready line, health and the docs (the bundle loads Swagger UI then), `whileUp`, SIGTERM. */
async function startAndStop(t: Test, whileUp: (adminUrl: string) => Promise<void> = async () => {}) {
  const child = spawn(join(project, 'node_modules/.bin/koodrive-mock'), ['--port', '0', '--seed', '7'], { cwd: project, env: { ...cleanEnv, NODE_COMPILE_CACHE: compileCache }, stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => child.kill('SIGKILL'))
  const lines = createInterface({ input: child.stdout })
  const ready = new Promise<string>((resolve) => lines.on('line', (line) => line.includes('"koodrive-mock ready') && resolve(line)))
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('no ready line within 15 s')), 15_000)))
  const facts = JSON.parse(await Promise.race([ready, late]).finally(() => clearTimeout(timer))) as {
    msg: string
    urls: { health: string; api: string; docs: string }
    world: unknown
  }
  t.match(facts.msg, /^koodrive-mock ready, dashboard at http:\/\/127\.0\.0\.1:\d+\/__admin\/ \(set MOCK_RANDOM_SEED=7 to replay this run\)$/)
  t.match(facts.urls.api, /^http:\/\/127\.0\.0\.1:\d+\/koodrive\/ose\/v1$/)
  t.strictSame(facts.world, { seed: 'default', mode: 'lenient' })
  const health = await fetch(facts.urls.health)
  t.equal(health.status, 200)
  t.match(await health.json(), { status: 'ok', version: VERSION })
  t.equal((await fetch(facts.urls.docs)).status, 200, 'Swagger UI is served from the installed package')
  await whileUp(facts.urls.health.replace(/\/health$/, ''))
  child.kill('SIGTERM')
  const [code] = (await once(child, 'exit')) as [number]
  t.equal(code, 0)
}

t.test('npx koodrive-mock --port 0 starts, says where it is, answers its health URL and stops on SIGTERM', async (t) => {
  await startAndStop(t)
  const kept = cacheFiles()
  t.match(kept, [/^koodrive-mock-[0-9a-f]{16}-v[\d.]+-\w+\.bin \d/], 'the first start keeps the compiled bundle')
  // The second start runs from V8's code cache: it must serve the same (a loader lost there broke the docs once).
  t.test('and again from the compiled code it kept', async (t) => {
    await startAndStop(t)
    t.same(cacheFiles(), kept, 'read, not written again')
  })
})

t.test('the command serves the built-in world the library builds (the bundle has it prebuilt)', async (t) => {
  const library = `import { startMockServer } from 'koodrive-mock'
const mock = await startMockServer()
process.stdout.write(await (await fetch(mock.url + '/__admin/world')).text())
await mock.close()`
  writeFileSync(join(project, 'world.mjs'), library)
  const built = (await run('node', ['world.mjs'], { cwd: project, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 })).stdout
  t.ok(built.length > 100_000, 'the whole world')
  await startAndStop(t, async (adminUrl) => {
    t.equal(await (await fetch(`${adminUrl}/world`)).text(), built, 'the same document')
  })
})

/** A script that starts the emulator in-process and uses the admin client, as a user's test suite would. */
const USE_IT = `
  const mock = await startMockServer({ env: { MOCK_ADMIN_TOKEN: 'admin-secret' } })
  const created = await fetch(mock.url + '/koodrive/ose/v1/share/tasks', {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'x-user-id': 'u1', 'x-hw-agentname': 'a', 'content-type': 'application/json',
      'x-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\\.\\d{3}/, '') },
    body: JSON.stringify({ taskType: 1, containerId: 'IAA1', fileIds: ['F1'], shareId: 'S1', zipName: 'a.zip' }),
  })
  const count = await mock.admin.requests.count({ operation: 'createShareTask', status: 200 })
  const infoUrl = mock.url + '/koodrive/ose/v1/share/userInfo?shortUrl=1822239307136816339'
  const asAnn = { 'x-user-id': 'ann', 'x-hw-agentname': 'a' }
  const signedCall = signRequest({ method: 'GET', url: infoUrl, headers: asAnn, appId: 'ann-app', appSecret: 'ann-app-secret' })
  const signed = (await fetch(infoUrl, { headers: { ...asAnn, ...signedCall } })).status
  const config = await mock.admin.health()
  let refused
  try { await new AdminClient(mock.url).faults.list() } catch (error) { refused = error instanceof AdminApiError ? error.status : String(error) }
  await mock.close()
  console.log(JSON.stringify({ created: created.status, count, signed, version: config.version, refused }))
`
const EXPECTED = { created: 200, count: 1, signed: 200, version: VERSION, refused: 401 }

t.test('an ES module imports startMockServer and signRequest, and uses the admin client', async (t) => {
  writeFileSync(join(project, 'use-it.mjs'), `import { startMockServer, AdminClient, AdminApiError, signRequest } from 'koodrive-mock'\n${USE_IT}`)
  t.strictSame(JSON.parse((await run('node', ['use-it.mjs'], { cwd: project, env: cleanEnv })).stdout), EXPECTED)
})

t.test('a CommonJS script requires it (what Jest on CommonJS does)', async (t) => {
  writeFileSync(join(project, 'use-it.cjs'), `const { startMockServer, AdminClient, AdminApiError, signRequest } = require('koodrive-mock')\n;(async () => {${USE_IT}})()`)
  t.strictSame(JSON.parse((await run('node', ['use-it.cjs'], { cwd: project, env: cleanEnv })).stdout), EXPECTED)
  const subpath = await run('node', ['-e', "require('koodrive-mock/testcontainers')"], { cwd: project }).catch((error: { stderr: string }) => error)
  t.match(subpath, { stderr: /Cannot find module 'testcontainers'/ }, 'the testcontainers module needs the optional peer, and says so')
})

t.test('the types resolve for an ES module and a CommonJS file, each with its own entry', async (t) => {
  const typed = `import { startMockServer, type MockServer } from 'koodrive-mock'\nexport const start: () => Promise<MockServer> = () => startMockServer({ env: { MOCK_WORLD: 'strict' } })\n`
  // One program each: a project is one or the other, and both trees in one program declare the
  // same Fastify augmentations twice.
  for (const [file, entry] of [['typed.mts', 'index.d.ts'], ['typed.cts', 'index.d.cts']] as const) {
    writeFileSync(join(project, file), typed)
    writeFileSync(
      join(project, `tsconfig.${file}.json`),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] },
        files: [file],
      }),
    )
    // skipLibCheck off: the shipped declaration files are checked too.
    const tsc = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${file}.json`, '--traceResolution'], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout: string }) => error)
    t.notMatch(tsc.stdout, /error TS/, `${file}: no type errors`)
    t.match(tsc.stdout, new RegExp(`Module name 'koodrive-mock' was successfully resolved to '[^']*/dist/src/${entry.replaceAll('.', '\\.')}'`), `${file} gets ${entry}`)
  }
})
