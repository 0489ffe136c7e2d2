import { mkdirSync, writeFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import type { App } from '../../src/app.js'
import { ResponseContract, type OpenApiDocument } from './response-contract.js'

/**
 * The test suite's check that every answer a test receives is one the OpenAPI document describes:
 * an onSend hook, installed by the shared helpers through buildApp's `instrument`, that hands each
 * answer to the ResponseContract. A mismatch fails the test process (exit code 1, listed on stderr);
 * the counts go to .tap/response-validation/, which test/support/after.mjs sums up.
 */

/** Routes the document leaves out on purpose: the docs' own pages and files, and CORS preflights. */
const EXEMPT_ROUTES = new Set(['/__admin/openapi.json', '/__admin/docs', '/__admin/docs/*', '*'])

const COUNT_DIRECTORY = new URL('../../.tap/response-validation/', import.meta.url)

const stats = { validated: 0, exempt: 0, problems: [] as string[] }
let reportsAtExit = false

/** One contract per kind of document: it depends on the variant and on whether an admin token is set. */
const contracts = new Map<string, ResponseContract>()
function contractOf(app: App): ResponseContract {
  const key = `${app.config.MOCK_API_VARIANT}:${app.config.MOCK_ADMIN_TOKEN !== undefined}`
  let contract = contracts.get(key)
  if (contract === undefined) contracts.set(key, (contract = new ResponseContract(app.swagger() as unknown as OpenApiDocument)))
  return contract
}

function reportAtExit(): void {
  if (reportsAtExit) return
  reportsAtExit = true
  process.on('exit', () => {
    mkdirSync(COUNT_DIRECTORY, { recursive: true })
    writeFileSync(new URL(`${process.pid}.json`, COUNT_DIRECTORY), JSON.stringify({ validated: stats.validated, exempt: stats.exempt, problems: stats.problems.length }))
    if (stats.problems.length === 0) return
    process.stderr.write(`\n${stats.problems.length} answer(s) the OpenAPI document does not describe:\n  ${[...new Set(stats.problems)].join('\n  ')}\n`)
    process.exitCode = 1
  })
}

/** What the suite has checked so far in this process (a test of the check reads it). */
export const validationStats = (): Readonly<typeof stats> => stats

/** buildApp's `instrument`: checks every answer `app` sends against its own OpenAPI document. */
export function validateResponses(app: App): void {
  reportAtExit()
  app.addHook('onSend', (request, reply, payload, done) => {
    const routeUrl = request.routeOptions.url
    // A malformed-body fault sends a 200 that is not JSON on purpose: that is its whole point.
    if ((routeUrl !== undefined && EXEMPT_ROUTES.has(routeUrl)) || request.fault?.rule.connection === 'malformed') {
      stats.exempt += 1
      return done(null, payload)
    }
    const contentType = reply.getHeader('content-type')
    const rule = request.fault?.rule
    const problem = contractOf(app).problem({
      method: request.method,
      routeUrl,
      statusCode: reply.statusCode,
      contentType: contentType === undefined ? undefined : String(contentType),
      body: payload instanceof Readable ? undefined : payload === null || payload === undefined ? '' : String(payload),
      ruleShaped: rule !== undefined && (typeof rule.error === 'object' || rule.status !== undefined),
    })
    stats.validated += 1
    if (problem !== undefined) stats.problems.push(problem)
    done(null, payload)
  })
}
