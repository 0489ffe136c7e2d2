// npm run openapi: writes schemas/openapi.json from the routes' TypeBox schemas, and the types the
// typed client is built on (src/client/openapi-types.ts) from it. A test fails when either is
// stale, so run this after changing a route or schema.
import { writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openApiTypes } from './openapi-types.js'

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MOCK_RANDOM_SEED: '1' }))
const document = app.swagger() as unknown as Record<string, unknown>
const target = new URL('../schemas/openapi.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`)
const types = new URL('../src/client/openapi-types.ts', import.meta.url)
writeFileSync(types, await openApiTypes(document))
await app.close()
console.log(`written ${target.pathname} and ${types.pathname}`)
