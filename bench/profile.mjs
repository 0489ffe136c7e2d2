// npm run bench:profile [script]: where a server's CPU goes under POST share/tasks load
// (PROFILE_ROUTE=taskDetail: polls of share/taskDetail instead) (PROFILE_S
// seconds, default 8, 127.0.0.1 only). Runs it with --cpu-prof, pinned as the benchmark pins it, and
// prints self time by source file and by function, and inclusive time by function; the
// .cpuprofile stays in /tmp/koodrive-profile for a flame graph (Chrome DevTools, speedscope).
// Profile dist/src/server.js (the unbundled build) to see file names; PROFILE_ENV='{"K":"v"}' adds settings.
import autocannon from 'autocannon'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createTaskBody, kooDriveHeaders, pinSelfToCpu1, startServer, stopServer, taskDetailLoad } from './lib.mjs'

pinSelfToCpu1()
const script = process.argv[2] ?? 'dist/src/server.js'
const top = Number(process.env.PROFILE_TOP ?? 40)
const dir = '/tmp/koodrive-profile'
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir)
const server = await startServer(script, { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...JSON.parse(process.env.PROFILE_ENV ?? '{}') }, `${dir}/server.log`, ['--cpu-prof', `--cpu-prof-dir=${dir}`])
const url = server.url
const load = { method: 'POST', headers: kooDriveHeaders(), connections: 50, duration: Number(process.env.PROFILE_S ?? 8) }
let result
if (process.env.PROFILE_ROUTE === 'taskDetail') {
  result = await autocannon({ ...load, ...(await taskDetailLoad(url)) })
} else {
  result = await autocannon({ ...load, url: `${url}/koodrive/ose/v1/share/tasks`, body: createTaskBody })
}
console.log(`${script}: ${Math.round(result.requests.average)} req/s while profiled, ${result.non2xx} non-2xx`)
await stopServer(server)

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
const samplesOf = new Map()
for (const id of profile.samples) samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1)

const shortUrl = (url) => url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|bench)\//, '$1/')
const functionOf = (node) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
/** A package, one of our files, a Node internal module, or V8's own work (GC, idle, native calls). */
const fileOf = (node) => {
  const url = node.callFrame.url
  if (url === '') return `(v8) ${node.callFrame.functionName}`
  if (url.includes('node_modules/')) return url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')
  return shortUrl(url)
}
const add = (map, key, count) => map.set(key, (map.get(key) ?? 0) + count)
const selfByFile = new Map()
const selfByFunction = new Map()
const inclusive = new Map()
for (const [id, count] of samplesOf) {
  const node = nodes.get(id)
  add(selfByFile, fileOf(node), count)
  add(selfByFunction, functionOf(node), count)
  const seen = new Set()
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const name = functionOf(nodes.get(at))
    if (!seen.has(name)) add(inclusive, name, count)
    seen.add(name)
  }
}
const total = profile.samples.length
const table = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => `${((count / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n')
console.log(`--- self time by file\n${table(selfByFile)}\n--- self time by function\n${table(selfByFunction)}\n--- inclusive time by function (callbacks continue the pipeline: inclusive includes what runs after)\n${table(inclusive)}`)
console.log(`profile: ${dir}/${file}`)
