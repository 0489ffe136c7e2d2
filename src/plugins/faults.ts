import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { catalogueMessage, type KooDriveError, type KooDriveCode } from '../domain/errors.js'
import { GatewayCode, GatewayError, kooDriveStatus, KooDriveErrorWithStatus } from '../koodrive/errors.js'
import { FAULTABLE_OPERATIONS } from '../koodrive/operations.js'
import { operationName } from '../operation-name.js'
import { parseFaultHeader } from '../faults/fault-header.js'
import type { FaultPlan, FiredFault } from '../faults/fault-plan.js'
import { latencyBaseline } from '../faults/configured-faults.js'
import { CONNECTION_EFFECTS, type ConnectionFault } from '../faults/effects.js'
import { dribbledBody, dribbledStream, truncatedBody, truncatedStream } from '../faults/fault-streams.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The rules every namespace starts with (MOCK_FAULTS, MOCK_ERROR_RATE): what `reset?faults=true` goes back to. */
    configuredFaults: readonly FaultRule[]
  }
  interface FastifyRequest {
    /** The fault rule that fired for this request, if any. */
    fault: FiredFault | null
    /** Where the plan resumes once the body is parsed (a rule matches on body fields). */
    faultResumeAt: number | null
  }
}

export interface FaultHookOptions {
  /** The request's namespace's rules, with their counters. */
  planOf: (request: FastifyRequest) => FaultPlan
  /** X-Mock-Fault is read (MOCK_FAULT_HEADER). */
  headerEnabled: boolean
  /** Added to every emulated request before anything else (MOCK_LATENCY_MS), drawn per request. */
  baseline: FaultRule | undefined
  sleep: (ms: number) => Promise<void>
  /** How long a `hang` holds its connection before closing it without an answer (MOCK_HANG_MAX_MS). */
  hangMaxMs: number
  /**
   * A connection fault left the request without a finished response, so no onResponse runs: it
   * took the reply over (status 0), or cut the body (the status sent). Tell the observers here.
   */
  onUnfinished: (request: FastifyRequest, reply: FastifyReply, statusCode: number) => void
}

/** What a proxy in front of a sick backend answers: a 200 whose body is not JSON. */
export const MALFORMED_BODY = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'

const faultable = new Set<string>(FAULTABLE_OPERATIONS)

/** The error a rule injects, in the envelope it belongs to. */
function injectedError(rule: FaultRule): KooDriveError | GatewayError {
  if (typeof rule.error === 'number') {
    const code = rule.error as KooDriveCode
    const message = rule.message ?? catalogueMessage(rule.error) ?? `Injected fault ${rule.error}`
    return new KooDriveErrorWithStatus(code, message, rule.status ?? kooDriveStatus(code))
  }
  // APIGW.0201 is three errors; the status says which (502 by default: backend unavailable).
  const candidates = Object.values(GatewayCode).filter((code) => code.errorCode === rule.error)
  const status = rule.status ?? (rule.error === GatewayCode.BACKEND_UNAVAILABLE.errorCode ? GatewayCode.BACKEND_UNAVAILABLE.statusCode : undefined)
  const fallback = rule.error === GatewayCode.BACKEND_UNAVAILABLE.errorCode ? GatewayCode.BACKEND_UNAVAILABLE : (candidates[0] as GatewayCode)
  const gateway = candidates.find((code) => code.statusCode === status) ?? fallback
  const error = new GatewayError(gateway, undefined, rule.status ?? gateway.statusCode)
  if (rule.message !== undefined) error.message = rule.message
  return error
}

/**
 * The fault plan in the request pipeline: consulted first thing (onRequest) and, for rules that
 * match on body fields, again once the body is parsed (preValidation). Connection faults act on
 * the socket; truncate and slow reshape the real response (onSend).
 */
export function installFaultHooks(app: FastifyInstance, options: FaultHookOptions): void {
  const { planOf, sleep } = options
  const operations = FAULTABLE_OPERATIONS
  const hungSockets = new Set<Socket>()

  /** An onRequest-phase connection fault, on the request's reply and socket. */
  function actInstead(connection: ConnectionFault, reply: FastifyReply, socket: Socket): FastifyReply {
    switch (connection) {
      case 'reset':
        socket.resetAndDestroy()
        break
      case 'empty':
        socket.destroy()
        break
      case 'hang': {
        hungSockets.add(socket)
        // Held for a while, not for ever: a forgotten hang must not keep a descriptor open.
        const release = setTimeout(() => socket.destroy(), options.hangMaxMs)
        socket.once('close', () => {
          clearTimeout(release)
          hungSockets.delete(socket)
        })
        break
      }
      default:
        // malformed, the one that answers: what a proxy in front of a sick backend sends.
        return reply.code(200).type('application/json; charset=utf-8').send(MALFORMED_BODY)
    }
    return reply
  }

  async function apply(request: FastifyRequest, reply: FastifyReply, fired: FiredFault): Promise<FastifyReply | undefined> {
    const { rule } = fired
    request.fault = fired
    reply.header('X-Mock-Fault-Applied', fired.id)
    if (fired.latencyMs > 0 && rule.connection !== 'slow') await sleep(fired.latencyMs)
    const socket = request.raw.socket
    const connection = rule.connection
    const effect = connection === undefined ? undefined : CONNECTION_EFFECTS[connection]
    // Effects that act before the route answer in its place; those that leave no response take the reply over.
    if (connection !== undefined && effect?.phase === 'onRequest') {
      if (!effect.responds) {
        reply.hijack()
        options.onUnfinished(request, reply, 0)
      }
      return actInstead(connection, reply, socket)
    }
    if (rule.retryAfterS !== undefined) reply.header('Retry-After', String(rule.retryAfterS))
    if (typeof rule.error === 'object') {
      // Exactly as given: not through the route's response schema, which would reshape it.
      const { status, body } = rule.error
      if (typeof body === 'string') return reply.code(status).type('text/plain; charset=utf-8').send(body)
      return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body))
    }
    if (rule.error !== undefined) throw injectedError(rule)
    return undefined
  }

  app.decorateRequest('fault', null)
  app.decorateRequest('faultResumeAt', null)

  /** Whether the plan, the header or the baseline can touch this request at all. */
  const mayFault = (request: FastifyRequest) =>
    options.baseline !== undefined || planOf(request).size > 0 || (options.headerEnabled && request.headers['x-mock-fault'] !== undefined)

  /** Runs the plan for a request; resolves true when the fault answered (the route must not). */
  async function consult(request: FastifyRequest, reply: FastifyReply, operation: string): Promise<boolean> {
    const plan = planOf(request)
    if (options.baseline !== undefined) await sleep(plan.fire(options.baseline, 'MOCK_LATENCY_MS').latencyMs)
    const header = request.headers['x-mock-fault']
    if (options.headerEnabled && typeof header === 'string' && header.trim() !== '') {
      const rule = parseFaultHeader(header, operations)
      if (plan.headerFires(rule)) return (await apply(request, reply, plan.fire(rule, rule.id ?? 'X-Mock-Fault'))) !== undefined
    }
    const decision = plan.decide({ operation, userId: request.headers['x-user-id'] as string | undefined })
    if (decision === undefined) return false
    if ('resumeAt' in decision) {
      request.faultResumeAt = decision.resumeAt
      return false
    }
    return (await apply(request, reply, decision)) !== undefined
  }

  // Callback-style hooks with a fast path: without rules, header or baseline they cost a check.
  app.addHook('onRequest', (request, reply, done) => {
    const operation = operationName(request)
    if (!faultable.has(operation) || !mayFault(request)) return done()
    consult(request, reply, operation).then((answered) => {
      if (!answered) done()
    }, done)
  })

  app.addHook('preValidation', (request, reply, done) => {
    if (request.faultResumeAt === null || request.fault !== null) return done()
    const decision = planOf(request).decide(
      { operation: operationName(request), userId: request.headers['x-user-id'] as string | undefined, body: request.body ?? null },
      request.faultResumeAt,
    )
    if (decision === undefined || 'resumeAt' in decision) return done()
    apply(request, reply, decision).then((answered) => {
      if (answered === undefined) done()
    }, done)
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const fault = request.fault
    const connection = fault?.rule.connection
    // Only the effects that reshape the route's answer act here; a HEAD has no body to cut or slow down.
    if (fault === null || connection === undefined || CONNECTION_EFFECTS[connection].phase !== 'onSend' || request.method === 'HEAD') return done(null, payload)
    // A cut body never finishes its response (the connection closes first): no onResponse follows.
    if (connection === 'truncate') {
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) options.onUnfinished(request, reply, reply.statusCode)
      })
    }
    if (payload instanceof Readable) {
      if (connection === 'slow') return done(null, dribbledStream(payload, fault.latencyMs, sleep))
      const length = Number(reply.getHeader('content-length') ?? 0)
      return done(null, truncatedStream(payload, Math.floor(length / 2), request.raw.socket))
    }
    const body = Buffer.from(payload as string | Buffer)
    // The full length is announced, so a client can tell the body came up short.
    reply.header('content-length', body.length)
    done(null, connection === 'slow' ? dribbledBody(body, fault.latencyMs, sleep) : truncatedBody(body, request.raw.socket))
  })

  // A hung request holds its connection open; closing the server must not wait on it for ever.
  app.addHook('preClose', async () => {
    for (const socket of hungSockets) socket.destroy()
  })
}

export interface FaultsOptions {
  /** How injected latency waits: interruptible real timers (so shutdown ends them), or a test's own. */
  sleep: (ms: number) => Promise<void>
}

/**
 * Fault injection in the pipeline: the plan (MOCK_FAULTS, MOCK_ERROR_RATE, then the admin API's
 * rules), the X-Mock-Fault header and MOCK_LATENCY_MS. Its onRequest runs before the KooDrive
 * header checks (the routes depend on this plugin), so a fault answers whatever the headers say;
 * its onSend runs after the journal's (it depends on the journal), so the journal keeps the
 * response as the route made it. A hijacked request is still told to the request-finished observers.
 */
export const faults = fp<FaultsOptions>(
  async (app, { sleep }) => {
    const { config } = app
    app.decorate('configuredFaults', app.namespaces.template.configuredFaults)
    installFaultHooks(app, {
      planOf: (request) => request.namespace.faults,
      headerEnabled: config.MOCK_FAULT_HEADER === 'true',
      baseline: latencyBaseline(config),
      sleep,
      hangMaxMs: config.MOCK_HANG_MAX_MS,
      onUnfinished: (request, reply, statusCode) => app.requestFinished.notify(request, reply, statusCode),
    })
  },
  { name: 'faults', fastify: '5.x', dependencies: ['settings', 'namespaces', 'journal', 'request-finished'] },
)
