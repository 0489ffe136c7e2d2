import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { authorizeCaller } from './caller-authorization.js'
import { checkKooDriveHeaders, type Caller } from './request-headers.js'
import { KOODRIVE_ROUTES } from './routes.js'
export { KOODRIVE_PREFIX } from './route.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the KooDrive header checks; only KooDrive routes have one. */
    caller: Caller
  }
}

/** The emulated API's routes, and the header checks they all share. */
const kooDriveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('caller', null as unknown as Caller)
  const rules = {
    variant: app.config.MOCK_API_VARIANT,
    xDateWindowMs: app.config.MOCK_X_DATE_WINDOW_S * 1000,
    xDateSkewMs: app.config.MOCK_X_DATE_SKEW_S * 1000,
    wallClock: () => Date.now(),
  }
  // onRequest, not preHandler: Fastify validates the body before preHandler, but the gateway and
  // the backend read the headers first, so a call with no token must get 401 whatever its body.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      request.caller = checkKooDriveHeaders(request.headers, request.namespace.clock.now(), rules)
      authorizeCaller(request.namespace.emulator, request.caller)
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  for (const route of KOODRIVE_ROUTES) await app.register(route.plugin)
}

/**
 * The emulated API, mounted under KOODRIVE_PREFIX. Its header checks run after every root hook
 * (CORS, connection limits, faults: it depends on the faults plugin), so an injected fault answers
 * whatever the headers say, as a sick backend behind the gateway would.
 */
export const kooDriveApi = fp(kooDriveRoutes, {
  name: 'koodrive-api',
  fastify: '5.x',
  encapsulate: true,
  dependencies: ['settings', 'namespaces', 'faults', 'body-parser', 'openapi'],
})
