// node bench/gc.mjs [server.mjs …]: what each server's garbage collector does under POST share/tasks
// load (50 connections, 6 s after 3 s of warm-up, 127.0.0.1, pinned as the benchmark pins it): bytes
// allocated and promoted to the old generation per request, scavenges and mark-compacts, and the
// main thread's GC pause per second, read from V8's --trace-gc-nvp lines. Steadier than CPU per
// request on this VM, and it says why a change costs: the journal's retention, for one, shows as
// promotion (MOCK_JOURNAL_SIZE=0: ~1 070 → ~400 bytes a request). Default: dist/server.mjs;
// GC_ENV='{"K":"v"}' adds settings.
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { createTaskBody, freePort, hasTaskset, kooDriveHeaders, pinSelfToCpu1 } from './lib.mjs'

pinSelfToCpu1()
const scripts = process.argv.length > 2 ? process.argv.slice(2) : ['dist/server.mjs']
const sum = (text, field) => [...text.matchAll(new RegExp(`${field}=([\\d.]+)`, 'g'))].reduce((total, match) => total + Number(match[1]), 0)

for (const script of scripts) {
  const port = await freePort()
  const args = ['--trace-gc-nvp', script]
  const child = spawn(hasTaskset ? 'taskset' : process.execPath, hasTaskset ? ['-c', '0', process.execPath, ...args] : args, {
    env: { ...process.env, LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', PORT: String(port), HOST: '127.0.0.1', ...JSON.parse(process.env.GC_ENV ?? '{}') },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // The server's own log lines share stdout with V8's; only the GC lines are read.
  let trace = ''
  child.stdout.on('data', (chunk) => (trace += chunk))
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    try {
      await fetch(`${url}/__admin/health`)
      break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  const load = { url: `${url}/koodrive/ose/v1/share/tasks`, method: 'POST', headers: kooDriveHeaders(), body: createTaskBody, connections: 50 }
  await autocannon({ ...load, duration: 3 })
  const from = trace.length
  const seconds = 6
  const result = await autocannon({ ...load, duration: seconds })
  const measured = trace.slice(from)
  const requests = result.requests.total
  console.log(
    `${script}: ${Math.round(sum(measured, 'allocated') / requests)} B allocated and ${Math.round(sum(measured, 'promoted') / requests)} B promoted a request;`,
    `${(measured.match(/gc=s /g) ?? []).length} scavenges, ${(measured.match(/gc=m/g) ?? []).length} mark-compacts;`,
    `GC pause ${(sum(measured, 'pause') / seconds).toFixed(1)} ms/s; ${Math.round(requests / seconds)} req/s`,
  )
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}
