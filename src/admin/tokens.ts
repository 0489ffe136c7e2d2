import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IssuedTokenSchema, IssueTokenBodySchema } from '../../schemas/admin-tokens.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { issueToken } from '../domain/world/authentication.js'

/** POST /__admin/tokens: a bearer token for a user, as a login would give one (MOCK_AUTH=strict takes only these and the world's). */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tokens',
    {
      schema: {
        operationId: 'issueToken',
        summary: 'Issue a bearer token for a user, living MOCK_TOKEN_TTL_S unused (or its own ttlS); every successful call renews it',
        body: IssueTokenBodySchema,
        response: { 201: IssuedTokenSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request, reply) => {
      const nowMs = request.namespace.clock.now()
      const { userId, ttlS } = request.body
      const { token, ttlMs } = issueToken(request.namespace.emulator, userId, ttlS === undefined ? undefined : ttlS * 1000, nowMs)
      const expiresAtMs = request.namespace.emulator.tokens.expiresAtMs(token)
      return reply.code(201).send({
        token,
        userId,
        ttlS: ttlMs / 1000,
        expiresAt: Number.isFinite(expiresAtMs) ? new Date(expiresAtMs).toISOString() : null,
      })
    },
  )
}
