// node bench/paired.mjs A.mjs B.mjs: two servers under load at the same time, both on CPU 0 (the
// load on CPU 1), so whatever slows the machine slows both: the ratio of their CPU µs per request
// is steady where back-to-back runs on this VM drift by ±15 % within minutes. PAIRED_ROUNDS (3)
// rounds of 8 s, each on fresh servers, 25 connections each. ROUTE_A / ROUTE_B: `tasks` (POST
// share/tasks, the default) or `taskDetail` (polls of 100 tasks); ENV_A / ENV_B: settings as JSON.
// Example: node bench/paired.mjs bench/stub-server.mjs dist/server.mjs
import autocannon from 'autocannon'
import { cpuUs, createTaskBody, kooDriveHeaders, pinSelfToCpu1, startServer, stopServer, taskDetailLoad } from './lib.mjs'

pinSelfToCpu1()
const sides = [
  { script: process.argv[2], route: process.env.ROUTE_A ?? 'tasks', env: JSON.parse(process.env.ENV_A ?? '{}') },
  { script: process.argv[3], route: process.env.ROUTE_B ?? 'tasks', env: JSON.parse(process.env.ENV_B ?? '{}') },
]
if (sides.some((side) => side.script === undefined)) throw new Error('usage: node bench/paired.mjs A.mjs B.mjs')
const label = (side) => `${side.script} ${side.route}${Object.keys(side.env).length > 0 ? ` ${JSON.stringify(side.env)}` : ''}`

const ratios = []
for (let round = 0; round < Number(process.env.PAIRED_ROUNDS ?? 3); round++) {
  const servers = []
  for (const [i, side] of sides.entries()) servers.push(await startServer(side.script, { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...side.env }, `/tmp/koodrive-paired-${i}.log`))
  const loads = await Promise.all(
    servers.map(async (server, i) => ({
      method: 'POST',
      headers: kooDriveHeaders(),
      connections: 25,
      ...(sides[i].route === 'taskDetail' ? await taskDetailLoad(server.url) : { url: `${server.url}/koodrive/ose/v1/share/tasks`, body: createTaskBody }),
    })),
  )
  await Promise.all(loads.map((load) => autocannon({ ...load, duration: 2 })))
  const before = servers.map((server) => cpuUs(server.child.pid))
  const results = await Promise.all(loads.map((load) => autocannon({ ...load, duration: 8 })))
  const us = servers.map((server, i) => (cpuUs(server.child.pid) - before[i]) / results[i].requests.total)
  ratios.push(us[1] / us[0])
  console.log(`round ${round + 1}: A ${us[0].toFixed(1)} µs/req (${results[0].requests.total} requests), B ${us[1].toFixed(1)} µs/req (${results[1].requests.total}); B costs ${(us[1] / us[0]).toFixed(3)}× A`)
  await Promise.all(servers.map(stopServer))
}
ratios.sort((a, b) => a - b)
console.log(`A: ${label(sides[0])}\nB: ${label(sides[1])}\nB's CPU per request over A's, median of ${ratios.length}: ${ratios[Math.floor(ratios.length / 2)].toFixed(3)}`)
