// npm run bench: koodrive-mock beside a bare Fastify route and a hand-written stub, same machine, same run.
// Servers are pinned to CPU 0 and the load generator to CPU 1 when taskset exists.
// Traffic goes to 127.0.0.1 only; each measurement is bounded by BENCH_DURATION_S.
import autocannon from 'autocannon'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpuUs, createTaskBody, hasTaskset, kooDriveHeaders, pinSelfToCpu1, root, rssMb, startServer, stopServer, taskDetailLoad } from './lib.mjs'

pinSelfToCpu1()
const durationS = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const coldStarts = Number(process.env.BENCH_COLD_STARTS ?? 5)

/** One measured run against `server`: throughput, latency, and the server's CPU time per request. */
async function load(server, path, body, extra = {}) {
  const cpuBefore = cpuUs(server.child.pid)
  const result = await autocannon({
    url: `${server.url}${path}`,
    method: 'POST',
    headers: kooDriveHeaders(),
    body,
    connections,
    duration: durationS,
    ...extra,
  })
  const non2xx = result.non2xx ?? 0
  const cpuPerRequestUs = Math.round((cpuUs(server.child.pid) - cpuBefore) / Math.max(1, result.requests.total))
  return {
    cpuUsPerRequest: cpuPerRequestUs,
    requestsPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + non2xx,
    total: result.requests.total,
  }
}

const rows = []
const serverEnv = { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1' }

// Bare Fastify: the ceiling of Fastify's request path on this machine.
const bare = await startServer('bench/bare-server.mjs', {}, '/tmp/koodrive-bench-bare.log')
await load(bare, '/koodrive/ose/v1/share/tasks', createTaskBody, { duration: 2 })
rows.push({ name: 'bare Fastify route, fixed body', ...(await load(bare, '/koodrive/ose/v1/share/tasks', createTaskBody)), rssMb: rssMb(bare.child.pid) })
await stopServer(bare)

/** POST share/tasks, then POST share/taskDetail on tasks it made, on one server; `inNamespace` adds creates in a namespace of their own. */
async function createThenDetail(label, script, env, logFile, { inNamespace = false } = {}) {
  const server = await startServer(script, env, logFile)
  await load(server, '/koodrive/ose/v1/share/tasks', createTaskBody, { duration: 2 })
  rows.push({ name: `${label} POST share/tasks`, ...(await load(server, '/koodrive/ose/v1/share/tasks', createTaskBody)), rssMb: rssMb(server.child.pid) })
  if (inNamespace) {
    const headers = { ...kooDriveHeaders(), 'x-mock-namespace': 'bench-worker' }
    rows.push({ name: `${label} POST share/tasks, X-Mock-Namespace`, ...(await load(server, '/koodrive/ose/v1/share/tasks', createTaskBody, { headers })), rssMb: rssMb(server.child.pid) })
  }
  rows.push({ name: `${label} POST share/taskDetail`, ...(await load(server, '', '', await taskDetailLoad(server.url))), rssMb: rssMb(server.child.pid) })
  await stopServer(server)
}

// The peer a user weighs the emulator against: the stub they would write themselves.
await createThenDetail('hand-written stub', 'bench/stub-server.mjs', {}, '/tmp/koodrive-bench-stub.log')
await createThenDetail('koodrive-mock', 'dist/server.mjs', serverEnv, '/tmp/koodrive-bench-mock.log', { inNamespace: true })
// BENCH_BASELINE=<another build's dist/server.mjs>: that build too, in the same run, to measure a change's cost.
if (process.env.BENCH_BASELINE) await createThenDetail('baseline', process.env.BENCH_BASELINE, serverEnv, '/tmp/koodrive-bench-baseline.log')

const stubCreate = rows.find((row) => row.name === 'hand-written stub POST share/tasks')
for (const row of rows) {
  row.vsBare = `${Math.round((row.requestsPerS / rows[0].requestsPerS) * 100)} %`
  row.vsStub = `${(row.requestsPerS / stubCreate.requestsPerS).toFixed(2)}×`
}

// Cold start: spawn to first successful response, median of BENCH_COLD_STARTS.
const starts = []
for (let i = 0; i < coldStarts; i++) {
  const server = await startServer('dist/server.mjs', serverEnv, '/tmp/koodrive-bench-cold.log')
  starts.push(server.startMs)
  await stopServer(server)
}
starts.sort((a, b) => a - b)
const coldStartMs = Math.round(starts[Math.floor(starts.length / 2)])

const meta = { date: new Date().toISOString(), node: process.version, durationS, connections, pinned: hasTaskset, coldStartMs, baseline: process.env.BENCH_BASELINE }
console.log(`bench: ${connections} connections, ${durationS} s each, node ${process.version}, pinned: ${hasTaskset}`)
console.table(
  rows.map((r) => ({ name: r.name, 'req/s': r.requestsPerS, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'CPU µs/req': r.cpuUsPerRequest, errors: r.errors, 'RSS MB': r.rssMb, 'vs bare': r.vsBare, 'vs stub create': r.vsStub })),
)
console.log(`cold start (spawn → first 200, median of ${coldStarts}): ${coldStartMs} ms`)
mkdirSync(`${root}/bench/results`, { recursive: true })
const file = `${root}/bench/results/${meta.date.replace(/[:.]/g, '-')}.json`
writeFileSync(file, JSON.stringify({ meta, rows }, null, 2) + '\n')
console.log(`written: ${file}`)
