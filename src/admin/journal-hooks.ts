import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Readable } from 'node:stream'
import type { Clock } from '../domain/time-and-ids/clock.js'
import { operationName } from '../operation-name.js'
import { ADMIN_PREFIX } from './paths.js'
import type { RequestJournal } from './request-journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The response body as sent, kept for the journal. */
    journalResponse: string | undefined
  }
}

const isAdmin = (url: string) => url.startsWith(ADMIN_PREFIX)

/** Writes one request into the journal; `status` 0 is a request that got no response (a connection fault). */
export function journalRequest(journal: RequestJournal, clock: Clock, request: FastifyRequest, reply: FastifyReply, status: number): void {
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

/** Records every request but the admin API's own into the journal, with the response it got. */
export function installJournalHooks(app: FastifyInstance, journal: RequestJournal, clock: Clock): void {
  app.decorateRequest('journalResponse', undefined)
  if (journal.capacity === 0) return
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (!isAdmin(request.url) && !(payload instanceof Readable) && payload != null) request.journalResponse = String(payload)
    done(null, payload)
  })
  app.addHook('onResponse', (request, reply, done) => {
    done()
    journalRequest(journal, clock, request, reply, reply.statusCode)
  })
}
