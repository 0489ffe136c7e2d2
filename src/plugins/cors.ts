import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { operationName } from '../operation-name.js'
import { ADMIN_PREFIX, OPEN_ADMIN_ROUTES } from '../admin/paths.js'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'

/** Custom headers a page reads: the request ID, which fault fired, when to retry, the file name. */
const EXPOSED_HEADERS = ['X-Request-Id', 'X-Mock-Fault-Applied', 'Retry-After', 'Content-Disposition']
const EXPOSED = EXPOSED_HEADERS.join(', ')

/** MOCK_CORS_ORIGIN: `*` (any page), or a comma-separated list of origins. */
export function corsOrigin(setting: string): string | string[] {
  return setting === '*' ? '*' : setting.split(',').map((origin) => origin.trim())
}

/** MOCK_ADMIN_CORS_ORIGIN: unset is no page at all (the admin API is the developer's, not the web's). */
function adminCorsOrigin(setting: string | undefined): string | string[] | false {
  return setting === undefined ? false : corsOrigin(setting)
}

type AddHeaders = (request: FastifyRequest, reply: FastifyReply) => void

/**
 * The CORS headers of an actual (non-preflight) response, as @fastify/cors would set them, worked
 * out once: that plugin spreads its options and builds closures on every request, a cost every
 * emulated call paid (about 6 µs of CPU a request, `npm run bench`). Preflights stay the plugin's.
 */
function corsResponseHeaders(origin: string | string[] | false): AddHeaders {
  if (origin === false) return () => {}
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

/** The admin API, apart from the liveness and readiness probes that reveal nothing and change nothing. */
const isGuardedAdminPath = (url: string): boolean => url.startsWith(ADMIN_PREFIX) && !OPEN_ADMIN_ROUTES.has(url.split('?', 1)[0] as string)

/** Whether `origin` is the page the emulator itself serves (the dashboard): its host is the request's Host. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)
}

export interface CorsSettings {
  api: string
  admin: string | undefined
}

/**
 * CORS for both APIs. The KooDrive API and object storage answer the pages of MOCK_CORS_ORIGIN
 * (any page by default). The admin API answers only MOCK_ADMIN_CORS_ORIGIN's (none by default),
 * and refuses outright a request from any other page (a CSRF guard: a bodiless POST /__admin/reset
 * is a "simple" request that a browser sends without asking first). Clients that are not browsers
 * send no Origin and are never refused.
 */
function corsPolicy(settings: CorsSettings) {
  const apiOrigin = corsOrigin(settings.api)
  const adminOrigin = adminCorsOrigin(settings.admin)
  const allowedAdmin = new Set(adminOrigin === false ? [] : [adminOrigin].flat())
  const addApiHeaders = corsResponseHeaders(apiOrigin)
  const addAdminHeaders = corsResponseHeaders(adminOrigin)
  return {
    apiOrigin,
    adminOrigin,
    /** The CORS headers of an actual response; throws the 403 of the CSRF guard. */
    onRequest(request: FastifyRequest, reply: FastifyReply): void {
      if (!isGuardedAdminPath(request.url)) return addApiHeaders(request, reply)
      addAdminHeaders(request, reply)
      const origin = request.headers.origin
      if (origin === undefined || allowedAdmin.has('*') || allowedAdmin.has(origin) || isOwnOrigin(origin, request.headers.host)) return
      throw new GatewayError(
        GatewayCode.FORBIDDEN,
        `the admin API takes no requests from the page at Origin ${origin}; list it in MOCK_ADMIN_CORS_ORIGIN to allow it`,
      )
    },
  }
}

/**
 * Browser preflights (OPTIONS to any path), answered by @fastify/cors with the API's or the admin
 * API's origins. Registered in a context of its own, so its per-request hook runs for the preflight
 * route only. An OPTIONS that is not a preflight gets the gateway's "no such API".
 */
async function registerCorsPreflight(app: FastifyInstance, policy: ReturnType<typeof corsPolicy>): Promise<void> {
  const shared = { methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'], exposedHeaders: EXPOSED_HEADERS, maxAge: 600 }
  const apiOptions = { ...shared, origin: policy.apiOrigin }
  const adminOptions = { ...shared, origin: policy.adminOrigin }
  await app.register(async (preflight) => {
    preflight.addHook('onRequest', (request, _reply, done) => {
      if (request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined) return done()
      done(new GatewayError(GatewayCode.API_NOT_FOUND, `OPTIONS ${request.url.split('?', 1)[0]} is answered only as a CORS preflight (with Origin and Access-Control-Request-Method)`))
    })
    await preflight.register(cors, {
      delegator: (request, callback) => callback(null, isGuardedAdminPath(request.url) ? adminOptions : apiOptions),
    })
  })
}

/**
 * CORS in the pipeline: the headers of every actual answer (an injected fault's and a refusal's
 * included, so a page can read them) and the admin API's CSRF guard, first thing on each request;
 * the preflights in a context of their own.
 */
export const corsHandling = fp(
  async (app) => {
    const policy = corsPolicy({ api: app.config.MOCK_CORS_ORIGIN, admin: app.config.MOCK_ADMIN_CORS_ORIGIN })
    app.addHook('onRequest', (request, reply, done) => {
      // A preflight's CORS headers are the preflight route's.
      if (request.method === 'OPTIONS' && operationName(request) === 'corsPreflight') return done()
      try {
        policy.onRequest(request, reply)
      } catch (error) {
        return done(error as Error)
      }
      done()
    })
    await registerCorsPreflight(app, policy)
  },
  { name: 'cors', fastify: '5.x', dependencies: ['settings', 'request-context', 'error-envelopes'] },
)
