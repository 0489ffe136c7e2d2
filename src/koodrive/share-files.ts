import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { ListShareFilesBodySchema, ListShareFilesResponseSchema } from '../../schemas/shares.js'
import { listShareFiles } from '../domain/world/share-browsing.js'

/** POST /share/files: a page of a share's files. */
export const shareFilesRoute = kooDriveRoute('listShareFiles', '/share/files', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'List the files of a share, a page at a time',
        body: ListShareFilesBodySchema,
        response: { 200: ListShareFilesResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      ...listShareFiles(request.namespace.emulator, request.caller.userId, request.body, request.namespace.clock.now()),
    }),
  )
})
