import { readFileSync } from 'node:fs'
import t from 'tap'
import { ConfigSchema } from '../src/config.js'
import { connectionFaultsDoc } from '../src/faults/effects.js'
import { startTestApp } from './helpers/app.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

t.test('the README opens with the run and test commands', async (t) => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  t.match(firstBlock, /^npm ci && npm start/m)
  t.match(firstBlock, /^npm ci && npm test/m)
})

t.test('the README documents every setting with its default', async (t) => {
  for (const [name, setting] of Object.entries(ConfigSchema.properties)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
    t.ok(row, `${name} has a row`)
    if (setting.default !== undefined) t.match(row, `\`${setting.default}\``, `${name} shows its default`)
  }
})

t.test('the README lists every route with its operationId', async (t) => {
  const { app } = await startTestApp(t)
  t.ok(app.routeCatalog.length >= 10, 'the catalogue holds the routes')
  const hasGet = (url: string) => app.routeCatalog.some((route) => route.url === url && route.methods.includes('GET'))
  for (const route of app.routeCatalog) {
    // Fastify's automatic HEAD beside a GET needs no row of its own.
    if (route.methods.join() === 'HEAD' && hasGet(route.url)) continue
    const path = route.url.replace(/\*$/, '')
    const row = readme.split('\n').find((line) => line.startsWith('| ') && line.includes(`\`${path}`) && line.includes(`\`${route.operationId}\``))
    t.ok(row, `${route.methods.join(',')} ${route.url} (${route.operationId}) has a row`)
    for (const method of route.methods) t.match(row, method, `${route.url} row names ${method}`)
  }
})

t.test('the README\'s connection faults are the effects table\'s, in its words', async (t) => {
  const row = readme.split('\n').find((line) => line.startsWith('| `connection` |'))
  t.equal(row, `| \`connection\` | ${connectionFaultsDoc()} |`)
})
