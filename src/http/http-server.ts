import type { FastifyServerFactory } from 'fastify'
import { createServer, type Server } from 'node:http'
import type { Config } from '../config.js'
import type { OpenConnections } from './open-connections.js'

export type ConnectionTimeouts = Pick<Config, 'MOCK_HEADERS_TIMEOUT_MS' | 'MOCK_REQUEST_TIMEOUT_MS' | 'MOCK_KEEP_ALIVE_TIMEOUT_MS'>

/**
 * How often Node looks for connections past their headers or request timeout. Node's default
 * (30 s) would let a client dawdle up to 30 s past its timeout; a quarter of the shorter timeout,
 * at most a second, cuts it within 1 s of it.
 */
export function timeoutCheckIntervalMs(timeouts: ConnectionTimeouts): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(timeouts.MOCK_HEADERS_TIMEOUT_MS, timeouts.MOCK_REQUEST_TIMEOUT_MS) / 4)))
}

/**
 * Fastify's `serverFactory`: the HTTP server with the emulator's connection bounds (headers,
 * request and keep-alive timeouts; every connection counted into `connections`, which refuses
 * those past the cap).
 */
export function httpServerFactory(timeouts: ConnectionTimeouts, connections: OpenConnections): FastifyServerFactory<Server> {
  return (handler) => {
    const server = createServer(
      {
        headersTimeout: timeouts.MOCK_HEADERS_TIMEOUT_MS,
        requestTimeout: timeouts.MOCK_REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: timeoutCheckIntervalMs(timeouts),
        // Node's own check answers a bare 400; the app answers a missing Host in the vendor's envelope.
        requireHostHeader: false,
      },
      (request, response) => {
        connections.noteResponse(response)
        handler(request, response)
      },
    )
    server.keepAliveTimeout = timeouts.MOCK_KEEP_ALIVE_TIMEOUT_MS
    server.on('connection', (socket) => connections.add(socket))
    return server
  }
}
