import fp from 'fastify-plugin'
import type { Logger } from 'pino'
import { requestLogWriter } from '../request-log.js'

/** One log line per request (src/request-log.ts), hijacked ones included, as a request-finished observer. */
export const requestLog = fp(
  async (app) => {
    const level = app.config.LOG_LEVEL
    const write = requestLogWriter(app.log as Logger, level === 'debug' || level === 'trace')
    app.requestFinished.observe(write)
  },
  { name: 'request-log', fastify: '5.x', dependencies: ['settings', 'request-finished'] },
)
