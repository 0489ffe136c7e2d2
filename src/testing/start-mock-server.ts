import type { AddressInfo } from 'node:net'
import { buildApp, type App, type AppDependencies } from '../app.js'
import { loadConfig } from '../config.js'
import { AdminClient } from './admin-client.js'

export interface MockServerOptions {
  /** Settings as environment variables (MOCK_WORLD, MOCK_FAULTS, …); the process's own are not read. */
  env?: Record<string, string>
  /** 0 (default): a free port. */
  port?: number
  /** 127.0.0.1 by default. */
  host?: string
  /** The namespace `admin` acts on (and `namespace` names for your own clients); `default` when absent. */
  namespace?: string
}

export interface MockServer {
  /** e.g. http://127.0.0.1:41235; KooDrive routes are under `${url}/koodrive/ose/v1`. */
  url: string
  admin: AdminClient
  /** The namespace `admin` acts on: send it as X-Mock-Namespace on your KooDrive calls too. */
  namespace: string
  /** The Fastify instance, for inject() or a look at the emulator's state. */
  app: App
  close(): Promise<void>
}

/**
 * Starts the emulator inside the test process: a manual clock, silent logs and a fixed seed unless
 * `env` says otherwise, on a free port. (`dependencies` is for the emulator's own test suite.)
 */
export async function startMockServer(options: MockServerOptions = {}, dependencies: Pick<AppDependencies, 'instrument'> = {}): Promise<MockServer> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    MOCK_CLOCK: 'manual',
    MOCK_RANDOM_SEED: '1',
    ...options.env,
    PORT: String(options.port ?? 0),
    HOST: options.host ?? '127.0.0.1',
  })
  const app = await buildApp(config, dependencies)
  await app.listen({ port: config.PORT, host: config.HOST })
  const { port } = app.server.address() as AddressInfo
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`
  const namespace = options.namespace ?? 'default'
  return {
    url,
    admin: new AdminClient(url, config.MOCK_ADMIN_TOKEN, options.namespace),
    namespace,
    app,
    close: () => app.close(),
  }
}
