import SwaggerParser from '@apidevtools/swagger-parser'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { X_DATE_EXAMPLE } from '../../schemas/koodrive-headers.js'
import { documentedRoute, fillXDate, withSchemaExamplesAsExample } from '../../src/admin/api-docs.js'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { startTestApp } from '../helpers/app.js'

const committed = readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8')

interface OpenApiOperation {
  parameters?: { in: string; name: string; required: boolean }[]
  security?: unknown
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, unknown>
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
}

t.test('schemas/openapi.json is what the routes generate (run npm run openapi after changing a schema)', async (t) => {
  const { app } = await startTestApp(t)
  t.equal(`${JSON.stringify(app.swagger(), null, 2)}\n`, committed)
})

t.test('the document lists every route of the catalogue with its operationId and error responses', async (t) => {
  const { app } = await startTestApp(t)
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
  const { app } = await startTestApp(t)
  const json = await app.inject({ method: 'GET', url: '/__admin/openapi.json' })
  t.equal(json.statusCode, 200)
  t.strictSame(json.json(), JSON.parse(committed))
  const ui = await app.inject({ method: 'GET', url: '/__admin/docs' })
  t.equal(ui.statusCode, 200)
  t.match(ui.body, /Swagger UI/)
  t.match(ui.body, /\/__admin\/docs\/static\/swagger-ui\.css/, 'assets are linked under /__admin/docs')
})

t.test('Swagger UI\'s assets: HEAD announces the length GET sends, and the first visits load the UI once', async (t) => {
  const { app } = await startTestApp(t)
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

t.test('the document is valid OpenAPI 3.0 (swagger-parser), for each variant and with an admin token', async (t) => {
  for (const env of [{}, { MOCK_API_VARIANT: 'enterprise' }, { MOCK_ADMIN_TOKEN: 'secret' }] as Record<string, string>[]) {
    const { app } = await startTestApp(t, { env })
    // validate() dereferences the object it is given: a copy keeps the app's own intact.
    await t.resolves(SwaggerParser.validate(structuredClone(app.swagger()) as never), `valid with ${JSON.stringify(env)}`)
  }
  await t.resolves(SwaggerParser.validate(JSON.parse(committed) as never), 'the committed schemas/openapi.json is valid')
})

t.test('the validator refuses an invalid document: a tuple (items as a list), as latencyMs once was', async (t) => {
  const document = JSON.parse(committed) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> }
  const addFault = document.paths['/__admin/faults']?.post?.requestBody.content['application/json']?.schema as { properties: Record<string, unknown> }
  addFault.properties.latencyMs = { type: 'array', items: [{ type: 'integer' }, { type: 'integer' }], additionalItems: false }
  await t.rejects(SwaggerParser.validate(document as never), /Swagger schema validation failed[\s\S]*latencyMs/)
})

t.test('KooDrive operations declare their headers, both security schemes and every status they can send', async (t) => {
  const document = JSON.parse(committed) as OpenApiDocument
  const carrier = document.paths['/koodrive/ose/v1/share/tasks']?.post as OpenApiOperation
  t.strictSame(
    carrier.parameters?.map((p) => [p.in, p.name, p.required]),
    [['header', 'X-User-Id', true], ['header', 'X-Date', true], ['header', 'X-Hw-Agentname', true], ['header', 'Host', false], ['header', 'X-Mock-Namespace', false], ['header', 'X-Traceid', false]],
  )
  t.strictSame(carrier.security, [{ bearer: [] }, { hmacApp: [] }])
  t.strictSame(Object.keys(carrier.responses), ['200', '400', '401', '404', '413', '429', '500', '502', '504', 'default'])
  const { app } = await startTestApp(t, { env: { MOCK_API_VARIANT: 'enterprise' } })
  const enterprise = (app.swagger() as unknown as OpenApiDocument).paths['/koodrive/ose/v1/share/tasks']?.post as OpenApiOperation
  t.strictSame(enterprise.parameters?.filter((p) => p.required).map((p) => p.name), ['X-User-Id', 'X-Date', 'Host'], 'the enterprise variant requires Host, not X-Hw-Agentname')
})

t.test('the public family is documented with no security, only X-Hw-Agentname, its twin\'s body and examples; issueToken too', async (t) => {
  const document = JSON.parse(committed) as OpenApiDocument & { paths: Record<string, Record<string, OpenApiOperation & { description?: string; requestBody?: { content: Record<string, { schema: unknown; examples?: unknown }> } }>> }
  const tasks = document.paths['/koodrive/ose/v1/share/public/tasks']?.post
  t.strictSame(tasks?.parameters?.map((p) => [p.in, p.name, p.required]), [['header', 'X-Hw-Agentname', true], ['header', 'X-Traceid', false]])
  t.strictSame(tasks?.security, [], 'no Authorization')
  t.match(tasks?.description, /MOCK_PUBLIC_SHARES=true[\s\S]*anonymous/)
  t.strictSame(tasks?.requestBody, document.paths['/koodrive/ose/v1/share/tasks']?.post?.requestBody, "the authenticated twin's documented body (its oneOf) and examples")
  for (const name of ['userInfo', 'verify', 'files', 'tasks', 'taskDetail', 'download']) {
    const operations = document.paths[`/koodrive/ose/v1/share/public/${name}`] as Record<string, OpenApiOperation>
    const operation = Object.values(operations)[0] as OpenApiOperation
    t.ok(operation.responses['404'], `${name} documents its 404 (the family off)`)
  }
  const issue = document.paths['/__admin/tokens']?.post
  t.strictSame(Object.keys(issue?.responses ?? {}), ['201', '400', '401', '403', '413', '429', '500'])
})

t.test('createShareTask documents its taskType rules as a oneOf: zipName for 1, targetFileId for 2', async (t) => {
  const document = JSON.parse(committed) as OpenApiDocument
  const schema = document.paths['/koodrive/ose/v1/share/tasks']?.post?.requestBody?.content['application/json']?.schema as { oneOf: { required: string[]; properties: { taskType: unknown } }[] }
  t.strictSame(schema.oneOf.map((variant) => [variant.properties.taskType, variant.required.filter((name) => name === 'zipName' || name === 'targetFileId')]), [
    [{ type: 'integer', description: '1: package download (zip)', enum: [1] }, ['zipName']],
    [{ type: 'integer', description: '2: dump, a copy into the caller\'s own space', enum: [2] }, ['targetFileId']],
  ])
})

t.test('Swagger UI\'s request interceptor: the documented X-Date example (or none) becomes now, a typed one is kept', async (t) => {
  const now = formatXDate(Date.now()).slice(0, 11)
  const example = fillXDate({ headers: { 'X-Date': X_DATE_EXAMPLE, 'X-User-Id': 'ann' } })
  t.match(example.headers['X-Date'], new RegExp(`^${now}\\d{4}Z$`), 'the example became the current time')
  t.equal(example.headers['X-User-Id'], 'ann', 'other headers stay')
  t.match(fillXDate({ headers: { 'x-date': '' } }).headers['x-date'], /^\d{8}T\d{6}Z$/, 'an empty one too, in any case')
  t.equal(fillXDate({ headers: { 'X-Date': '20200101T000000Z' } }).headers['X-Date'], '20200101T000000Z', 'a typed one is sent as typed')
  const { app } = await startTestApp(t)
  const ui = await app.inject({ method: 'GET', url: '/__admin/docs/static/swagger-initializer.js' })
  t.match(ui.body, /requestInterceptor/, 'the page is given the interceptor')
  t.match(ui.body, X_DATE_EXAMPLE, 'with the documented example written out in it')
})

t.test('documentedRoute: a route with no schema or operationId is left as it is, but for its tag', async (t) => {
  const config = { MOCK_API_VARIANT: 'carrier', MOCK_ADMIN_TOKEN: undefined } as const
  t.strictSame(documentedRoute({}, '/elsewhere', config), { tags: ['koodrive'] })
  t.strictSame(documentedRoute({ body: { type: 'object' } }, '/elsewhere', config), { body: { type: 'object' }, tags: ['koodrive'] }, 'a body without examples stays as it is')
})

t.test('schema examples become example everywhere; an example already there wins', async (t) => {
  t.strictSame(withSchemaExamplesAsExample({ oneOf: [{ type: 'string', examples: ['a', 'b'] }, { type: 'integer', example: 1, examples: [2] }] }), {
    oneOf: [{ type: 'string', example: 'a' }, { type: 'integer', example: 1 }],
  })
  t.strictSame(withSchemaExamplesAsExample({ content: { 'application/json': { examples: { one: { value: 1 } } } } }), { content: { 'application/json': { examples: { one: { value: 1 } } } } }, 'a media type\'s examples map stays')
})
