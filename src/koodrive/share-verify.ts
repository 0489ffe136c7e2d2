import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { VerifyShareBodySchema, VerifyShareResponseSchema } from '../../schemas/shares.js'
import { verifyShare } from '../domain/world/share-browsing.js'

/** POST /share/verify: trade a share's access code for a kdstoken. */
export const shareVerifyRoute = kooDriveRoute('verifyShare', '/share/verify', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'Check a share\'s extract code and get a kdstoken',
        body: VerifyShareBodySchema,
        response: { 200: VerifyShareResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => ({
      code: 0 as const,
      msg: 'Success' as const,
      kdstoken: verifyShare(request.namespace.emulator, request.caller.userId, request.body, request.namespace.clock.now()),
    }),
  )
})
