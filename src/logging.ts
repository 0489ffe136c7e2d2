import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { createRequire } from 'node:module'
import type { Config } from './config.js'
import { coalescedDestination } from './log-destination.js'
import { isSecretName, REDACTED, redactSecrets } from './secrets.js'

/**
 * Secrets never reach a log line, wherever they sit in what is logged, whatever their case: the
 * fields of every line pass through the one list of secret names (pino's own redaction only knows
 * fixed paths). Errors and other class instances are left to pino's serializers as they are.
 */
function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(fields)) {
    const value = fields[key]
    out[key] = isSecretName(key) ? REDACTED : isPlainData(value) ? redactSecrets(value) : value
  }
  return out
}

/** JSON-like data (what bodies and headers are), not an Error or another class's instance. */
function isPlainData(value: unknown): boolean {
  if (Array.isArray(value)) return true
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

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
    formatters: { log: redactLogFields },
  }
  // pino-pretty as an in-process stream, not a worker transport: no extra thread for a dev tool.
  // Loaded only for a terminal: it costs ~30 ms of start-up that JSON logs never need.
  if (output.pretty) return pino(options, loadPretty()({ destination: output.stream ?? 1, sync: true }))
  // Standard output, one write per turn of the event loop for all the lines of that turn.
  return pino(options, output.stream ?? coalescedDestination())
}
