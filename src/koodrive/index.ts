import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createShareTaskRoute } from './create-share-task.js'
import { checkKooDriveHeaders } from './request-headers.js'

/** The emulated API, mounted under /koodrive/ose/v1. */
export const kooDriveApi: FastifyPluginAsyncTypebox = async (app) => {
  const rules = { variant: app.config.MOCK_API_VARIANT, xDateWindowMs: app.config.MOCK_X_DATE_WINDOW_S * 1000 }
  // onRequest, not preHandler: Fastify validates the body before preHandler, but the gateway and
  // the backend read the headers first, so a call with no token must get 401 whatever its body.
  app.addHook('onRequest', async (request) => {
    request.caller = checkKooDriveHeaders(request.headers, app.clock.now(), rules)
  })
  await app.register(createShareTaskRoute)
}
