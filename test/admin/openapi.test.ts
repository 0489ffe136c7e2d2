import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildTestApp } from '../helpers.js'

const committed = readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8')

t.test('schemas/openapi.json is what the routes generate (run npm run openapi after changing a schema)', async (t) => {
  const { app } = await buildTestApp()
  t.teardown(() => app.close())
  t.equal(`${JSON.stringify(app.swagger(), null, 2)}\n`, committed)
})

t.test('the document lists every route of the catalogue with its operationId and error responses', async (t) => {
  const { app } = await buildTestApp()
  t.teardown(() => app.close())
  const document = JSON.parse(committed) as { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> }
  for (const route of app.routeCatalog) {
    const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}')
    for (const method of route.methods) {
      if (method === 'HEAD') continue
      const operation = document.paths[path]?.[method.toLowerCase()]
      t.equal(operation?.operationId, route.operationId, `${method} ${path} has operationId ${route.operationId}`)
      if (path.startsWith('/koodrive/')) t.ok(operation?.responses?.['400'] && operation.responses['401'], `${method} ${path} documents its errors`)
    }
  }
})

t.test('/__admin/openapi.json serves the document and /__admin/docs serves Swagger UI', async (t) => {
  const { app } = await buildTestApp()
  t.teardown(() => app.close())
  const json = await app.inject({ method: 'GET', url: '/__admin/openapi.json' })
  t.equal(json.statusCode, 200)
  t.strictSame(json.json(), JSON.parse(committed))
  const ui = await app.inject({ method: 'GET', url: '/__admin/docs' })
  t.equal(ui.statusCode, 200)
  t.match(ui.body, /Swagger UI/)
  t.match(ui.body, /\/__admin\/docs\/static\/swagger-ui\.css/, 'assets are linked under /__admin/docs')
})

t.test('Swagger UI\'s assets: HEAD announces the length GET sends, and the first visits load the UI once', async (t) => {
  const { app } = await buildTestApp()
  t.teardown(() => app.close())
  const url = '/__admin/docs/static/swagger-ui.css'
  const [first, second] = await Promise.all([app.inject({ method: 'GET', url }), app.inject({ method: 'GET', url })])
  t.equal(first.statusCode, 200)
  t.equal(first.body, second.body, 'two first visits at once get the same asset')
  const head = await app.inject({ method: 'HEAD', url })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], String(first.rawPayload.length))
  t.equal(head.rawPayload.length, 0)
  t.match(head.headers['content-type'], /^text\/css/)
})
