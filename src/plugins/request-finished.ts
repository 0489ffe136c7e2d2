import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/** Told of every finished request; `statusCode` 0 is one a connection fault left unanswered. */
type RequestFinishedObserver = (request: FastifyRequest, reply: FastifyReply, statusCode: number) => void

/**
 * The one list of "request finished" observers (the journal, the log line, the dashboard's feed).
 * It is fed by onResponse and by the answers that bypass it (a connection fault hijacks the reply,
 * so no onResponse runs): a new observer is added in one place and hears both.
 */
class RequestFinished {
  readonly #observers: RequestFinishedObserver[] = []

  observe(observer: RequestFinishedObserver): void {
    this.#observers.push(observer)
  }

  notify(request: FastifyRequest, reply: FastifyReply, statusCode: number): void {
    for (const observer of this.#observers) observer(request, reply, statusCode)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    requestFinished: RequestFinished
  }
}

export const requestFinished = fp(
  async (app) => {
    const finished = new RequestFinished()
    app.decorate('requestFinished', finished)
    app.addHook('onResponse', (request, reply, done) => {
      done()
      finished.notify(request, reply, reply.statusCode)
    })
  },
  { name: 'request-finished', fastify: '5.x', dependencies: ['request-context'] },
)
