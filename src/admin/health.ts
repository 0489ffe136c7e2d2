import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthResponseSchema } from '../../schemas/health.js'
import { VERSION } from '../version.js'

/** GET /__admin/health: liveness, for Docker's HEALTHCHECK and test suites waiting on start-up. */
export const healthRoute: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = performance.now()
  app.get(
    '/health',
    { schema: { operationId: 'getHealth', summary: 'Liveness', response: { 200: HealthResponseSchema } } },
    async () => ({ status: 'ok' as const, version: VERSION, uptimeS: Math.round(performance.now() - startedAt) / 1000 }),
  )
}
