import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Readable } from 'node:stream'
import { operationName } from '../operation-name.js'
import { ADMIN_PREFIX } from '../admin/paths.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The response body as sent, kept for the journal. */
    journalResponse: string | undefined
  }
}

const isAdmin = (url: string) => url.startsWith(ADMIN_PREFIX)

/** Writes one request into the journal; `status` 0 is a request that got no response (a connection fault). */
function journalRequest(request: FastifyRequest, reply: FastifyReply, status: number): void {
  const { journal, clock } = request.namespace
  if (journal.capacity === 0 || isAdmin(request.url)) return
  const url = request.url
  const queryAt = url.indexOf('?')
  journal.record({
    seq: 0,
    atMs: clock.now(),
    method: request.method,
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    query: queryAt === -1 ? '' : url.slice(queryAt + 1),
    operation: operationName(request),
    userId: request.headers['x-user-id'] as string | undefined,
    // Node makes a fresh headers object per request and nothing changes it afterwards: no copy.
    headers: request.headers,
    bodyText: request.bodyText ?? undefined,
    bodyBytes: request.bodyBytes,
    bodyTruncated: undefined,
    status,
    responseText: request.journalResponse,
    responseType: reply.getHeader('content-type') as string | undefined,
    responseTruncated: undefined,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
    fault: request.fault?.id,
    bytes: 0,
  })
}

/**
 * The request journal: every request but the admin API's own, with the response it got, bounded
 * by count and bytes (src/admin/request-journal.ts), one per namespace. Its onSend keeps the response as the route
 * made it, so it must run before the faults' onSend reshapes it (the faults plugin depends on this
 * one); the entry is written when the request finishes, hijacked ones included.
 */
export const journal = fp(
  async (app) => {
    app.decorateRequest('journalResponse', undefined)
    if (app.config.MOCK_JOURNAL_SIZE === 0) return
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (!isAdmin(request.url) && !(payload instanceof Readable) && payload != null) request.journalResponse = String(payload)
      done(null, payload)
    })
    app.requestFinished.observe(journalRequest)
  },
  { name: 'journal', fastify: '5.x', dependencies: ['settings', 'namespaces', 'request-finished'] },
)
