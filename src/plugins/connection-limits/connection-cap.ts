import type { onRequestHookHandler } from 'fastify'
import { discardBody } from '../../http/body-drain.js'
import { sendError } from '../../error-replies.js'
import { GatewayCode, GatewayError } from '../../koodrive/errors.js'
import type { OpenConnections } from '../../http/open-connections.js'

/** What a refused client is told to wait before it tries a new connection, seconds. */
const OVER_CAP_RETRY_AFTER_S = 1

/**
 * The connection cap (MOCK_MAX_CONNECTIONS) as an answer: a request on a connection past it gets
 * 429 APIGW.0308 with Retry-After and Connection: close, in the gateway's envelope, once its
 * body (at most `drainBytes`) is read, so the client reads the answer instead of a reset.
 */
export function refuseOverCap(connections: OpenConnections, drainBytes: number): onRequestHookHandler {
  return (request, reply, done) => {
    if (!connections.isOverCap(request.raw.socket)) return done()
    reply.header('Retry-After', String(OVER_CAP_RETRY_AFTER_S)).header('Connection', 'close')
    const error = new GatewayError(GatewayCode.THROTTLED, `${connections.max} connections are open (MOCK_MAX_CONNECTIONS); retry on a new connection`)
    void discardBody(request.raw, drainBytes).then(() => sendError(request, reply, error))
  }
}
