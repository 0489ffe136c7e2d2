import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'
import { LogController } from 'fastify'
import type { Config } from '../config.js'
import { clientErrorReply, handleFrameworkError } from '../error-replies.js'
import { validationErrorToKooDrive } from '../koodrive/validation-message.js'
import { createLogger, type LogOutput } from '../logging.js'
import type { NamespaceRegistry } from '../namespaces/registry.js'
import { namespacedRequestIds } from '../namespaces/request-namespace.js'
import { httpServerFactory } from './http-server.js'
import { InterruptibleSleep } from './interruptible-sleep.js'
import { lazyCompilers } from './lazy-compilers.js'
import { OpenConnections } from './open-connections.js'

/** What lives below the plugins: the logger, the HTTP server's connections, the sleeps shutdown can end. */
export interface ServerParts {
  logger: FastifyBaseLogger
  connections: OpenConnections
  sleeper: InterruptibleSleep
  options: FastifyServerOptions & { serverFactory: ReturnType<typeof httpServerFactory> }
}

/**
 * Fastify's own options for the emulator, and the parts they are built on. What is decided here
 * cannot be a plugin's: the HTTP server (timeouts, connection counting), request IDs, the
 * validators and how their errors read, and the answers to what fails before routing.
 */
export function serverParts(config: Config, namespaces: NamespaceRegistry, log: LogOutput | undefined): ServerParts {
  const logger = createLogger(config, log) as FastifyBaseLogger
  const connections = new OpenConnections(config.MOCK_MAX_CONNECTIONS, {
    capReached: (max) => logger.warn(`connection cap reached: ${max} connections are open (MOCK_MAX_CONNECTIONS); requests on new ones get 429`),
    capCleared: (max, refused) => logger.info(`back under the connection cap (MOCK_MAX_CONNECTIONS=${max}); ${refused} connections were refused`),
  })
  return {
    logger,
    connections,
    sleeper: new InterruptibleSleep(),
    options: {
      loggerInstance: logger,
      serverFactory: httpServerFactory(config, connections),
      // One line per request, written by the request-log plugin, instead of Fastify's two.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: config.MOCK_BODY_LIMIT,
      // Each namespace draws its own IDs, and the admin API its own stream in each (src/namespaces/request-namespace.ts).
      genReqId: namespacedRequestIds(namespaces),
      clientErrorHandler: clientErrorReply({
        // What fails before a request exists (a bad request line) cannot name a namespace: default's stream.
        nextRequestId: () => namespaces.default.nextRequestId(),
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
    },
  }
}

