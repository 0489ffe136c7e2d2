import closeWithGrace from 'close-with-grace'
import type { AddressInfo } from 'node:net'
import { buildApp, publicUrlOf } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { SeedError } from './domain/seed.js'
import { VERSION } from './version.js'

/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const CLOSE_GRACE_MS = 800

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

closeWithGrace({ delay: CLOSE_GRACE_MS }, async ({ signal, err }) => {
  if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  // A keep-alive connection that was busy when closing began turns idle once its answer is out;
  // Node only closes connections idle at that first moment, so keep closing the newly idle ones.
  const closeIdle = setInterval(() => app.server.closeIdleConnections(), 10)
  try {
    await app.close()
  } finally {
    clearInterval(closeIdle)
  }
})

await app.listen({ port: config.PORT, host: config.HOST })
const dashboardUrl = `${publicUrlOf({ ...config, PORT: (app.server.address() as AddressInfo).port })}/__admin/`
app.log.info(
  { version: VERSION, variant: config.MOCK_API_VARIANT, randomSeed: app.randomSeed, dashboard: dashboardUrl },
  'koodrive-mock ready, dashboard at %s (set MOCK_RANDOM_SEED=%d to replay this run)',
  dashboardUrl,
  app.randomSeed,
)
