import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import { registerOpenApi, registerSwaggerUi } from './admin/api-docs.js'
import { adminApi, adminGuard } from './admin/index.js'
import { ADMIN_PREFIX } from './admin/paths.js'
import { installJournalHooks, journalRequest } from './admin/journal-hooks.js'
import { RequestJournal } from './admin/request-journal.js'
import { ManualClock, ShiftedSystemClock, type ControllableClock } from './domain/time-and-ids/clock.js'
import { Emulator } from './domain/emulator.js'
import { createRequestIds } from './domain/time-and-ids/ids.js'
import { pickRandomSeed, RandomStream, seededStream } from './domain/time-and-ids/random.js'
import type { TaskStore } from './domain/tasks/task-store.js'
import { clientErrorReply, handleError, handleFrameworkError, handleNotFound } from './error-replies.js'
import { parseJsonBody } from './json-body.js'
import { operationIdOf, operationName } from './operation-name.js'
import type { Logger } from 'pino'
import { resolveDownloadObject } from './domain/objects/stored-objects.js'
import { kooDriveApi } from './koodrive/index.js'
import { OBJECT_PATH_PREFIX, objectStorageRoute } from './koodrive/object-storage.js'
import type { Caller } from './koodrive/request-headers.js'
import { validationErrorToKooDrive } from './koodrive/validation-message.js'
import { createLogger, type LogOutput } from './logging.js'
import { corsPolicy, registerCorsPreflight } from './cors.js'
import { requestLogWriter } from './request-log.js'
import { lazyCompilers } from './lazy-compilers.js'
import { installFaultHooks } from './faults/fault-hooks.js'
import { FaultPlan } from './faults/fault-plan.js'
import { initialFaultRules, latencyBaseline } from './faults/configured-faults.js'
import { refuseOverCap } from './connection-cap.js'
import { installGracefulShutdown } from './graceful-shutdown.js'
import { requireHostHeader } from './host-header.js'
import { httpServerFactory } from './http-server.js'
import { InterruptibleSleep } from './interruptible-sleep.js'
import { OpenConnections } from './open-connections.js'
import { loadWorldSeed } from './domain/world/seed-file.js'
import { ChangeFeed, dashboard, noteFinishedRequest } from './dashboard/index.js'

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
  /** Called before any hook or route is added: a test suite's own hooks (it checks every answer against the OpenAPI document). */
  instrument?: (app: App) => void
}

/** Where download URLs point: MOCK_PUBLIC_URL, else this server as a browser on this machine reaches it. */
export function publicUrlOf(config: Config): string {
  if (config.MOCK_PUBLIC_URL !== undefined) return config.MOCK_PUBLIC_URL.replace(/\/+$/, '')
  const host = ['0.0.0.0', '::', '[::]'].includes(config.HOST) ? 'localhost' : config.HOST
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.PORT}`
}

/** Builds the whole emulator, ready to listen: the server and the tests call this same factory. */
export async function buildApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const randomSeed = config.MOCK_RANDOM_SEED ?? pickRandomSeed()
  const clockStartMs = config.MOCK_CLOCK_START === undefined ? Date.now() : Date.parse(config.MOCK_CLOCK_START)
  const clock = dependencies.clock ?? (config.MOCK_CLOCK === 'manual' ? new ManualClock(clockStartMs) : new ShiftedSystemClock())
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
    objectsUrl: `${publicUrlOf(config)}${OBJECT_PATH_PREFIX}`,
  })
  const nextRequestId = createRequestIds(seededStream(randomSeed, RandomStream.REQUEST_IDS))
  // Admin calls draw from a stream of their own: a test's resets and journal reads must not shift the IDs of its KooDrive calls.
  const nextAdminRequestId = createRequestIds(seededStream(randomSeed, RandomStream.ADMIN_REQUEST_IDS))
  const logger = createLogger(config, dependencies.log)
  const connections = new OpenConnections(config.MOCK_MAX_CONNECTIONS, {
    capReached: (max) => logger.warn(`connection cap reached: ${max} connections are open (MOCK_MAX_CONNECTIONS); requests on new ones get 429`),
    capCleared: (max, refused) => logger.info(`back under the connection cap (MOCK_MAX_CONNECTIONS=${max}); ${refused} connections were refused`),
  })
  const sleeper = new InterruptibleSleep()
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    serverFactory: httpServerFactory(config, connections),
    // One line per request, written by the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.MOCK_BODY_LIMIT,
    genReqId: (raw) => ((raw.url as string).startsWith(ADMIN_PREFIX) ? nextAdminRequestId() : nextRequestId()),
    clientErrorHandler: clientErrorReply({
      nextRequestId,
      mayWriteTo: (socket) => connections.mayWriteTo(socket),
      isReadingBody: (socket) => connections.isReadingBody(socket),
      timeouts: config,
    }),
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

  dependencies.instrument?.(app)
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
  app.addHook('onRequest', refuseOverCap(connections, config.MOCK_BODY_DRAIN_BYTES))
  app.addHook('onRequest', requireHostHeader(config.MOCK_API_VARIANT))
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
  const changes = new ChangeFeed()
  const configuredFaults = initialFaultRules(config)
  const faults = new FaultPlan(seededStream(randomSeed, RandomStream.FAULTS))
  faults.replace(configuredFaults)
  app.decorate('faults', faults)
  installFaultHooks(app, {
    plan: faults,
    headerEnabled: config.MOCK_FAULT_HEADER === 'true',
    baseline: latencyBaseline(config),
    sleep: dependencies.sleep ?? sleeper.sleep,
    hangMaxMs: config.MOCK_HANG_MAX_MS,
    onHijacked: (request, reply) => {
      logRequest(request, reply, 0)
      journalRequest(journal, clock, request, reply, 0)
      noteFinishedRequest(changes, request, 0)
    },
  })
  app.addHook('onResponse', (request, reply, done) => {
    logRequest(request, reply, reply.statusCode)
    done()
  })
  await registerCorsPreflight(app, cors)
  installGracefulShutdown(app, { connections, wakeSleepers: () => sleeper.wakeAll(), graceMs: config.MOCK_SHUTDOWN_GRACE_MS })

  // PORT=0 asks the OS for a free port: download URLs can only name it once the server listens.
  if (config.MOCK_PUBLIC_URL === undefined && config.PORT === 0) {
    app.addHook('onListen', async () => {
      const address = app.server.address() as AddressInfo
      emulator.presigner.objectsUrl = `${publicUrlOf({ ...config, PORT: address.port })}${OBJECT_PATH_PREFIX}`
    })
  }
  await registerOpenApi(app, config)
  await app.register(kooDriveApi, { prefix: '/koodrive/ose/v1' })
  await app.register(objectStorageRoute, {
    presigner: emulator.presigner,
    now: () => clock.now(),
    resolve: (objectKey) => resolveDownloadObject(emulator, objectKey),
  })
  await app.register(adminApi, { prefix: '/__admin', journal, faults, configuredFaults, token: config.MOCK_ADMIN_TOKEN })
  await registerSwaggerUi(app, adminGuard(config.MOCK_ADMIN_TOKEN))
  await app.register(dashboard, { changes, guard: adminGuard(config.MOCK_ADMIN_TOKEN) })
  await app.ready()
  return app
}
