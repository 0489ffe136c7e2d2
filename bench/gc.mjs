// node bench/gc.mjs [server.mjs …]: what each server's garbage collector does under POST share/tasks
// load (50 connections, 6 s after 3 s of warm-up, 127.0.0.1, pinned as the benchmark pins it): bytes
// allocated and promoted to the old generation per request, scavenges and mark-compacts, and the
// main thread's GC pause per second, read from V8's --trace-gc-nvp lines. Steadier than CPU per
// request on this VM, and it says why a change costs: the journal's retention, for one, shows as
// promotion (MOCK_JOURNAL_SIZE=0: ~1 070 → ~400 bytes a request). Default: dist/server.mjs;
// GC_ENV='{"K":"v"}' adds settings.
import autocannon from 'autocannon'
import { readFileSync, statSync } from 'node:fs'
import { createTaskBody, kooDriveHeaders, pinSelfToCpu1, startServer, stopServer } from './lib.mjs'

pinSelfToCpu1()
const scripts = process.argv.length > 2 ? process.argv.slice(2) : ['dist/server.mjs']
const sum = (text, field) => [...text.matchAll(new RegExp(`${field}=([\\d.]+)`, 'g'))].reduce((total, match) => total + Number(match[1]), 0)

const logFile = '/tmp/koodrive-gc.log'
for (const script of scripts) {
  // V8's GC lines go to stdout, into the log file beside the server's own lines; only they are read.
  const server = await startServer(script, { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...JSON.parse(process.env.GC_ENV ?? '{}') }, logFile, ['--trace-gc-nvp'])
  const load = { url: `${server.url}/koodrive/ose/v1/share/tasks`, method: 'POST', headers: kooDriveHeaders(), body: createTaskBody, connections: 50 }
  await autocannon({ ...load, duration: 3 })
  const from = statSync(logFile).size
  const seconds = 6
  const result = await autocannon({ ...load, duration: seconds })
  const measured = readFileSync(logFile).subarray(from).toString('latin1')
  const requests = result.requests.total
  console.log(
    `${script}: ${Math.round(sum(measured, 'allocated') / requests)} B allocated and ${Math.round(sum(measured, 'promoted') / requests)} B promoted a request;`,
    `${(measured.match(/gc=s /g) ?? []).length} scavenges, ${(measured.match(/gc=m/g) ?? []).length} mark-compacts;`,
    `GC pause ${(sum(measured, 'pause') / seconds).toFixed(1)} ms/s; ${Math.round(requests / seconds)} req/s`,
  )
  await stopServer(server)
}
