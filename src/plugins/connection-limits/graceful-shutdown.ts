import type { FastifyInstance } from 'fastify'
import type { OpenConnections } from '../../http/open-connections.js'

export interface ShutdownOptions {
  connections: OpenConnections
  /** Ends injected latencies now (InterruptibleSleep.wakeAll). */
  wakeSleepers: () => void
  /** How long answers still being sent may take once closing began (MOCK_SHUTDOWN_GRACE_MS). */
  graceMs: number
}

/** How often connections that just went idle are closed while the server drains. */
const IDLE_SWEEP_MS = 10

/**
 * What `app.close()` (SIGTERM, or a test suite's `mock.close()`) does before the server stops:
 * every request it holds whole is answered, each connection's last answer says
 * `Connection: close`, and nothing else keeps it waiting.
 *
 * - injected latencies end at once, so slowed requests are answered now;
 * - connections idle or still sending a request's headers are closed at once; hung ones are
 *   closed by the fault hooks;
 * - a keep-alive connection whose answer goes out is closed once idle (Node only closes the ones
 *   idle when closing begins);
 * - after `graceMs`, connections still busy (a slow upload, a download to a slow reader) are closed.
 */
export function installGracefulShutdown(app: FastifyInstance, options: ShutdownOptions): void {
  const { connections } = options
  let draining = false

  // The last answer of a connection tells the client not to send another request on it.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (draining && connections.isLatest(request.raw)) reply.header('connection', 'close')
    done(null, payload)
  })

  app.addHook('preClose', (done) => {
    draining = true
    options.wakeSleepers()
    const server = app.server
    if (!server.listening) return done()
    const closed = connections.closeIdle()
    app.log.info({ closedConnections: closed, openConnections: connections.size - closed, graceMs: options.graceMs }, 'draining: answering the requests in flight')
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS)
    const deadline = setTimeout(() => {
      app.log.warn({ connections: connections.size }, `shutdown grace over (MOCK_SHUTDOWN_GRACE_MS=${options.graceMs}): closing the connections still being answered`)
      server.closeAllConnections()
    }, options.graceMs)
    server.once('close', () => {
      clearInterval(sweep)
      clearTimeout(deadline)
    })
    done()
  })
}
