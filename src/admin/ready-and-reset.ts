import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ReadyResponseSchema, ResetQuerySchema, ResetResponseSchema } from '../../schemas/admin.js'
import type { World } from '../domain/world/world.js'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { RequestJournal } from './request-journal.js'

export const worldCounts = (world: World) => ({
  users: world.users.size,
  spaces: world.spaces.size,
  files: world.files.size,
  shares: world.shares.size,
})

export interface ResetOptions {
  journal: RequestJournal
  /** The fault rules the server started with (MOCK_FAULTS, MOCK_ERROR_RATE). */
  configuredFaults: FaultRule[]
}

/** GET /__admin/ready and POST /__admin/reset. */
export const readyAndResetRoutes: FastifyPluginAsyncTypebox<ResetOptions> = async (app, { journal, configuredFaults }) => {
  app.get(
    '/ready',
    { schema: { operationId: 'getReady', summary: 'Readiness: 200 once the world is loaded, with where it came from (a seed file that failed to reload says why in seed.problem)', response: { 200: ReadyResponseSchema } } },
    async () => {
      app.emulator.settle(app.clock.now())
      return { status: 'ready' as const, world: worldCounts(app.emulator.world), tasks: app.emulator.tasks.size, seed: app.seedStatus() }
    },
  )
  app.post(
    '/reset',
    {
      schema: {
        operationId: 'reset',
        summary: 'World back to its seed; tasks, share tokens and the journal cleared; fault counters reset (rules too with ?faults=true)',
        querystring: ResetQuerySchema,
        response: { 200: ResetResponseSchema },
      },
    },
    async (request) => {
      const started = performance.now()
      app.emulator.reset(app.worldSeed.current)
      journal.clear()
      if (request.query.faults === 'true') app.faults.replace(configuredFaults)
      else app.faults.resetCounters()
      return {
        status: 'reset' as const,
        world: worldCounts(app.emulator.world),
        faultRules: app.faults.size,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      }
    },
  )
}
