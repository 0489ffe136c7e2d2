import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Custom headers a page reads: the request ID, which fault fired, when to retry, the file name. */
export const EXPOSED_HEADERS = ['X-Request-Id', 'X-Mock-Fault-Applied', 'Retry-After', 'Content-Disposition']
const EXPOSED = EXPOSED_HEADERS.join(', ')

/** MOCK_CORS_ORIGIN: `*` (any page), or a comma-separated list of origins. */
export function corsOrigin(setting: string): string | string[] {
  return setting === '*' ? '*' : setting.split(',').map((origin) => origin.trim())
}

/**
 * The CORS headers of an actual (non-preflight) response, as @fastify/cors would set them, worked
 * out once: that plugin spreads its options and builds closures on every request, a cost every
 * emulated call paid (about 6 µs of CPU a request, `npm run bench`). Preflights stay the plugin's.
 */
export function corsResponseHeaders(setting: string): (request: FastifyRequest, reply: FastifyReply) => void {
  const origin = corsOrigin(setting)
  if (origin === '*') {
    return (_request, reply) => {
      reply.header('Access-Control-Allow-Origin', '*')
      reply.header('Access-Control-Expose-Headers', EXPOSED)
    }
  }
  const allowed = new Set(origin)
  return (request, reply) => {
    // The answer depends on Origin, so a cache must keep one copy per origin.
    reply.header('Vary', 'Origin')
    const requestOrigin = request.headers.origin
    if (requestOrigin !== undefined && allowed.has(requestOrigin)) reply.header('Access-Control-Allow-Origin', requestOrigin)
    reply.header('Access-Control-Expose-Headers', EXPOSED)
  }
}

/**
 * Browser preflights (OPTIONS to any path), answered by @fastify/cors. Registered in a context of
 * its own, so its per-request hook runs for the preflight route only.
 */
export async function registerCorsPreflight(app: FastifyInstance, setting: string): Promise<void> {
  await app.register(async (preflight) => {
    await preflight.register(cors, {
      origin: corsOrigin(setting),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    })
  })
}
