import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import { registerOpenApi, registerSwaggerUi } from './admin/api-docs.js'
import { adminApi, adminGuard } from './admin/index.js'
import { installJournalHooks, journalRequest } from './admin/journal-hooks.js'
import { RequestJournal } from './admin/request-journal.js'
import { ManualClock, ShiftedSystemClock, type ControllableClock } from './domain/clock.js'
import { Emulator, RandomStream } from './domain/emulator.js'
import { createRequestIds } from './domain/ids.js'
import { pickRandomSeed, seededStream } from './domain/random.js'
import type { TaskStore } from './domain/task-store.js'
import { clientErrorReply, handleError, handleFrameworkError, handleNotFound } from './error-replies.js'
import { parseJsonBody } from './json-body.js'
import { operationIdOf, operationName } from './operation-name.js'
import type { Logger } from 'pino'
import { resolveDownloadObject } from './koodrive/download-objects.js'
import { kooDriveApi } from './koodrive/index.js'
import { objectStorageRoute } from './koodrive/object-storage.js'
import type { Caller } from './koodrive/request-headers.js'
import { validationErrorToKooDrive } from './koodrive/validation-message.js'
import { createLogger, type LogOutput } from './logging.js'
import { corsPolicy, registerCorsPreflight } from './cors.js'
import { requestLogWriter } from './request-log.js'
import { lazyCompilers } from './lazy-compilers.js'
import { installFaultHooks } from './faults/fault-hooks.js'
import { FaultPlan } from './faults/fault-plan.js'
import { initialFaultRules, latencyBaseline } from './faults/configured-faults.js'
import { setTimeout as sleepFor } from 'node:timers/promises'
import { loadWorldSeed } from './world-seed-file.js'
import { localUrlOf } from './public-url.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    clock: ControllableClock
    emulator: Emulator
    tasks: TaskStore
    /** The seed every generated ID follows from. */
    randomSeed: number
    faults: FaultPlan
    journal: RequestJournal
    /** Every route, as registered: what the README and the API docs must list. */
    routeCatalog: RouteEntry[]
  }
  interface FastifyRequest {
    /** Set by the KooDrive header checks; only KooDrive routes have one. */
    caller: Caller
  }
}

/** The emulator's Fastify instance, with TypeBox types on every route. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

export interface RouteEntry {
  methods: string[]
  url: string
  operationId: string | undefined
}

export interface AppDependencies {
  clock?: ControllableClock
  log?: LogOutput
  /** How injected latency waits: real timers unless a test replaces it. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * Where download URLs point: MOCK_PUBLIC_URL, else this server as a browser on this machine reaches
 * it (a request's own Host comes first when MOCK_PUBLIC_URL is unset: src/public-url.ts).
 */
export function publicUrlOf(config: Config): string {
  if (config.MOCK_PUBLIC_URL !== undefined) return config.MOCK_PUBLIC_URL.replace(/\/+$/, '')
  return localUrlOf(config.HOST, config.PORT)
}

/** Builds the whole emulator, ready to listen: the server and the tests call this same factory. */
export async function buildApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const randomSeed = config.MOCK_RANDOM_SEED ?? pickRandomSeed()
  const clock = dependencies.clock ?? (config.MOCK_CLOCK === 'manual' ? new ManualClock(Date.now()) : new ShiftedSystemClock())
  const emulator = new Emulator({
    clock,
    randomSeed,
    seed: await loadWorldSeed(config.MOCK_SEED_FILE),
    mode: config.MOCK_WORLD,
    timing: { startDelayMs: config.MOCK_TASK_START_DELAY_MS, durationMs: config.MOCK_TASK_DURATION_MS },
    maxTasks: config.MOCK_MAX_TASKS,
    maxWorldEntries: config.MOCK_MAX_WORLD_FILES,
    kdstokenTtlMs: config.MOCK_KDSTOKEN_TTL_S * 1000,
    maxFileBytes: config.MOCK_ZIP_MAX_FILE_BYTES,
    publicUrl: publicUrlOf(config),
  })
  const nextRequestId = createRequestIds(seededStream(randomSeed, RandomStream.REQUEST_IDS))
  const app = Fastify({
    loggerInstance: createLogger(config, dependencies.log) as FastifyBaseLogger,
    // One line per request, written by the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.MOCK_BODY_LIMIT,
    genReqId: nextRequestId,
    clientErrorHandler: clientErrorReply(nextRequestId),
    requestIdHeader: false,
    // Room for IDs up to the 128 characters the schemas allow, so their own message answers.
    routerOptions: { maxParamLength: 256 },
    // In-flight and keep-alive requests still get real answers while the server drains on SIGTERM.
    return503OnClosing: false,
    // Unknown fields are rejected, not stripped; "1" is not the integer 1.
    // validateSchema off: the schemas are TypeBox's, known good; checking them against the meta-schema costs start-up.
    schemaController: { compilersFactory: lazyCompilers() },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, validateSchema: false } },
    schemaErrorFormatter: validationErrorToKooDrive,
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('clock', clock)
  app.decorate('emulator', emulator)
  app.decorate('tasks', emulator.tasks)
  app.decorate('randomSeed', randomSeed)
  const routeCatalog: RouteEntry[] = []
  app.decorate('routeCatalog', routeCatalog)
  app.addHook('onRoute', (route) => {
    // Hidden routes (Swagger UI's files, the OpenAPI document) are the docs' own, not the API's.
    if ((route.schema as { hide?: boolean } | undefined)?.hide === true) return
    routeCatalog.push({ methods: ([] as string[]).concat(route.method), url: route.url, operationId: operationIdOf(route.schema) })
  })
  app.decorateRequest('caller', null as unknown as Caller)

  // The API takes JSON only: text/plain must be refused as a bad Content-Type, not parsed as a string.
  app.removeContentTypeParser(['text/plain', 'application/json'])
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonBody)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)

  app.decorateRequest('operation', null)
  app.decorateRequest('bodyText', null)
  app.decorateRequest('bodyBytes', 0)
  const cors = corsPolicy({ api: config.MOCK_CORS_ORIGIN, admin: config.MOCK_ADMIN_CORS_ORIGIN })
  // Hooks on every request are callback-style: no promise per hook on the hot path.
  // First: every answer, an injected fault's or a header check's included, carries these headers.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id)
    // A preflight's CORS headers are the preflight route's (registered below).
    if (request.method === 'OPTIONS' && operationName(request) === 'corsPreflight') return done()
    try {
      cors.onRequest(request, reply)
    } catch (error) {
      return done(error as Error)
    }
    done()
  })
  const logRequest = requestLogWriter(app.log as Logger, config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace')
  const journal = new RequestJournal({
    capacity: config.MOCK_JOURNAL_SIZE,
    maxBytes: config.MOCK_JOURNAL_MAX_BYTES,
    bodyBytes: config.MOCK_JOURNAL_BODY_BYTES,
    redact: config.MOCK_JOURNAL_REDACT === 'true',
  })
  app.decorate('journal', journal)
  // Before the fault hooks: the journal keeps the response as the route made it.
  installJournalHooks(app, journal, clock)
  const configuredFaults = initialFaultRules(config)
  const faults = new FaultPlan(seededStream(randomSeed, RandomStream.FAULTS))
  faults.replace(configuredFaults)
  app.decorate('faults', faults)
  installFaultHooks(app, {
    plan: faults,
    headerEnabled: config.MOCK_FAULT_HEADER === 'true',
    baseline: latencyBaseline(config),
    sleep: dependencies.sleep ?? ((ms) => sleepFor(ms)),
    onHijacked: (request, reply) => {
      logRequest(request, reply, 0)
      journalRequest(journal, clock, request, reply, 0)
    },
  })
  app.addHook('onResponse', (request, reply, done) => {
    logRequest(request, reply, reply.statusCode)
    done()
  })
  await registerCorsPreflight(app, cors)

  // PORT=0 asks the OS for a free port: download URLs can only name it once the server listens.
  if (config.MOCK_PUBLIC_URL === undefined && config.PORT === 0) {
    app.addHook('onListen', async () => {
      const address = app.server.address() as AddressInfo
      emulator.presigner.publicUrl = publicUrlOf({ ...config, PORT: address.port })
    })
  }
  await registerOpenApi(app)
  await app.register(kooDriveApi, { prefix: '/koodrive/ose/v1' })
  await app.register(objectStorageRoute, {
    presigner: emulator.presigner,
    now: () => clock.now(),
    resolve: (objectKey) => resolveDownloadObject(emulator, objectKey),
  })
  await app.register(adminApi, { prefix: '/__admin', journal, faults, configuredFaults, token: config.MOCK_ADMIN_TOKEN })
  await registerSwaggerUi(app, adminGuard(config.MOCK_ADMIN_TOKEN))
  await app.ready()
  return app
}
