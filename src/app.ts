import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { healthRoute } from './admin/health.js'
import type { Config } from './config.js'
import { systemClock, type Clock } from './domain/clock.js'
import { createRequestIds, createSnowflakeIds } from './domain/ids.js'
import { pickRandomSeed, seededStream } from './domain/random.js'
import { TaskStore } from './domain/task-store.js'
import { handleError, handleNotFound } from './error-replies.js'
import { kooDriveApi } from './koodrive/index.js'
import type { Caller } from './koodrive/request-headers.js'
import { validationErrorToKooDrive } from './koodrive/validation-message.js'
import { createLogger, type LogOutput } from './logging.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    clock: Clock
    tasks: TaskStore
    /** The seed every generated ID follows from. */
    randomSeed: number
  }
  interface FastifyRequest {
    /** Set by the KooDrive header checks; only KooDrive routes have one. */
    caller: Caller
  }
}

/** The emulator's Fastify instance, with TypeBox types on every route. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

export interface AppDependencies {
  clock?: Clock
  log?: LogOutput
}

/** Independent random streams, so drawing more of one never shifts another. */
const RandomStream = { TASK_IDS: 0, REQUEST_IDS: 1 } as const

/** Builds the whole emulator, ready to listen: the server and the tests call this same factory. */
export async function buildApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const randomSeed = config.MOCK_RANDOM_SEED ?? pickRandomSeed()
  const app = Fastify({
    loggerInstance: createLogger(config, dependencies.log) as FastifyBaseLogger,
    // One line per request, written by the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.MOCK_BODY_LIMIT,
    genReqId: createRequestIds(seededStream(randomSeed, RandomStream.REQUEST_IDS)),
    requestIdHeader: false,
    // In-flight and keep-alive requests still get real answers while the server drains on SIGTERM.
    return503OnClosing: false,
    // Unknown fields are rejected, not stripped; "1" is not the integer 1.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    schemaErrorFormatter: validationErrorToKooDrive,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('clock', dependencies.clock ?? systemClock)
  app.decorate('randomSeed', randomSeed)
  app.decorate('tasks', new TaskStore(config.MOCK_MAX_TASKS, createSnowflakeIds(seededStream(randomSeed, RandomStream.TASK_IDS))))
  app.decorateRequest('caller', null as unknown as Caller)

  // The API takes JSON only: text/plain must be refused as a bad Content-Type, not parsed as a string.
  app.removeContentTypeParser('text/plain')
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id)
  })
  const logBodies = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace'
  app.addHook('onResponse', async (request, reply) => {
    const line: Record<string, unknown> = {
      operation: (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? 'notFound',
      userId: request.headers['x-user-id'],
      traceId: request.headers['x-traceid'],
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    }
    if (logBodies) line.body = request.body
    request.log.info(line, 'request')
  })

  await app.register(kooDriveApi, { prefix: '/koodrive/ose/v1' })
  await app.register(healthRoute, { prefix: '/__admin' })
  await app.ready()
  return app
}
