import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { openApiRoute } from './api-docs.js'
import { adminGuard } from './admin-guard.js'
import { clockRoutes } from './clock.js'
import { configRoute } from './config-route.js'
import { faultRoutes } from './faults.js'
import { healthRoute } from './health.js'
import { namespaceRoutes } from './namespaces.js'
import { readyAndResetRoutes } from './ready-and-reset.js'
import { requestRoutes } from './requests.js'
import { taskRoutes } from './tasks.js'
import { tokenRoutes } from './tokens.js'
import { worldRoutes } from './world.js'

/** Everything under /__admin. */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { configuredFaults } = app
  // MOCK_ADMIN_TOKEN: when set, every admin route but health and ready needs it.
  const guard = adminGuard(app.config.MOCK_ADMIN_TOKEN)
  if (guard !== undefined) app.addHook('onRequest', guard)
  // ?namespace= picked the namespace already (src/namespaces/namespace-name.ts); the routes' own query schemas do not know it.
  app.addHook('preValidation', (request, _reply, done) => {
    const query = request.query as Record<string, unknown>
    if (query.namespace !== undefined) delete query.namespace
    done()
  })
  await app.register(healthRoute)
  await app.register(readyAndResetRoutes, { configuredFaults })
  await app.register(clockRoutes)
  await app.register(configRoute)
  await app.register(faultRoutes)
  await app.register(namespaceRoutes)
  await app.register(requestRoutes)
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
  dependencies: ['settings', 'namespaces', 'seed-watch', 'journal', 'faults', 'body-parser', 'openapi'],
})
