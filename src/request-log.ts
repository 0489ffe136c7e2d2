import type { FastifyReply, FastifyRequest } from 'fastify'
import { pino, type Logger } from 'pino'
import { operationName } from './operation-name.js'
import { OPEN_ADMIN_ROUTES } from './admin/paths.js'
import { redactUrl } from './secrets.js'

type LogLineWriter = (request: FastifyRequest, reply: FastifyReply, statusCode: number) => void

interface PinoInternals {
  [pino.symbols.chindingsSym]: string
  [pino.symbols.streamSym]: { write(line: string): void }
}

/**
 * The one log line of a request; status 0 is a request a connection fault left unanswered.
 *
 * The line is the one `request.log.info(fields, 'request')` writes, built here as a string and
 * handed to pino's own stream: pino's generic serializer was about 7 µs of CPU a request
 * (`npm run bench`), and these fields are known and flat; the URL's secret query values are hidden.
 * With bodies logged (debug, trace), pino writes it, and the logger's redaction covers the body.
 * Health and readiness probes (Docker's, once a second) are logged at debug, not info.
 */
export function requestLogWriter(logger: Logger, logBodies: boolean): LogLineWriter {
  if (!logger.isLevelEnabled('info')) return () => {}
  const writeLine = lineWriter(logger, logBodies)
  const logProbes = logger.isLevelEnabled('debug')
  return (request, reply, statusCode) => {
    if (!OPEN_ADMIN_ROUTES.has(request.routeOptions.url as string)) return writeLine(request, reply, statusCode)
    if (logProbes) request.log.debug(fieldsOf(request, reply, statusCode), 'request')
  }
}

function lineWriter(logger: Logger, logBodies: boolean): LogLineWriter {
  if (logBodies) {
    return (request, reply, statusCode) => {
      request.log.info({ ...fieldsOf(request, reply, statusCode), body: request.body }, 'request')
    }
  }
  const stream = (logger as unknown as PinoInternals)[pino.symbols.streamSym]
  return (request, reply, statusCode) => {
    const fields = fieldsOf(request, reply, statusCode)
    // What pino starts a line with: level, time, then the child logger's bindings (pid, hostname, reqId).
    let line = `{"level":30,"time":${Date.now()}${(request.log as unknown as PinoInternals)[pino.symbols.chindingsSym]}`
    line += `,"operation":"${fields.operation}"`
    if (fields.userId !== undefined) line += `,"userId":${JSON.stringify(fields.userId)}`
    if (fields.traceId !== undefined) line += `,"traceId":${JSON.stringify(fields.traceId)}`
    if (fields.namespace !== undefined) line += `,"namespace":"${fields.namespace}"`
    line += `,"method":"${fields.method}","url":${JSON.stringify(fields.url)},"statusCode":${statusCode},"durationMs":${fields.durationMs}`
    if (fields.fault !== undefined) line += `,"fault":${JSON.stringify(fields.fault)}`
    stream.write(`${line},"msg":"request"}\n`)
  }
}

function fieldsOf(request: FastifyRequest, reply: FastifyReply, statusCode: number) {
  return {
    operation: operationName(request),
    userId: request.headers['x-user-id'],
    traceId: request.headers['x-traceid'],
    // Only a name that passed the check (so it needs no escaping), and not default: most lines stay as they were.
    namespace: request.namespace.name === 'default' ? undefined : request.namespace.name,
    method: request.method,
    url: redactUrl(request.url),
    statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
    fault: request.fault?.id,
  }
}
