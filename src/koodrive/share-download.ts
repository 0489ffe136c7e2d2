import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { DownloadShareFileBodySchema, DownloadShareFileResponseSchema } from '../../schemas/shares.js'
import { downloadShareFile } from '../domain/world/share-browsing.js'
import { requestObjectsUrl } from './object-storage.js'

/** POST /share/download: a presigned URL for one shared file, no task. */
export const shareDownloadRoute = kooDriveRoute('downloadShareFile', '/share/download', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'Get a download URL for one file of a share',
        body: DownloadShareFileBodySchema,
        response: { 200: DownloadShareFileResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      downloadUrl: downloadShareFile(request.namespace.emulator, request.caller.userId, request.body, request.namespace.clock.now(), requestObjectsUrl(request)),
    }),
  )
})
