import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { adminNotFoundHint } from './admin/paths.js'
import { discardBody } from './http/body-drain.js'
import { SeedError } from './domain/world/seed.js'
import { WorldFullError } from './domain/world/world.js'
import type { ConnectionTimeouts } from './http/http-server.js'
import { FaultRuleError } from './faults/rule-check.js'
import { AuthError, badRequest, KooDriveCode, KooDriveError, parameterInvalid } from './domain/errors.js'
import { GatewayCode, GatewayError, gatewayErrorOf, kooDriveStatus, KooDriveErrorWithStatus } from './koodrive/errors.js'
import { operationName } from './operation-name.js'

/** Every error a client can see leaves in one of the vendor's two envelopes, never Fastify's own. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: KooDriveError | GatewayError): FastifyReply {
  // Serialized here, not by the route's response schema: an injected fault may give any envelope
  // any status (a gateway code with 400), which that schema would refuse.
  const body = error instanceof GatewayError ? { error_code: error.errorCode, error_msg: error.message, request_id: request.id } : { code: error.code, msg: error.message }
  return reply.code(statusOf(error)).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/** A gateway error's status is its own; a business error's follows from its code, unless a fault rule set one. */
function statusOf(error: KooDriveError | GatewayError): number {
  return error instanceof GatewayError || error instanceof KooDriveErrorWithStatus ? error.statusCode : kooDriveStatus(error.code)
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

export function handleError(error: FastifyError | KooDriveError | GatewayError | AuthError | FaultRuleError | SeedError | WorldFullError, request: FastifyRequest, reply: FastifyReply) {
  // The connection closed before the body was whole (the client gave up, or a timeout or shutdown
  // closed a slow upload): nobody can read an answer, and this is no error of the emulator's.
  if (request.raw.complete === false && request.raw.destroyed) return abandoned(request, reply)
  if (error instanceof KooDriveError || error instanceof GatewayError) return sendError(request, reply, error)
  if (error instanceof AuthError) return sendError(request, reply, gatewayErrorOf(error))
  if (error instanceof FaultRuleError) return sendError(request, reply, parameterInvalid(error.message))
  if (error instanceof SeedError) return sendError(request, reply, parameterInvalid(error.problems.join('; ')))
  if (error instanceof WorldFullError) return sendError(request, reply, parameterInvalid(error.message))
  const mapped = fromFastifyError(error, request)
  if (mapped instanceof GatewayError && mapped.statusCode === GatewayCode.BODY_TOO_LARGE.statusCode) return tooLarge(request, reply, mapped)
  if (mapped !== undefined) return sendError(request, reply, mapped)
  request.log.error({ err: error }, 'unexpected error')
  return sendError(request, reply, new KooDriveError(KooDriveCode.INNER_INVOKE_FAILURE, 'Internal error'))
}

/** One line, no stack, nothing written to the dead socket. */
function abandoned(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack()
  const { method, url, headers } = request
  request.log.info(
    { operation: operationName(request), method, path: url.split('?')[0], contentLength: headers['content-length'] },
    'request abandoned: the connection closed before its body arrived',
  )
}

/**
 * The 413 once the rest of the body is read and thrown away (up to MOCK_BODY_DRAIN_BYTES): closing
 * while the client still sends makes its kernel reset the connection before it reads the answer.
 */
function tooLarge(request: FastifyRequest, reply: FastifyReply, error: KooDriveError | GatewayError): void {
  reply.header('Connection', 'close')
  void discardBody(request.raw, request.server.config.MOCK_BODY_DRAIN_BYTES).then(() => {
    if (request.raw.socket.destroyed) abandoned(request, reply)
    else sendError(request, reply, error)
  })
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

/** What clientErrorReply needs to know of the server. */
export interface ClientErrorContext {
  nextRequestId: () => string
  /** Whether bytes written to the socket now cannot land inside a response already being sent. */
  mayWriteTo: (socket: Socket) => boolean
  /** Whether the socket's current request has its headers read (so a timeout is its body's). */
  isReadingBody: (socket: Socket) => boolean
  timeouts: ConnectionTimeouts
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers too large, a bad
 * Content-Length, a NUL in a header) and a client too slow for the timeouts still get the vendor's
 * envelope and an X-Request-Id.
 */
export function clientErrorReply(context: ClientErrorContext) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable || !context.mayWriteTo(socket)) return void socket.destroy()
    // A connection that never sent a byte has no request to answer.
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.bytesRead === 0) return void socket.destroy()
    const requestId = context.nextRequestId()
    const [status, body] = clientErrorAnswer(error, requestId, socket, context)
    const text = JSON.stringify(body)
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    )
  }
}

function clientErrorAnswer(error: Error & { code?: string }, requestId: string, socket: Socket, context: ClientErrorContext): [number, Record<string, unknown>] {
  const gateway = (status: number, message: string) => [status, { error_code: GatewayCode.BODY_TOO_LARGE.errorCode, error_msg: message, request_id: requestId }] as [number, Record<string, unknown>]
  switch (error.code) {
    // Headers over Node's limit are the gateway's size limit, as a body over MOCK_BODY_LIMIT is.
    case 'HPE_HEADER_OVERFLOW':
      return gateway(431, 'Request header fields too large')
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return context.isReadingBody(socket)
        ? gateway(408, `Request timeout: the request did not arrive whole within ${context.timeouts.MOCK_REQUEST_TIMEOUT_MS} ms (MOCK_REQUEST_TIMEOUT_MS)`)
        : gateway(408, `Request timeout: the request headers did not arrive within ${context.timeouts.MOCK_HEADERS_TIMEOUT_MS} ms (MOCK_HEADERS_TIMEOUT_MS)`)
    default:
      return [400, { code: KooDriveCode.BAD_REQUEST, msg: `Bad request: the request is not valid HTTP (${error.code ?? error.message})` }]
  }
}
