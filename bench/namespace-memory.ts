// Memory per namespace: the live heap (after a full GC) with N namespaces made from the seed and
// used once, against the server alone. Run: npm run bench:namespaces [-- N]
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

const count = Number(process.argv[2] ?? 1000)
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')
const heapMb = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MOCK_CLOCK: 'manual', MOCK_RANDOM_SEED: '1', MOCK_MAX_NAMESPACES: String(count + 1) }))
await app.inject({ method: 'GET', url: '/__admin/ready' })
const before = heapMb()
for (let i = 0; i < count; i++) await app.inject({ method: 'GET', url: '/__admin/ready', headers: { 'x-mock-namespace': `worker-${i}` } })
const after = heapMb()
console.log(
  JSON.stringify({
    namespaces: app.namespaces.size,
    filesPerWorld: app.emulator.world.files.size,
    heapBeforeMb: Math.round(before * 10) / 10,
    heapAfterMb: Math.round(after * 10) / 10,
    perNamespaceKb: Math.round(((after - before) * 1024) / count),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
)
await app.close()
