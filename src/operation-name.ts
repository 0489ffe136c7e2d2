import type { FastifyRequest } from 'fastify'

/**
 * What a request was, for the log line and the journal: the route's operationId, `corsPreflight`
 * for a browser's OPTIONS preflight (the CORS plugin's route), else `notFound`.
 */
export function operationName(request: FastifyRequest): string {
  const operationId = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId
  if (operationId !== undefined) return operationId
  return request.method === 'OPTIONS' && request.routeOptions.url !== undefined ? 'corsPreflight' : 'notFound'
}
