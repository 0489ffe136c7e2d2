import fp from 'fastify-plugin'
import type { InterruptibleSleep } from '../../http/interruptible-sleep.js'
import type { OpenConnections } from '../../http/open-connections.js'
import { refuseOverCap } from './connection-cap.js'
import { installGracefulShutdown } from './graceful-shutdown.js'
import { requireHostHeader } from './host-header.js'

export interface ConnectionLimitsOptions {
  /** The server's connections, counted by the HTTP server factory (src/http/http-server.ts). */
  connections: OpenConnections
  /** The injected latencies shutdown ends at once. */
  sleeper: InterruptibleSleep
}

/**
 * What bounds a connection, once Fastify has the request: a request on a connection past
 * MOCK_MAX_CONNECTIONS gets a readable 429, an HTTP/1.1 request without Host the vendor's 400,
 * and closing the server answers what it holds (Connection: close on each last answer, latencies
 * ended, the rest closed after MOCK_SHUTDOWN_GRACE_MS). The timeouts are the HTTP server's own.
 */
export const connectionLimits = fp<ConnectionLimitsOptions>(
  async (app, { connections, sleeper }) => {
    const { config } = app
    app.addHook('onRequest', refuseOverCap(connections, config.MOCK_BODY_DRAIN_BYTES))
    app.addHook('onRequest', requireHostHeader(config.MOCK_API_VARIANT))
    installGracefulShutdown(app, { connections, wakeSleepers: () => sleeper.wakeAll(), graceMs: config.MOCK_SHUTDOWN_GRACE_MS })
  },
  // After CORS: a refused request still carries the headers a page needs to read the refusal.
  { name: 'connection-limits', fastify: '5.x', dependencies: ['settings', 'request-context', 'cors', 'error-envelopes'] },
)
