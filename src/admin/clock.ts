import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { AdvanceClockBodySchema, ClockStateSchema, type ClockState } from '../../schemas/admin-clock.js'
import type { ControllableClock } from '../domain/time-and-ids/clock.js'

function clockState(clock: ControllableClock): ClockState {
  const nowMs = clock.now()
  return { mode: clock.mode, nowMs, now: new Date(nowMs).toISOString(), offsetMs: clock.offsetMs }
}

/** GET/POST /__admin/clock: read the emulator's time, or move it forward (tasks progress with it). */
export const clockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/clock',
    { schema: { operationId: 'getClock', summary: 'Read the emulator\'s clock', response: { 200: ClockStateSchema } } },
    async (request) => clockState(request.namespace.clock),
  )
  app.post(
    '/clock',
    {
      schema: {
        operationId: 'advanceClock',
        summary: 'Move the emulator\'s clock forward',
        body: AdvanceClockBodySchema,
        response: { 200: ClockStateSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      request.namespace.clock.advance(request.body.advanceMs)
      return clockState(request.namespace.clock)
    },
  )
}
