import type { FastifyRequest, FastifySchema } from 'fastify'

/** A route's operationId, as its schema declares it (the API docs' name for it). */
export const operationIdOf = (schema: FastifySchema | undefined): string | undefined =>
  (schema as { operationId?: string } | undefined)?.operationId

/**
 * What a request was, for the log line and the journal: the route's operationId, `corsPreflight`
 * for a browser's OPTIONS preflight (the CORS plugin's route), else `notFound`.
 */
export function operationName(request: FastifyRequest): string {
  const operationId = operationIdOf(request.routeOptions.schema)
  if (operationId !== undefined) return operationId
  return request.method === 'OPTIONS' && request.routeOptions.url !== undefined ? 'corsPreflight' : 'notFound'
}
