import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import t from 'tap'
import { announceReady, bannerText, readyFacts } from '../src/banner.js'
import { loadConfig } from '../src/config.js'
import { VERSION } from '../src/version.js'
import { listenLocally, startTestApp } from './helpers/app.js'

const address = (port: number) => ({ address: '0.0.0.0', family: 'IPv4', port }) as AddressInfo

t.test('the facts: the URLs a client and a person need, the world, the seed to replay', async (t) => {
  t.strictSame(readyFacts(loadConfig({ HOST: '0.0.0.0' }), address(8080), 7), {
    version: VERSION,
    variant: 'carrier',
    randomSeed: 7,
    urls: { api: 'http://localhost:8080/koodrive/ose/v1', dashboard: 'http://localhost:8080/__admin/', docs: 'http://localhost:8080/__admin/docs', health: 'http://localhost:8080/__admin/health' },
    world: { seed: 'default', mode: 'lenient' },
  })
  t.match(readyFacts(loadConfig({ MOCK_SEED_FILE: 'worlds/w.json', MOCK_WORLD: 'strict' }), address(1), 7).world, { seed: resolve('worlds/w.json'), mode: 'strict' })
})

t.test('on a terminal: a few lines with the same facts', async (t) => {
  const facts = readyFacts(loadConfig({}), address(3000), 42)
  t.equal(
    bannerText(facts),
    `koodrive-mock ${VERSION} ready (carrier API)\n` +
      '  API       http://127.0.0.1:3000/koodrive/ose/v1\n' +
      '  dashboard http://127.0.0.1:3000/__admin/\n' +
      '  API docs  http://127.0.0.1:3000/__admin/docs\n' +
      '  health    http://127.0.0.1:3000/__admin/health\n' +
      '  world     the built-in default world (lenient)\n' +
      "  replay    MOCK_RANDOM_SEED=42 (or --seed 42) gives this run's IDs again\n",
  )
  t.match(bannerText({ ...facts, world: { seed: '/w.json', mode: 'strict' } }), '\n  world     /w.json (strict)\n')
})

t.test('announceReady: the banner to a terminal, one JSON log line otherwise, nothing when info is off', async (t) => {
  for (const [level, tty, expectBanner, expectLine] of [['info', true, true, false], ['info', false, false, true], ['warn', true, false, false]] as const) {
    const { app, logs } = await startTestApp(t, { env: { LOG_LEVEL: level } })
    const { port } = await listenLocally({ app })
    const written: string[] = []
    announceReady(app, { isTTY: tty, write: (text: string) => written.push(text) })
    t.equal(written.length === 1 && written[0]?.includes(`  API       http://127.0.0.1:${port}/koodrive/ose/v1\n`), expectBanner, `${level}, tty ${tty}: banner`)
    const line = logs.lines.find((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('koodrive-mock ready'))
    t.equal(line !== undefined, expectLine, `${level}, tty ${tty}: JSON line`)
    if (expectLine) t.match(line, { randomSeed: 42, urls: { health: `http://127.0.0.1:${port}/__admin/health` }, msg: `koodrive-mock ready, dashboard at http://127.0.0.1:${port}/__admin/ (set MOCK_RANDOM_SEED=42 to replay this run)` })
  }
})
