import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { adminNotFoundHint } from './admin/paths.js'
import { SeedError } from './domain/seed.js'
import { WorldFullError } from './domain/world.js'
import { FaultRuleError } from './faults/rule-check.js'
import { badRequest, GatewayCode, GatewayError, KooDriveCode, KooDriveError, parameterInvalid } from './koodrive/errors.js'

/** Every error a client can see leaves in one of the vendor's two envelopes, never Fastify's own. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: KooDriveError | GatewayError): FastifyReply {
  // Serialized here, not by the route's response schema: an injected fault may give any envelope
  // any status (a gateway code with 400), which that schema would refuse.
  const body = error instanceof GatewayError ? { error_code: error.errorCode, error_msg: error.message, request_id: request.id } : { code: error.code, msg: error.message }
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/** Fastify's own errors (body parsing, limits) mapped to what the vendor answers with. */
function fromFastifyError(error: FastifyError, request: FastifyRequest): KooDriveError | GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(GatewayCode.BODY_TOO_LARGE)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return badRequest(
        request.headers['content-type'] === undefined
          ? 'the Content-Type header is missing; send application/json'
          : `Content-Type must be application/json, got "${request.headers['content-type']}"`,
      )
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Content-Length does not match the body')
    default:
      return undefined
  }
}

export function handleError(error: FastifyError | KooDriveError | GatewayError | FaultRuleError | SeedError | WorldFullError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof KooDriveError || error instanceof GatewayError) return sendError(request, reply, error)
  if (error instanceof FaultRuleError) return sendError(request, reply, parameterInvalid(error.message))
  if (error instanceof SeedError) return sendError(request, reply, parameterInvalid(error.problems.join('; ')))
  if (error instanceof WorldFullError) return sendError(request, reply, parameterInvalid(error.message))
  const mapped = fromFastifyError(error, request)
  if (mapped !== undefined) return sendError(request, reply, mapped)
  request.log.error({ err: error }, 'unexpected error')
  return sendError(request, reply, new KooDriveError(KooDriveCode.INNER_INVOKE_FAILURE, 'Internal error'))
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] as string
  return sendError(request, reply, new GatewayError(GatewayCode.API_NOT_FOUND, `${request.method} ${path}${adminNotFoundHint(path)}`))
}

/** Errors Fastify meets before routing (a URL it cannot decode): same envelope, same X-Request-Id. */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('X-Request-Id', request.id)
  return sendError(request, reply, badRequest(`the URL cannot be decoded (${error.message})`))
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers too large, a bad
 * Content-Length, a NUL in a header) still gets the vendor's envelope and an X-Request-Id.
 */
export function clientErrorReply(nextRequestId: () => string) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
    const requestId = nextRequestId()
    // Headers over Node's limit are the gateway's size limit, as a body over MOCK_BODY_LIMIT is.
    const [status, body] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, { error_code: GatewayCode.BODY_TOO_LARGE.errorCode, error_msg: 'Request header fields too large', request_id: requestId }]
        : [400, { code: KooDriveCode.BAD_REQUEST, msg: `Bad request: the request is not valid HTTP (${error.code ?? error.message})` }]
    const text = JSON.stringify(body)
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    )
  }
}
