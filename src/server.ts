import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { announceReady } from './banner.js'
import { readCommandLine } from './cli.js'
import { SeedError } from './domain/world/seed.js'

/**
 * Past MOCK_SHUTDOWN_GRACE_MS app.close() closes what is left itself (graceful-shutdown.ts); this
 * is only the backstop for a close that never ends, which exits 1.
 */
const CLOSE_BACKSTOP_MS = 1000

/** A bad seed stops the process with its message and exit code 1, like any CLI; anything else is a bug and keeps its stack. */
function exitOnBadInput(error: unknown): never {
  if (!(error instanceof SeedError)) throw error
  process.stderr.write(`koodrive-mock: ${error.message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  // --help, --version, a command line it does not take (exit 2) and bad settings (exit 1) end here.
  const commandLine = readCommandLine(process.argv.slice(2), process.env)
  if (!('config' in commandLine)) {
    process.stdout.write(commandLine.stdout)
    process.stderr.write(commandLine.stderr)
    process.exit(commandLine.exitCode)
  }
  const { config } = commandLine

  const app = await buildApp(config, { log: { pretty: process.stdout.isTTY === true } }).catch(exitOnBadInput)

  closeWithGrace({ delay: config.MOCK_SHUTDOWN_GRACE_MS + CLOSE_BACKSTOP_MS }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })

  await app.listen({ port: config.PORT, host: config.HOST })
  announceReady(app, process.stdout)
}

/**
 * Settles once the server listens. The command's loader (src/code-cached-bundle.ts) keeps the
 * compiled bundle then; no top-level await, so the server bundles as CommonJS, which V8's code
 * cache can load on Node 20 too. A failure stays unhandled: the process exits 1 with its stack.
 */
export const started: Promise<void> = main()
