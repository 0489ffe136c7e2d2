import type { onRequestHookHandler } from 'fastify'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'
import { OPEN_ADMIN_ROUTES } from './paths.js'

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
