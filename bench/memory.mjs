// npm run bench:memory: RSS of the server after BENCH_TASKS task creations (default 1 000 000, issue 6's
// budget), with MOCK_MAX_TASKS as configured (default 100 000: the cap holds memory flat past it),
// then after BENCH_IDLE_S seconds with no traffic (V8 gives memory back when the load stops), and
// the live heap after a full GC at each step (bench/heap-probe.mjs, preloaded).
import autocannon from 'autocannon'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTaskBody, kooDriveHeaders, pinSelfToCpu1, root, rssMb, startServer, stopServer } from './lib.mjs'

pinSelfToCpu1()
const tasks = Number(process.env.BENCH_TASKS ?? 1_000_000)
const idleS = Number(process.env.BENCH_IDLE_S ?? 15)
const probeFile = '/tmp/koodrive-bench-heap.json'
const env = {
  LOG_LEVEL: 'info',
  MOCK_RANDOM_SEED: '1',
  NODE_OPTIONS: `--expose-gc --import=${root}bench/heap-probe.mjs`,
  HEAP_PROBE_FILE: probeFile,
  ...(process.env.MOCK_MAX_TASKS ? { MOCK_MAX_TASKS: process.env.MOCK_MAX_TASKS } : {}),
}
const server = await startServer('dist/server.mjs', env, '/tmp/koodrive-bench-memory.log')

/** The server's heap in use after a full GC, MB. */
async function liveHeapMb() {
  rmSync(probeFile, { force: true })
  server.child.kill('SIGWINCH')
  while (!existsSync(probeFile)) await sleep(10)
  await sleep(10)
  return Math.round(JSON.parse(readFileSync(probeFile, 'utf8')).heapUsed / 1024 / 1024)
}
const before = rssMb(server.child.pid)
const step = Math.ceil(tasks / 4)
const curve = [{ tasks: 0, rssMb: before, liveHeapMb: await liveHeapMb() }]
for (let done = 0; done < tasks; done += step) {
  const amount = Math.min(step, tasks - done)
  const result = await autocannon({
    url: `${server.url}/koodrive/ose/v1/share/tasks`,
    method: 'POST',
    headers: kooDriveHeaders(),
    body: createTaskBody,
    connections: 50,
    amount,
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`)
  curve.push({ tasks: done + amount, rssMb: rssMb(server.child.pid), liveHeapMb: await liveHeapMb() })
}
await new Promise((resolve) => setTimeout(resolve, idleS * 1000))
curve.push({ tasks: `${tasks} + ${idleS} s idle`, rssMb: rssMb(server.child.pid), liveHeapMb: await liveHeapMb() })
await stopServer(server)
console.log(`MOCK_MAX_TASKS=${env.MOCK_MAX_TASKS ?? '100000 (default)'}`)
console.table(curve)
