// npm run soak: the built server under a mixed load for SOAK_DURATION_S seconds (default 180),
// with small caps (MOCK_MAX_TASKS=20000, MOCK_JOURNAL_SIZE=1000), its RSS sampled every
// SOAK_SAMPLE_S seconds (default 10). Past the caps, memory should stay flat: the table shows
// RSS at the start, when the task cap was first reached, and at the end.
// Traffic goes to 127.0.0.1 only; the run stops by itself. Not part of CI.
//
//   SOAK_DURATION_S   how long the load runs (default 180)
//   SOAK_SAMPLE_S     seconds between RSS samples (default 10)
//   SOAK_CONNECTIONS  keep-alive connections, one request in flight on each (default 32)
//   SOAK_LOG_LEVEL    the server's LOG_LEVEL (default warn: a request line each would fill the log file)
import { Agent, request } from 'node:http'
import { kooDriveHeaders, pinSelfToCpu1, rssMb, startServer, stopServer, VENDOR_SHARE, VENDOR_SPACE } from './lib.mjs'

pinSelfToCpu1()
const durationS = Number(process.env.SOAK_DURATION_S ?? 180)
const sampleS = Number(process.env.SOAK_SAMPLE_S ?? 10)
const connections = Number(process.env.SOAK_CONNECTIONS ?? 32)
const MAX_TASKS = 20_000
const JOURNAL_SIZE = 1_000
if (!(durationS > 0) || !(sampleS > 0) || !(connections > 0)) throw new Error('SOAK_DURATION_S, SOAK_SAMPLE_S and SOAK_CONNECTIONS must be positive numbers')

const env = {
  LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'warn',
  MOCK_RANDOM_SEED: '1',
  MOCK_MAX_TASKS: String(MAX_TASKS),
  MOCK_JOURNAL_SIZE: String(JOURNAL_SIZE),
}
const logFile = '/tmp/koodrive-soak.log'
const server = await startServer('dist/server.mjs', env, logFile)
const { hostname, port } = new URL(server.url)
if (hostname !== '127.0.0.1') throw new Error(`the soak only talks to 127.0.0.1, not ${hostname}`)
// Never run past the deadline, whatever hangs: stop the server and leave.
const hardStop = setTimeout(() => {
  console.error(`soak: still running ${durationS + 60} s after the start; stopping`)
  server.child.kill('SIGKILL')
  process.exit(1)
}, (durationS + 60) * 1000)
hardStop.unref()

const agent = new Agent({ keepAlive: true, maxSockets: connections })

/** One POST; resolves with the status and the parsed body (or undefined when it is not JSON). */
function post(path, body) {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/koodrive/ose/v1/${path}`, method: 'POST', agent, headers: { ...kooDriveHeaders(), 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('end', () => {
          let parsed
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString())
          } catch {
            parsed = undefined
          }
          resolve({ status: res.statusCode, body: parsed })
        })
        res.on('error', reject)
      },
    )
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end(payload)
  })
}

const CONTRACTS = { shortUrl: '1983286579505944677', extractCode: '31945314' }
const VENDOR_SHORT_URL = '1822239307136816339'
const VENDOR_FILE = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'

const stats = { requests: 0, created: 0, failed: 0, byOperation: { createShareTask: 0, getShareTaskDetail: 0, listShareFiles: 0, verifyShare: 0 } }
const failures = new Map()
/** The most recent task IDs, for taskDetail (they are well inside the cap, so they still exist). */
const recent = []
let capReached

/** The mix: 40 % create, 30 % taskDetail of a recent task, 20 % share/files, 10 % share/verify. */
async function oneRequest(i) {
  const pick = i % 10
  let operation
  let result
  if (pick < 4 || recent.length === 0) {
    operation = 'createShareTask'
    result = await post('share/tasks', { taskType: 1, containerId: VENDOR_SPACE, fileIds: [VENDOR_FILE], shareId: VENDOR_SHARE, zipName: `soak-${i}.zip` })
    if (result.status === 200) {
      stats.created += 1
      recent.push(result.body.taskId)
      if (recent.length > 1_000) recent.shift()
      if (stats.created === MAX_TASKS) capReached = { atS: elapsedS(), requests: stats.requests + 1, rssMb: rssMb(server.child.pid) }
    }
  } else if (pick < 7) {
    operation = 'getShareTaskDetail'
    result = await post('share/taskDetail', { taskId: recent[(i * 7919) % recent.length], shareId: VENDOR_SHARE })
  } else if (pick < 9) {
    operation = 'listShareFiles'
    result = await post('share/files', { shortUrl: VENDOR_SHORT_URL, pageSize: 10 })
  } else {
    operation = 'verifyShare'
    result = await post('share/verify', CONTRACTS)
  }
  stats.requests += 1
  stats.byOperation[operation] += 1
  if (result.status !== 200) {
    stats.failed += 1
    const key = `${operation} ${result.status} ${JSON.stringify(result.body)?.slice(0, 120)}`
    failures.set(key, (failures.get(key) ?? 0) + 1)
  }
}

const startedAt = performance.now()
const elapsedS = () => (performance.now() - startedAt) / 1000
const startRssMb = rssMb(server.child.pid)
const samples = [{ t_s: 0, requests: 0, created: 0, rss_mb: startRssMb }]
let counter = 0
let stopping = false

async function worker() {
  while (!stopping) {
    try {
      await oneRequest(counter++)
    } catch (error) {
      stats.failed += 1
      failures.set(`transport ${error.message}`, (failures.get(`transport ${error.message}`) ?? 0) + 1)
    }
  }
}

const sampler = setInterval(() => {
  samples.push({ t_s: Math.round(elapsedS()), requests: stats.requests, created: stats.created, rss_mb: rssMb(server.child.pid) })
}, sampleS * 1000)
const stopTimer = setTimeout(() => {
  stopping = true
}, durationS * 1000)

console.log(`soak: ${durationS} s of mixed load on ${connections} keep-alive connections, MOCK_MAX_TASKS=${MAX_TASKS}, MOCK_JOURNAL_SIZE=${JOURNAL_SIZE}, RSS every ${sampleS} s`)
await Promise.all(Array.from({ length: connections }, worker))
clearInterval(sampler)
clearTimeout(stopTimer)
const endRssMb = rssMb(server.child.pid)
const totalS = elapsedS()
if (samples.at(-1).t_s !== Math.round(totalS)) samples.push({ t_s: Math.round(totalS), requests: stats.requests, created: stats.created, rss_mb: endRssMb })
const ready = await (await fetch(`${server.url}/__admin/ready`)).json()
agent.destroy()
await stopServer(server)

console.table(samples)
console.log(`requests: ${stats.requests} in ${totalS.toFixed(1)} s (${Math.round(stats.requests / totalS)}/s), failed: ${stats.failed}`)
console.log(`by operation: ${Object.entries(stats.byOperation).map(([name, n]) => `${name} ${n}`).join(', ')}`)
console.log(`tasks created: ${stats.created}; held by the server at the end: ${ready.tasks} (cap ${MAX_TASKS})`)
for (const [failure, count] of failures) console.log(`  failure ×${count}: ${failure}`)
console.log(`start RSS: ${startRssMb} MB`)
if (capReached === undefined) {
  console.log(`the task cap (${MAX_TASKS}) was not reached: run longer (SOAK_DURATION_S) to see memory past it`)
  console.log(`end RSS: ${endRssMb} MB (growth since start: ${endRssMb - startRssMb} MB)`)
} else {
  console.log(`RSS when the caps were first reached: ${capReached.rssMb} MB (at ${capReached.atS.toFixed(1)} s, ${capReached.requests} requests)`)
  console.log(`end RSS: ${endRssMb} MB`)
  console.log(`growth between caps reached and end: ${endRssMb - capReached.rssMb} MB over ${(totalS - capReached.atS).toFixed(1)} s`)
}
console.log(`server log: ${logFile}`)
