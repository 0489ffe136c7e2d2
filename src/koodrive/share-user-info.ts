import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { ShareUserInfoQuerySchema, ShareUserInfoResponseSchema } from '../../schemas/shares.js'
import { describeShare } from '../domain/world/share-browsing.js'

/** GET /share/userInfo?shortUrl=: the share behind a link. */
export const shareUserInfoRoute = kooDriveRoute('getShareUserInfo', '/share/userInfo', async (app, operationId, path) => {
  app.get(
    path,
    {
      schema: {
        operationId,
        summary: 'Describe the share behind a short URL',
        querystring: ShareUserInfoQuerySchema,
        response: { 200: ShareUserInfoResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      link: describeShare(request.namespace.emulator, request.query.shortUrl, request.namespace.clock.now()),
    }),
  )
})
