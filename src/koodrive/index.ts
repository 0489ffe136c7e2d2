import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { ANONYMOUS_USER_ID } from '../domain/world/authentication.js'
import { authorizeCaller, type PendingAuth } from './caller-authorization.js'
import { GatewayCode, GatewayError } from './errors.js'
import { checkKooDriveHeaders, checkPublicHeaders, uncheckedCaller, type AppCredential, type Caller, type HeaderRules } from './request-headers.js'
import { KOODRIVE_ROUTES, PUBLIC_SHARE_ROUTES } from './routes.js'
import { verifyAppSignature } from './signature-check.js'
export { KOODRIVE_PREFIX } from './route.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the KooDrive header checks; only KooDrive routes have one. */
    caller: Caller
    /** What the gateway still does for the call once it let it in: verify its signature, renew its token. */
    pendingAuth: PendingAuth | null
  }
}

/**
 * The authenticated family: headers checked and the caller authorized in onRequest, not
 * preHandler: Fastify validates the body before preHandler, but the gateway and the backend read
 * the headers first, so a call with no token must get 401 whatever its body.
 */
const authenticatedFamily: FastifyPluginAsyncTypebox<{ rules: HeaderRules }> = async (app, { rules }) => {
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const { emulator, clock } = request.namespace
      if (emulator.options.auth === 'off') {
        request.caller = uncheckedCaller(request.headers)
      } else {
        const nowMs = clock.now()
        const caller = checkKooDriveHeaders(request.headers, nowMs, rules)
        request.caller = caller
        request.pendingAuth = authorizeCaller(emulator, caller, nowMs)
      }
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  for (const route of KOODRIVE_ROUTES) await app.register(route.plugin)
}

/**
 * The public carrier family (share/public/…): only X-Hw-Agentname, and every call is the anonymous
 * user's, so what it makes (tasks, kdstokens) is seen only through this family. Off unless
 * MOCK_PUBLIC_SHARES=true: then the gateway knows no such API (404), as for a carrier not whitelisted.
 */
const publicFamily: FastifyPluginAsyncTypebox = async (app) => {
  const open = app.config.MOCK_PUBLIC_SHARES === 'true'
  app.addHook('onRequest', (request, _reply, done) => {
    if (!open) {
      const path = request.url.split('?')[0] as string
      return done(new GatewayError(GatewayCode.API_NOT_FOUND, `${request.method} ${path}: the public carrier family is off (MOCK_PUBLIC_SHARES=true turns it on)`))
    }
    try {
      request.caller = request.namespace.emulator.options.auth === 'off' ? { ...uncheckedCaller(request.headers), userId: ANONYMOUS_USER_ID } : checkPublicHeaders(request.headers)
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  for (const route of PUBLIC_SHARE_ROUTES) await app.register(route.plugin)
}

/** The emulated API's routes, both families, and the gateway's checks they share. */
const kooDriveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('caller', null as unknown as Caller)
  app.decorateRequest('pendingAuth', null)
  const rules: HeaderRules = {
    variant: app.config.MOCK_API_VARIANT,
    xDateWindowMs: app.config.MOCK_X_DATE_WINDOW_S * 1000,
    xDateSkewMs: app.config.MOCK_X_DATE_SKEW_S * 1000,
    wallClock: () => Date.now(),
  }
  // preValidation, not onRequest: the canonical request hashes the body, which is parsed only now;
  // and not preHandler: the gateway refuses a bad signature before the backend validates the body.
  app.addHook('preValidation', (request, _reply, done) => {
    const signer = request.pendingAuth?.verifyWith
    if (signer === undefined) return done()
    try {
      verifyAppSignature(request, request.caller.credential as AppCredential, signer)
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  // onSend: every successful call renews a strict-mode token's sliding life, by the emulator's clock.
  app.addHook('onSend', (request, reply, payload, done) => {
    const token = request.pendingAuth?.renewToken
    if (token !== undefined && reply.statusCode < 400) request.namespace.emulator.tokens.renew(token, request.namespace.clock.now())
    done(null, payload)
  })
  await app.register(authenticatedFamily, { rules })
  await app.register(publicFamily)
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
