import closeWithGrace from 'close-with-grace'
import type { AddressInfo } from 'node:net'
import { buildApp } from './app.js'
import { publicUrlOf } from './plugins/emulator-state.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { SeedError } from './domain/world/seed.js'
import { VERSION } from './version.js'

/**
 * Past MOCK_SHUTDOWN_GRACE_MS app.close() closes what is left itself (graceful-shutdown.ts); this
 * is only the backstop for a close that never ends, which exits 1.
 */
const CLOSE_BACKSTOP_MS = 1000

let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  exitOnBadInput(error)
}

/** A bad setting or seed stops the process with its message and exit code 1, like any CLI; anything else is a bug and keeps its stack. */
function exitOnBadInput(error: unknown): never {
  if (!(error instanceof ConfigError || error instanceof SeedError)) throw error
  process.stderr.write(`koodrive-mock: ${error.message}\n`)
  process.exit(1)
}

const app = await buildApp(config, { log: { pretty: process.stdout.isTTY === true } }).catch(exitOnBadInput)

closeWithGrace({ delay: config.MOCK_SHUTDOWN_GRACE_MS + CLOSE_BACKSTOP_MS }, async ({ signal, err }) => {
  if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
})

await app.listen({ port: config.PORT, host: config.HOST })
const dashboardUrl = `${publicUrlOf({ ...config, PORT: (app.server.address() as AddressInfo).port })}/__admin/`
app.log.info(
  { version: VERSION, variant: config.MOCK_API_VARIANT, randomSeed: app.randomSeed, dashboard: dashboardUrl },
  'koodrive-mock ready, dashboard at %s (set MOCK_RANDOM_SEED=%d to replay this run)',
  dashboardUrl,
  app.randomSeed,
)
