import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { openApiRoute } from './api-docs.js'
import { adminGuard } from './admin-guard.js'
import { clockRoutes } from './clock.js'
import { configRoute } from './config-route.js'
import { faultRoutes } from './faults.js'
import { healthRoute } from './health.js'
import { readyAndResetRoutes } from './ready-and-reset.js'
import { requestRoutes } from './requests.js'
import { taskRoutes } from './tasks.js'
import { tokenRoutes } from './tokens.js'
import { worldRoutes } from './world.js'

/** Everything under /__admin. */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { journal, faults, configuredFaults } = app
  // MOCK_ADMIN_TOKEN: when set, every admin route but health and ready needs it.
  const guard = adminGuard(app.config.MOCK_ADMIN_TOKEN)
  if (guard !== undefined) app.addHook('onRequest', guard)
  await app.register(healthRoute)
  await app.register(readyAndResetRoutes, { journal, configuredFaults })
  await app.register(clockRoutes)
  await app.register(configRoute)
  await app.register(faultRoutes, { plan: faults })
  await app.register(requestRoutes, { journal })
  await app.register(taskRoutes)
  await app.register(tokenRoutes)
  await app.register(worldRoutes)
  await app.register(openApiRoute)
}

/** The admin API, mounted under ADMIN_PREFIX: it reads and changes the state the other plugins made. */
export const adminApi = fp(adminRoutes, {
  name: 'admin-api',
  fastify: '5.x',
  encapsulate: true,
  dependencies: ['settings', 'emulator', 'journal', 'faults', 'body-parser', 'openapi'],
})
