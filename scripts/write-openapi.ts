// npm run openapi: writes every file generated from the TypeBox schemas: schemas/openapi.json from
// the routes, the types the typed client is built on (src/client/openapi-types.ts) from it, and the
// JSON Schema files of seeds and fault rules (schemas/*.schema.json). A test fails when any is
// stale, so run this after changing a route or schema.
import { writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { jsonSchemaFiles } from './json-schemas.js'
import { openApiTypes } from './openapi-types.js'

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MOCK_RANDOM_SEED: '1' }))
const document = app.swagger() as unknown as Record<string, unknown>
const target = new URL('../schemas/openapi.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`)
const types = new URL('../src/client/openapi-types.ts', import.meta.url)
writeFileSync(types, await openApiTypes(document))
await app.close()
const schemaFiles = Object.entries(jsonSchemaFiles()).map(([name, text]) => {
  const file = new URL(`../schemas/${name}`, import.meta.url)
  writeFileSync(file, text)
  return file.pathname
})
console.log(`written ${[target.pathname, types.pathname, ...schemaFiles].join(', ')}`)
