import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MAX_COUNT_WAIT_MS, RequestCountQuerySchema, RequestCountResponseSchema, RequestListQuerySchema, RequestListResponseSchema } from '../../schemas/admin.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { parameterInvalid } from '../domain/errors.js'
import { ADMIN_PREFIX } from './paths.js'
import { matches, type JournalFilter, type RequestJournal } from './request-journal.js'

const DEFAULT_LIMIT = 100
const DEFAULT_COUNT_WAIT_MS = 5000

/** What the journal calls a request that matched no route's operation: a browser's preflight, or no route at all. */
const UNROUTED_OPERATIONS = ['corsPreflight', 'notFound'] as const

interface RequestQuery {
  operation?: string
  status?: string
  userId?: string
  since?: string
}

function filterOf(query: RequestQuery, operations: ReadonlySet<string>): JournalFilter {
  const filter: JournalFilter = {}
  if (query.operation !== undefined) {
    if (!operations.has(query.operation)) {
      throw parameterInvalid(`operation "${query.operation}" is not one the journal records; use one of ${[...operations].join(', ')}`)
    }
    filter.operation = query.operation
  }
  if (query.status !== undefined) filter.status = Number(query.status)
  if (query.userId !== undefined) filter.userId = query.userId
  if (query.since !== undefined) {
    // Ten digits or more are epoch milliseconds; anything else (2026, 2026-11-26T10:00Z) is a date.
    const sinceMs = /^\d{10,}$/.test(query.since) ? Number(query.since) : Date.parse(query.since)
    if (Number.isNaN(sinceMs)) throw parameterInvalid(`since must be an ISO-8601 time or epoch milliseconds, got "${query.since}"`)
    filter.sinceMs = sinceMs
  }
  return filter
}

/**
 * GET/DELETE /__admin/requests and GET /__admin/requests/count: what clients sent, as WireMock's
 * journal. A count can wait for `atLeast` matching entries (a background poll a test waits for,
 * without sleeping): it answers as soon as they are there, or at `timeoutMs` with the count so far.
 */
export const requestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The operations the journal can hold: every route's outside the admin API (which is not journaled), and the unrouted ones.
  let known: ReadonlySet<string> | undefined
  const operations = () =>
    (known ??= new Set([
      // Every route in the catalogue has an operationId (test/readme.test.ts lists them by it).
      ...app.routeCatalog.filter((route) => !route.url.startsWith(ADMIN_PREFIX)).map((route) => route.operationId as string),
      ...UNROUTED_OPERATIONS,
    ]))
  const waiting = new Set<() => void>()
  // Closing the server answers every waiting count with what it has.
  app.addHook('preClose', (done) => {
    for (const finish of waiting) finish()
    done()
  })

  function countReaching(journal: RequestJournal, filter: JournalFilter, atLeast: number, timeoutMs: number): Promise<number> | number {
    let count = journal.count(filter)
    if (count >= atLeast || timeoutMs === 0) return count
    return new Promise((resolve) => {
      const finish = () => {
        stopListening()
        clearTimeout(timer)
        waiting.delete(finish)
        resolve(journal.count(filter))
      }
      const stopListening = journal.onRecord((record) => {
        if (matches(record, filter) && ++count >= atLeast) finish()
      })
      const timer = setTimeout(finish, timeoutMs)
      waiting.add(finish)
    })
  }

  app.get(
    '/requests',
    {
      schema: {
        operationId: 'listRequests',
        summary: 'The request journal, newest first, secrets redacted',
        querystring: RequestListQuerySchema,
        response: { 200: RequestListResponseSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      const filter = filterOf(request.query, operations())
      const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit)
      const { journal } = request.namespace
      return { total: journal.count(filter), requests: journal.list(filter, limit) }
    },
  )
  app.get(
    '/requests/count',
    {
      schema: {
        operationId: 'countRequests',
        summary: 'How many journal entries match (verify by count); with atLeast, waits up to timeoutMs for that many',
        querystring: RequestCountQuerySchema,
        response: { 200: RequestCountResponseSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      const filter = filterOf(request.query, operations())
      const { atLeast, timeoutMs } = request.query
      const { journal } = request.namespace
      if (atLeast === undefined) {
        if (timeoutMs !== undefined) throw parameterInvalid('timeoutMs goes with atLeast: the count waits for atLeast entries')
        return { count: journal.count(filter) }
      }
      const waitMs = timeoutMs === undefined ? DEFAULT_COUNT_WAIT_MS : Number(timeoutMs)
      if (waitMs > MAX_COUNT_WAIT_MS) throw parameterInvalid(`timeoutMs must be at most ${MAX_COUNT_WAIT_MS}, got ${waitMs}`)
      return { count: await countReaching(journal, filter, Number(atLeast), waitMs) }
    },
  )
  app.delete(
    '/requests',
    { schema: { operationId: 'clearRequests', summary: 'Empty the namespace\'s request journal', response: { 200: RequestCountResponseSchema } } },
    async (request) => {
      const { journal } = request.namespace
      const count = journal.size
      journal.clear()
      return { count }
    },
  )
}
