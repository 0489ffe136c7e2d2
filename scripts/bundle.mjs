// npm run build, second step: dist/server.mjs, the server as one ES module, so a start parses one
// file instead of resolving and loading ~150 modules. Swagger UI stays a package: it reads its
// static files from its own folder; pino-pretty stays one too: it is loaded only for a terminal.
import { cpSync } from 'node:fs'
import { build } from 'esbuild'

// The dashboard's page files, which tsc does not copy: dist/src/dashboard/assets.js and the bundle both find them there.
cpSync('src/dashboard/public', 'dist/src/dashboard/public', { recursive: true })

await build({
  entryPoints: ['dist/src/server.js'],
  outfile: 'dist/server.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@fastify/swagger-ui', 'pino-pretty'],
  // CommonJS dependencies inside an ES module still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
})
