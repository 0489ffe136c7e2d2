import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { announceReady } from './banner.js'
import { readCommandLine } from './cli.js'
import { SeedError } from './domain/seed.js'

/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const CLOSE_GRACE_MS = 800

// --help, --version, a command line it does not take (exit 2) and bad settings (exit 1) end here.
const commandLine = readCommandLine(process.argv.slice(2), process.env)
if (!('config' in commandLine)) {
  process.stdout.write(commandLine.stdout)
  process.stderr.write(commandLine.stderr)
  process.exit(commandLine.exitCode)
}
const { config } = commandLine

/** A bad seed stops the process with its message and exit code 1, like any CLI; anything else is a bug and keeps its stack. */
function exitOnBadInput(error: unknown): never {
  if (!(error instanceof SeedError)) throw error
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
announceReady(app, process.stdout)
