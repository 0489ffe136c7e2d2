import type { onRequestHookHandler } from 'fastify'
import { sendError } from '../../error-replies.js'
import { parameterInvalid } from '../../domain/errors.js'
import type { ApiVariant } from '../../koodrive/request-headers.js'
import { KOODRIVE_PREFIX } from '../../koodrive/route.js'

/**
 * HTTP/1.1 requires Host (RFC 9112 §3.2). Node's own check answers a bare 400, so it is off
 * (http-server.ts) and this answers in the vendor's envelope instead. In the enterprise variant
 * the KooDrive routes check Host among their header rules, in those rules' order: left to them.
 */
export function requireHostHeader(variant: ApiVariant): onRequestHookHandler {
  return (request, reply, done) => {
    if (request.headers.host !== undefined || request.raw.httpVersion !== '1.1') return done()
    if (variant === 'enterprise' && request.url.startsWith(`${KOODRIVE_PREFIX}/`)) return done()
    sendError(request, reply, parameterInvalid('header Host is required (HTTP/1.1)'))
  }
}
