import type { FastifyRequest } from 'fastify'
import secureJson from 'secure-json-parse'
import { badRequest, type KooDriveError } from './koodrive/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's text, as received (the journal keeps this, not the parsed object). */
    bodyText: string | null
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The JSON body parser: strict UTF-8 (the API's bodies are UTF-8; Fastify's own parser would turn
 * bad bytes into U+FFFD and go on), and no `__proto__` or `constructor.prototype` keys.
 */
export function parseJsonBody(request: FastifyRequest, body: Buffer, done: (error: KooDriveError | null, value?: unknown) => void): void {
  if (body.length === 0) return done(badRequest('the request body is empty; send a JSON object'))
  let text: string
  try {
    text = strictUtf8.decode(body)
  } catch {
    return done(badRequest('the request body is not valid UTF-8'))
  }
  let value: unknown
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch {
    return done(badRequest('the request body is not valid JSON, or has a __proto__ or constructor.prototype key'))
  }
  request.bodyText = text
  done(null, value)
}
