// node scripts/warm-compile-cache.mjs DIR: starts the built server once with NODE_COMPILE_CACHE=DIR,
// waits for its first health answer and stops it, so DIR holds the bundle's compiled code
// (src/code-cached-bundle.ts). The image runs it at build time: a container's first start then
// reads compiled code instead of compiling the bundle.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

const dir = process.argv[2]
if (dir === undefined) throw new Error('usage: node scripts/warm-compile-cache.mjs DIR')
mkdirSync(dir, { recursive: true })

const probe = createServer().listen(0, '127.0.0.1')
await once(probe, 'listening')
const { port } = probe.address()
probe.close()

const server = spawn(process.execPath, ['dist/server.mjs'], {
  env: { ...process.env, NODE_COMPILE_CACHE: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  stdio: 'inherit',
})
const exited = once(server, 'exit')
for (let attempt = 0; ; attempt++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/__admin/health`)).ok) break
  } catch (error) {
    if (attempt === 500) throw error
  }
  await sleep(20)
}
server.kill('SIGTERM')
const [code] = await exited
if (code !== 0) throw new Error(`the server exited with ${code}`)
// A cache that was not kept would only make every container compile again: say so at build time.
if (!readdirSync(dir).some((name) => name.startsWith('koodrive-mock-') && name.endsWith('.bin'))) throw new Error(`no compiled bundle was kept in ${dir}`)
