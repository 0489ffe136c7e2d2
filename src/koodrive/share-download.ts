import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { DownloadShareFileBodySchema, DownloadShareFileResponseSchema } from '../../schemas/shares.js'
import { downloadShareFile } from '../domain/share-browsing.js'
import { requestPublicUrl } from '../public-url.js'

/** POST /share/download: a presigned URL for one shared file, no task. */
export const shareDownloadRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/share/download',
    {
      schema: {
        operationId: 'downloadShareFile',
        summary: 'Get a download URL for one file of a share',
        body: DownloadShareFileBodySchema,
        response: { 200: DownloadShareFileResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      downloadUrl: downloadShareFile(app.emulator, request.caller.userId, request.body, app.clock.now(), requestPublicUrl(request)),
    }),
  )
}
