// node bench/variants.mjs '{"name":{"ENV":"value"},…}': throughput of the built server under several
// environments, one after another (5 s each, 127.0.0.1): what a setting costs, by requests/s and by
// the server's CPU µs per request. A variant's BENCH_SCRIPT runs another build (e.g. the one before a
// change) instead of dist/server.mjs; list such pairs alternately, runs drift with the machine.
// BENCH_ROUTE=taskDetail loads polls of share/taskDetail instead of POST share/tasks.
import autocannon from 'autocannon'
import { cpuUs, createTaskBody, kooDriveHeaders, pinSelfToCpu1, startServer, stopServer, taskDetailLoad } from './lib.mjs'

pinSelfToCpu1()
const variants = JSON.parse(process.argv[2])
const route = process.env.BENCH_ROUTE ?? 'tasks'
for (const [name, { BENCH_SCRIPT: script = 'dist/server.mjs', ...env }] of Object.entries(variants)) {
  const s = await startServer(script, { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...env }, '/tmp/qb.log')
  const target = route === 'taskDetail' ? await taskDetailLoad(s.url) : { url: `${s.url}/koodrive/ose/v1/share/tasks`, body: createTaskBody }
  const options = { method: 'POST', headers: kooDriveHeaders(), connections: 50, ...target }
  await autocannon({ ...options, duration: 2 })
  const cpuBefore = cpuUs(s.child.pid)
  const r = await autocannon({ ...options, duration: 5 })
  const cpuPerRequest = Math.round((cpuUs(s.child.pid) - cpuBefore) / Math.max(1, r.requests.total))
  console.log(name.padEnd(20), Math.round(r.requests.average), 'req/s', cpuPerRequest, 'µs CPU/req, p99', r.latency.p99, 'ms, non2xx', r.non2xx)
  await stopServer(s)
}
