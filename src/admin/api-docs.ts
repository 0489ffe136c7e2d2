import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestHookHandler } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { handleNotFound, sendError } from '../error-replies.js'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'
import { VERSION } from '../version.js'

/** The OpenAPI document's fixed parts; paths come from the routes' TypeBox schemas. */
export const OPENAPI_INFO = {
  title: 'koodrive-mock',
  description:
    'A local emulator of Huawei Cloud KooDrive\'s asynchronous sharing task API, and its admin API (/__admin). ' +
    'KooDrive routes need Authorization, X-User-Id, X-Date and (carrier) X-Hw-Agentname headers.',
  version: VERSION,
}

/** Registers @fastify/swagger before the routes: it collects them as they are added. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: OPENAPI_INFO,
      tags: [{ name: 'koodrive', description: 'the emulated API' }, { name: 'admin', description: 'the emulator\'s own API' }],
    },
    transform: ({ schema, url }) => ({ schema: { ...schema, tags: [url.startsWith('/__admin') ? 'admin' : 'koodrive'] } as typeof schema, url }),
  })
}

const DOCS_PREFIX = '/__admin/docs'
/** Headers of the docs instance's answer that belong to its own connection, not to ours. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date'])

/** A Fastify instance serving Swagger UI for `document`, at DOCS_PREFIX, reached by inject only. */
async function buildDocsInstance(document: Record<string, unknown>): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui')
  const docs = Fastify({ logger: false })
  await docs.register(swagger, { mode: 'static', specification: { document: document as never } })
  await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX })
  await docs.ready()
  return docs
}

/**
 * The docs instance's refusals in the gateway's envelope, not @fastify/static's: a path it will not
 * serve (403 FST_STATIC_FORBIDDEN_PATH) or does not have is 404 APIGW.0101 as any unknown path is;
 * a failed Range or precondition (416, 412) keeps its status under APIGW.0201, the gateway's
 * request-error code.
 */
function docsError(request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply {
  if (status === 403 || status === 404) return handleNotFound(request, reply)
  const message = `${STATUS_CODES[status]}: ${request.method} ${request.url.split('?')[0]}`
  return sendError(request, reply, Object.assign(new GatewayError(GatewayCode.BODY_TOO_LARGE), { statusCode: status, message }))
}

/**
 * Swagger UI at /__admin/docs, loaded on the first visit: its modules (@fastify/static, yaml, glob)
 * took ~100 ms of every start-up, for a page most runs never open. It lives in a Fastify instance
 * of its own, given the finished OpenAPI document, and these routes hand it each request.
 * `guard` is the admin API's token check.
 */
export async function registerSwaggerUi(app: FastifyInstance, guard: onRequestHookHandler | undefined): Promise<void> {
  let docs: Promise<FastifyInstance> | undefined
  app.addHook('onClose', async () => {
    if (docs !== undefined) await (await docs).close()
  })
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= buildDocsInstance(app.swagger() as unknown as Record<string, unknown>)
    const answer = await (await docs).inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: request.headers })
    if (answer.statusCode >= 400) return docsError(request, reply, answer.statusCode)
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!CONNECTION_HEADERS.has(name)) reply.header(name, value)
    }
    return reply.code(answer.statusCode).send(answer.rawPayload)
  }
  for (const url of [DOCS_PREFIX, `${DOCS_PREFIX}/*`]) {
    app.route({ method: ['GET', 'HEAD'], url, schema: { hide: true, operationId: 'apiDocs' }, ...(guard === undefined ? {} : { onRequest: guard }), handler: forward })
  }
}

/** Inside /__admin: the OpenAPI document. */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
