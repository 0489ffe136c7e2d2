// npm run openapi: writes schemas/openapi.json from the routes' TypeBox schemas.
// A test fails when the committed file is stale, so run this after changing a route or schema.
import { writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MOCK_RANDOM_SEED: '1' }))
const target = new URL('../schemas/openapi.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`)
await app.close()
console.log(`written ${target.pathname}`)
