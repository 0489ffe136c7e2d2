import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request is (operationName's answer), kept: `routeOptions` builds a fresh object on every read. */
    operation: string | null
  }
}

/**
 * What every request carries from its first hook: its X-Request-Id on the answer (an injected
 * fault's and a refusal's included, so a client can always quote it), and a slot for its operation.
 */
export const requestContext = fp(
  async (app) => {
    app.decorateRequest('operation', null)
    // Callback-style hooks on every request: no promise per hook on the hot path.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id)
      done()
    })
  },
  { name: 'request-context', fastify: '5.x' },
)
