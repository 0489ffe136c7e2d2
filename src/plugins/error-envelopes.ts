import fp from 'fastify-plugin'
import { handleError, handleNotFound } from '../error-replies.js'

/**
 * Every failure a client can see leaves in one of the vendor's envelopes: the error handler maps
 * the domain's business errors, gateway errors, Fastify's own (body parsing, limits) and anything
 * unexpected; the not-found handler answers APIGW.0101. Errors met before routing (an undecodable
 * URL, what Node's parser refuses) are Fastify options: src/http/fastify-options.ts.
 */
export const errorEnvelopes = fp(
  async (app) => {
    app.setErrorHandler(handleError)
    app.setNotFoundHandler(handleNotFound)
  },
  // handleError reads MOCK_BODY_DRAIN_BYTES off the settings.
  { name: 'error-envelopes', fastify: '5.x', dependencies: ['settings'] },
)
