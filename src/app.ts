import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { openApi, swaggerUi } from './admin/api-docs.js'
import { adminApi } from './admin/index.js'
import { ADMIN_PREFIX } from './admin/paths.js'
import type { Config } from './config.js'
import { dashboard } from './dashboard/index.js'
import type { ControllableClock } from './domain/time-and-ids/clock.js'
import { pickRandomSeed } from './domain/time-and-ids/random.js'
import { loadWorldSeed } from './domain/world/seed-file.js'
import { serverParts } from './http/fastify-options.js'
import { KOODRIVE_PREFIX, kooDriveApi } from './koodrive/index.js'
import { objectStorage } from './koodrive/object-storage.js'
import type { LogOutput } from './logging.js'
import { namespacesFromConfig } from './namespaces/from-config.js'
import { bodyParser } from './plugins/body-parser.js'
import { connectionLimits } from './plugins/connection-limits/index.js'
import { corsHandling } from './plugins/cors.js'
import { namespaces } from './plugins/namespaces.js'
import { errorEnvelopes } from './plugins/error-envelopes.js'
import { faults } from './plugins/faults.js'
import { journal } from './plugins/journal.js'
import { requestContext } from './plugins/request-context.js'
import { requestFinished } from './plugins/request-finished.js'
import { requestLog } from './plugins/request-log.js'
import { routeCatalog } from './plugins/route-catalog.js'
import { seedWatch } from './plugins/seed-watch.js'
import { settings } from './plugins/settings.js'

/** The emulator's Fastify instance, with TypeBox types on every route. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

export interface AppDependencies {
  clock?: ControllableClock
  log?: LogOutput
  /** How injected latency waits: real timers unless a test replaces it. */
  sleep?: (ms: number) => Promise<void>
  /** Called before any hook or route is added: a test suite's own hooks (it checks every answer against the OpenAPI document). */
  instrument?: (app: App) => void
}

/**
 * Builds the whole emulator, ready to listen: the server and the tests call this same factory. The
 * pipeline is this list of named plugins, in order; each declares the plugins it needs before it,
 * so a wrong order fails at start (ARCHITECTURE.md has every hook, its phase and why).
 */
export async function buildApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const randomSeed = config.MOCK_RANDOM_SEED ?? pickRandomSeed()
  const seed = await loadWorldSeed(config.MOCK_SEED_FILE)
  const registry = namespacesFromConfig(config, { seed, randomSeed, clock: dependencies.clock })
  const parts = serverParts(config, registry, dependencies.log)
  const app = Fastify(parts.options).withTypeProvider<TypeBoxTypeProvider>()
  dependencies.instrument?.(app)
  await app.register(settings, { config })
  await app.register(requestContext)
  await app.register(errorEnvelopes)
  await app.register(bodyParser)
  await app.register(routeCatalog)
  await app.register(corsHandling)
  await app.register(connectionLimits, { connections: parts.connections, sleeper: parts.sleeper })
  await app.register(namespaces, { registry })
  await app.register(seedWatch)
  await app.register(requestFinished)
  await app.register(journal)
  await app.register(faults, { sleep: dependencies.sleep ?? parts.sleeper.sleep })
  await app.register(requestLog)
  await app.register(openApi)
  await app.register(kooDriveApi, { prefix: KOODRIVE_PREFIX })
  await app.register(objectStorage)
  await app.register(adminApi, { prefix: ADMIN_PREFIX })
  await app.register(swaggerUi)
  await app.register(dashboard)
  await app.ready()
  return app
}
