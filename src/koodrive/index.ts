import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authorizeCaller } from './caller-authorization.js'
import { cancelJobRoute } from './cancel-job.js'
import { createShareTaskRoute } from './create-share-task.js'
import { checkKooDriveHeaders } from './request-headers.js'
import { shareDownloadRoute } from './share-download.js'
import { shareFilesRoute } from './share-files.js'
import { shareTaskDetailRoute } from './share-task-detail.js'
import { shareUserInfoRoute } from './share-user-info.js'
import { shareVerifyRoute } from './share-verify.js'

/** The emulated API, mounted under /koodrive/ose/v1. */
export const kooDriveApi: FastifyPluginAsyncTypebox = async (app) => {
  const rules = {
    variant: app.config.MOCK_API_VARIANT,
    xDateWindowMs: app.config.MOCK_X_DATE_WINDOW_S * 1000,
    xDateSkewMs: app.config.MOCK_X_DATE_SKEW_S * 1000,
    wallClock: () => Date.now(),
  }
  // onRequest, not preHandler: Fastify validates the body before preHandler, but the gateway and
  // the backend read the headers first, so a call with no token must get 401 whatever its body.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      request.caller = checkKooDriveHeaders(request.headers, app.clock.now(), rules)
      authorizeCaller(app.emulator, request.caller)
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  await app.register(shareUserInfoRoute)
  await app.register(shareVerifyRoute)
  await app.register(shareFilesRoute)
  await app.register(createShareTaskRoute)
  await app.register(shareTaskDetailRoute)
  await app.register(shareDownloadRoute)
  await app.register(cancelJobRoute)
}
