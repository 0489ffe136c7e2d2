import t from 'tap'
import packageJson from '../../package.json' with { type: 'json' }
import { VERSION } from '../../src/version.js'
import { startTestApp } from '../helpers/app.js'

t.test('VERSION is the version in package.json', async (t) => {
  t.equal(VERSION, packageJson.version)
  t.match(VERSION, /^\d+\.\d+\.\d+/)
})

t.test('GET /__admin/health answers 200 with status, version and uptime, and nothing else', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/__admin/health' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = res.json()
  t.strictSame(Object.keys(body), ['status', 'version', 'uptimeS'])
  t.equal(body.status, 'ok')
  t.equal(body.version, packageJson.version)
  t.type(body.uptimeS, 'number')
  t.ok(body.uptimeS >= 0, `uptimeS ${body.uptimeS} >= 0`)
})

t.test('health needs no KooDrive headers and carries a request ID', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/__admin/health', headers: {} })
  t.equal(res.statusCode, 200)
  t.match(res.headers['x-request-id'], /^[0-9a-f]{32}$/)
})

t.test('uptime never goes backwards between calls', async (t) => {
  const { app } = await startTestApp(t)
  const first = (await app.inject({ method: 'GET', url: '/__admin/health' })).json<{ uptimeS: number }>()
  const second = (await app.inject({ method: 'GET', url: '/__admin/health' })).json<{ uptimeS: number }>()
  t.ok(second.uptimeS >= first.uptimeS, `${second.uptimeS} >= ${first.uptimeS}`)
})

t.test('health and ready probes (Docker\'s, once a second) are not logged at info', async (t) => {
  const { app, logs } = await startTestApp(t)
  await app.inject({ method: 'GET', url: '/__admin/health' })
  await app.inject({ method: 'GET', url: '/__admin/ready' })
  await app.inject({ method: 'GET', url: '/__admin/clock' })
  t.strictSame(logs.lines.filter((line) => line.msg === 'request').map((line) => line.url), ['/__admin/clock'], 'only the clock call has a line')
})

t.test('at debug a probe is logged, as the getHealth or getReady operation, at level debug', async (t) => {
  const { app, logs } = await startTestApp(t, { env: { LOG_LEVEL: 'debug' } })
  await app.inject({ method: 'GET', url: '/__admin/health' })
  await app.inject({ method: 'GET', url: '/__admin/ready' })
  const lines = logs.lines.filter((line) => line.msg === 'request')
  t.match(lines, [
    { level: 20, operation: 'getHealth', method: 'GET', url: '/__admin/health', statusCode: 200 },
    { level: 20, operation: 'getReady', method: 'GET', url: '/__admin/ready', statusCode: 200 },
  ])
  t.equal(lines.length, 2)
})
