import type { FastifyRequest, FastifySchema } from 'fastify'

/** A route's operationId, as its schema declares it (the API docs' name for it). */
export const operationIdOf = (schema: FastifySchema | undefined): string | undefined =>
  (schema as { operationId?: string } | undefined)?.operationId

function nameOf(request: FastifyRequest): string {
  const route = request.routeOptions
  const operationId = operationIdOf(route.schema)
  if (operationId !== undefined) return operationId
  return request.method === 'OPTIONS' && route.url !== undefined ? 'corsPreflight' : 'notFound'
}

/**
 * What a request was, for the log line, the journal and the fault plan: the route's operationId,
 * `corsPreflight` for a browser's OPTIONS preflight (the CORS plugin's route), else `notFound`.
 * Worked out once per request (the request-context plugin decorates `operation` with null).
 */
export function operationName(request: FastifyRequest): string {
  return (request.operation ??= nameOf(request))
}
