import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ReadyResponseSchema, ResetQuerySchema, ResetResponseSchema } from '../../schemas/admin.js'
import type { World } from '../domain/world/world.js'
import type { FaultRule } from '../../schemas/fault-rule.js'

export const worldCounts = (world: World) => ({
  users: world.users.size,
  spaces: world.spaces.size,
  files: world.files.size,
  shares: world.shares.size,
})

export interface ResetOptions {
  /** The fault rules every namespace starts with (MOCK_FAULTS, MOCK_ERROR_RATE). */
  configuredFaults: readonly FaultRule[]
}

/** GET /__admin/ready and POST /__admin/reset. */
export const readyAndResetRoutes: FastifyPluginAsyncTypebox<ResetOptions> = async (app, { configuredFaults }) => {
  app.get(
    '/ready',
    { schema: { operationId: 'getReady', summary: 'Readiness: 200 once the world is loaded, with where the server\'s seed came from (a seed file that failed to reload says why in seed.problem)', response: { 200: ReadyResponseSchema } } },
    async (request) => {
      request.namespace.emulator.settle(request.namespace.clock.now())
      return { status: 'ready' as const, world: worldCounts(request.namespace.emulator.world), tasks: request.namespace.emulator.tasks.size, seed: app.seedStatus() }
    },
  )
  app.post(
    '/reset',
    {
      schema: {
        operationId: 'reset',
        summary: 'The namespace\'s world back to its seed; its tasks, share tokens and journal cleared; its fault counters reset (rules too with ?faults=true)',
        querystring: ResetQuerySchema,
        response: { 200: ResetResponseSchema },
      },
    },
    async (request) => {
      const started = performance.now()
      request.namespace.emulator.reset()
      request.namespace.journal.clear()
      if (request.query.faults === 'true') request.namespace.faults.replace([...configuredFaults])
      else request.namespace.faults.resetCounters()
      return {
        status: 'reset' as const,
        world: worldCounts(request.namespace.emulator.world),
        faultRules: request.namespace.faults.size,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      }
    },
  )
}
