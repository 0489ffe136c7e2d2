// npm run bench: koodrive-mock beside a bare Fastify route, same machine, same run.
// Servers are pinned to CPU 0 and the load generator to CPU 1 when taskset exists.
// Traffic goes to 127.0.0.1 only; each measurement is bounded by BENCH_DURATION_S.
import autocannon from 'autocannon'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const durationS = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const hasTaskset = spawnSync('taskset', ['-V']).status === 0

if (hasTaskset && process.env.BENCH_PINNED !== '1') {
  const child = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  })
  process.exit(child.status ?? 1)
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

async function startServer(script, env, logFile) {
  const port = await freePort()
  const out = openSync(logFile, 'w')
  const args = [script]
  const command = hasTaskset ? 'taskset' : process.execPath
  const child = spawn(command, hasTaskset ? ['-c', '0', process.execPath, ...args] : args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url, { method: 'POST' })
      return { child, url }
    } catch {
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  throw new Error(`${script} did not start; see ${logFile}`)
}

function rssMb(pid) {
  // With taskset the child is taskset's exec'd node: same PID.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
}

const xDate = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
const headers = () => ({
  authorization: 'Bearer bench-token',
  'x-user-id': 'bench-user',
  'x-date': xDate(),
  'x-hw-agentname': 'bench-carrier',
  'content-type': 'application/json',
})
const createBody = JSON.stringify({
  taskType: 2,
  containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: '1689765568237837824',
  targetFileId: { fileId: 'root', containerId: 'IAABh_RdhS8bOg0cA1684711052660690818' },
})

async function measure(name, url, expectStatus = 200) {
  const result = await autocannon({
    url: `${url}/koodrive/ose/v1/share/tasks`,
    method: 'POST',
    headers: headers(),
    body: createBody,
    connections,
    duration: durationS,
  })
  const wrong = result.statusCodeStats ? Object.entries(result.statusCodeStats).filter(([code]) => Number(code) !== expectStatus) : []
  return {
    name,
    requestsPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + wrong.reduce((n, [, s]) => n + s.count, 0),
    total: result.requests.total,
  }
}

mkdirSync(`${root}/bench/results`, { recursive: true })
const rows = []

const bare = await startServer('bench/bare-server.mjs', {}, '/tmp/koodrive-bench-bare.log')
await measure('warm-up', bare.url)
const bareRow = await measure('bare Fastify route (fixed body)', bare.url)
bareRow.rssMb = Math.round(rssMb(bare.child.pid))
bare.child.kill('SIGTERM')
rows.push(bareRow)

const mock = await startServer('dist/src/server.js', { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1' }, '/tmp/koodrive-bench-mock.log')
await measure('warm-up', mock.url)
const mockRow = await measure('koodrive-mock POST share/tasks', mock.url)
mockRow.rssMb = Math.round(rssMb(mock.child.pid))
mock.child.kill('SIGTERM')
rows.push(mockRow)

for (const row of rows) row.vsBare = `${Math.round((row.requestsPerS / bareRow.requestsPerS) * 100)} %`

const meta = { date: new Date().toISOString(), node: process.version, durationS, connections, pinned: hasTaskset }
console.log(`bench: ${connections} connections, ${durationS} s each, node ${process.version}, pinned: ${hasTaskset}`)
console.table(rows.map(({ name, requestsPerS, p50Ms, p99Ms, errors, rssMb: rss, vsBare }) => ({ name, 'req/s': requestsPerS, 'p50 ms': p50Ms, 'p99 ms': p99Ms, errors, 'RSS MB': rss, 'vs bare': vsBare })))
const file = `${root}/bench/results/${meta.date.replace(/[:.]/g, '-')}.json`
writeFileSync(file, JSON.stringify({ meta, rows }, null, 2) + '\n')
console.log(`written: ${file}`)
