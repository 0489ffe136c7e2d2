import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { RequestCountResponseSchema, RequestListQuerySchema, RequestListResponseSchema } from '../../schemas/admin.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { parameterInvalid } from '../domain/errors.js'
import type { JournalFilter, RequestJournal } from './request-journal.js'

const DEFAULT_LIMIT = 100

interface RequestQuery {
  operation?: string
  status?: string
  userId?: string
  since?: string
}

function filterOf(query: RequestQuery): JournalFilter {
  const filter: JournalFilter = {}
  if (query.operation !== undefined) filter.operation = query.operation
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

/** GET/DELETE /__admin/requests and GET /__admin/requests/count: what clients sent, as WireMock's journal. */
export const requestRoutes: FastifyPluginAsyncTypebox<{ journal: RequestJournal }> = async (app, { journal }) => {
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
      const filter = filterOf(request.query)
      const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit)
      return { total: journal.count(filter), requests: journal.list(filter, limit) }
    },
  )
  app.get(
    '/requests/count',
    {
      schema: {
        operationId: 'countRequests',
        summary: 'How many journal entries match (verify by count)',
        querystring: RequestListQuerySchema,
        response: { 200: RequestCountResponseSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => ({ count: journal.count(filterOf(request.query)) }),
  )
  app.delete(
    '/requests',
    { schema: { operationId: 'clearRequests', summary: 'Empty the request journal', response: { 200: RequestCountResponseSchema } } },
    async () => {
      const count = journal.size
      journal.clear()
      return { count }
    },
  )
}
