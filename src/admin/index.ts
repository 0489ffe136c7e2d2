import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { onRequestHookHandler } from 'fastify'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { FaultPlan } from '../faults/fault-plan.js'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'
import { openApiRoute } from './api-docs.js'
import { OPEN_ADMIN_ROUTES } from './paths.js'
import { clockRoutes } from './clock.js'
import { configRoute } from './config-route.js'
import { faultRoutes } from './faults.js'
import { healthRoute } from './health.js'
import { readyAndResetRoutes } from './ready-and-reset.js'
import type { RequestJournal } from './request-journal.js'
import { requestRoutes } from './requests.js'
import { taskRoutes } from './tasks.js'
import { worldRoutes } from './world.js'

export interface AdminOptions {
  journal: RequestJournal
  faults: FaultPlan
  configuredFaults: FaultRule[]
  /** MOCK_ADMIN_TOKEN: when set, every admin route but health and ready needs it. */
  token: string | undefined
}

/** The MOCK_ADMIN_TOKEN check, or undefined when no token is set. */
export function adminGuard(token: string | undefined): onRequestHookHandler | undefined {
  if (token === undefined) return undefined
  const expected = `Bearer ${token}`
  return async (request) => {
    if (OPEN_ADMIN_ROUTES.has(request.routeOptions.url ?? '')) return
    if (request.headers.authorization !== expected) {
      throw new GatewayError(GatewayCode.TOKEN_INVALID, 'the admin API needs Authorization: Bearer <MOCK_ADMIN_TOKEN>')
    }
  }
}

/** Everything under /__admin. */
export const adminApi: FastifyPluginAsyncTypebox<AdminOptions> = async (app, options) => {
  const guard = adminGuard(options.token)
  if (guard !== undefined) app.addHook('onRequest', guard)
  await app.register(healthRoute)
  await app.register(readyAndResetRoutes, { journal: options.journal, configuredFaults: options.configuredFaults })
  await app.register(clockRoutes)
  await app.register(configRoute)
  await app.register(faultRoutes, { plan: options.faults })
  await app.register(requestRoutes, { journal: options.journal })
  await app.register(taskRoutes)
  await app.register(worldRoutes)
  await app.register(openApiRoute)
}
