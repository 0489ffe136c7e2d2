import fp from 'fastify-plugin'
import { parseJsonBody } from '../json-body.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's text, as received (the journal keeps this, not the parsed object). */
    bodyText: string | null
    /** Its length in bytes, as received. */
    bodyBytes: number
    /** The body's bytes, as received: what an app signature hashes (a BOM the text drops included). */
    bodyRaw: Buffer | null
  }
}

/** JSON bodies only, parsed strictly (src/json-body.ts): text/plain is refused as a bad Content-Type, not read as a string. */
export const bodyParser = fp(
  async (app) => {
    app.decorateRequest('bodyText', null)
    app.decorateRequest('bodyBytes', 0)
    app.decorateRequest('bodyRaw', null)
    app.removeContentTypeParser(['text/plain', 'application/json'])
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonBody)
  },
  { name: 'body-parser', fastify: '5.x' },
)
