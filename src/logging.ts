import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { createRequire } from 'node:module'
import type { Config } from './config.js'

/** Secrets never reach a log line, wherever they sit in what is logged. */
export const REDACTED_PATHS = [
  'headers.authorization',
  'body.kdstoken',
  'body.extractCode',
  'body.*.kdstoken',
  'body.*.extractCode',
]

export interface LogOutput {
  /** Where lines go; standard output when absent. */
  stream?: DestinationStream
  /** Human-readable lines (pino-pretty) instead of JSON: for a terminal. */
  pretty?: boolean
}

const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, output: LogOutput = {}): Logger {
  const options: LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
  }
  // pino-pretty as an in-process stream, not a worker transport: no extra thread for a dev tool.
  // Loaded only for a terminal: it costs ~30 ms of start-up that JSON logs never need.
  if (output.pretty) return pino(options, loadPretty()({ destination: output.stream ?? 1, sync: true }))
  // Standard output written asynchronously: under load lines coalesce into fewer writes, idle they
  // still leave at once; pino flushes what is pending when the process exits.
  return pino(options, output.stream ?? pino.destination({ dest: 1, sync: false }))
}
