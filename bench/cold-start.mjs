// node bench/cold-start.mjs [A.mjs B.mjs …]: spawn → first health answer of each server script,
// COLD_STARTS (7) times each, alternated so this VM's drift hits every script alike; prints each
// one's median and all its starts. Default: dist/server.mjs. COLD_ENV='{"K":"v"}' adds settings.
import { startServer, stopServer } from './lib.mjs'

const scripts = process.argv.length > 2 ? process.argv.slice(2) : ['dist/server.mjs']
const rounds = Number(process.env.COLD_STARTS ?? 7)
const env = { LOG_LEVEL: 'info', ...JSON.parse(process.env.COLD_ENV ?? '{}') }
const starts = new Map(scripts.map((script) => [script, []]))
for (let round = 0; round < rounds; round++) {
  for (const script of scripts) {
    const server = await startServer(script, env, '/tmp/koodrive-cold-start.log')
    starts.get(script).push(Math.round(server.startMs))
    await stopServer(server)
  }
}
for (const [script, ms] of starts) console.log(`${script}: median ${[...ms].sort((a, b) => a - b)[ms.length >> 1]} ms (${ms.join(' ')})`)
