import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { ShareUserInfoQuerySchema, ShareUserInfoResponseSchema } from '../../schemas/shares.js'
import { describeShare } from '../domain/world/share-browsing.js'

/** GET /share/userInfo?shortUrl=: the share behind a link. */
export const shareUserInfoRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/share/userInfo',
    {
      schema: {
        operationId: 'getShareUserInfo',
        summary: 'Describe the share behind a short URL',
        querystring: ShareUserInfoQuerySchema,
        response: { 200: ShareUserInfoResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      link: describeShare(app.emulator, request.query.shortUrl, app.clock.now()),
    }),
  )
}
