import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import type { FastifySwaggerUiConfigOptions } from '@fastify/swagger-ui'
import { Type, type TObject, type TSchema } from '@sinclair/typebox'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema, type onRequestHookHandler } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { createRequire } from 'node:module'
import { adminErrorResponses, GatewayErrorSchema, KooDriveErrorSchema } from '../../schemas/errors.js'
import { KOODRIVE_SECURITY, kooDriveHeadersDoc, NamespaceHeaderDoc, publicHeadersDoc, SECURITY_SCHEMES } from '../../schemas/koodrive-headers.js'
import type { Config } from '../config.js'
import { handleNotFound, sendError } from '../error-replies.js'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'
import { KOODRIVE_PREFIX, publicPathOf } from '../koodrive/route.js'
import { PUBLIC_SHARE_ROUTES } from '../koodrive/routes.js'
import { VERSION } from '../version.js'
import { adminGuard } from './admin-guard.js'
import { ADMIN_DOCS_PATH, ADMIN_PREFIX, OPEN_ADMIN_ROUTES } from './paths.js'
import { REQUEST_EXAMPLES } from './openapi-examples.js'
import { DOCUMENTED_BODIES } from './schema-docs.js'

/** The OpenAPI document's fixed parts; paths come from the routes' TypeBox schemas. */
const OPENAPI_INFO = {
  title: 'koodrive-mock',
  description:
    'A local emulator of Huawei Cloud KooDrive\'s asynchronous sharing task API, and its admin API (/__admin). ' +
    'KooDrive routes need Authorization, X-User-Id, X-Date and (carrier) X-Hw-Agentname headers. ' +
    'A path or method no route has answers 404 APIGW.0101 (components.responses.UnknownRoute); a URL that cannot be decoded, 400 13000101 (UndecodableUrl).',
  version: VERSION,
}

/** What a request that reaches no route gets: these have no operation to be listed under. */
const UNROUTED_RESPONSES = {
  UnknownRoute: { description: 'a path or method no route has: 404 APIGW.0101', content: { 'application/json': { schema: GatewayErrorSchema } } },
  UndecodableUrl: { description: 'a URL that cannot be decoded: 400 13000101', content: { 'application/json': { schema: KooDriveErrorSchema } } },
}


const TWIN_OF = new Map<string, string>(PUBLIC_SHARE_ROUTES.map((route) => [route.operationId, route.twinOf as string]))
const PUBLIC_FAMILY_PREFIX = `${KOODRIVE_PREFIX}${publicPathOf('/share/')}`
const PUBLIC_FAMILY_DESCRIPTION =
  'The public carrier family: needs only X-Hw-Agentname, and answers only with MOCK_PUBLIC_SHARES=true (else 404 APIGW.0101). ' +
  'Every call is the anonymous user\'s: tasks and kdstokens made here are seen only here (taskDetail finds no other user\'s task).'

type RouteSchema = FastifySchema & { operationId?: string; response?: Record<string, unknown>; hide?: boolean }

/**
 * A route's schema as the docs give it: the KooDrive headers and security, a documented-only body
 * where the route checks its own (createShareTask's taskType rules), request examples, and the
 * errors an admin route can send. Only the document changes: the route validates as it did.
 */
export function documentedRoute(schema: RouteSchema, url: string, config: Pick<Config, 'MOCK_API_VARIANT' | 'MOCK_ADMIN_TOKEN'>): RouteSchema {
  const documented: RouteSchema = { ...schema, tags: [url.startsWith(ADMIN_PREFIX) ? 'admin' : 'koodrive'] }
  // A public family endpoint is documented with its authenticated twin's body and examples.
  const operationId = TWIN_OF.get(schema.operationId ?? '') ?? schema.operationId ?? ''
  const body = DOCUMENTED_BODIES[operationId] ?? schema.body
  const examples = REQUEST_EXAMPLES[operationId]
  if (body !== undefined) documented.body = examples === undefined ? body : { ...(body as TSchema), 'x-examples': examples }
  if (url.startsWith(PUBLIC_FAMILY_PREFIX)) {
    documented.headers = publicHeadersDoc()
    documented.security = []
    documented.description = PUBLIC_FAMILY_DESCRIPTION
  } else if (url.startsWith(`${KOODRIVE_PREFIX}/`)) {
    documented.headers = kooDriveHeadersDoc(config.MOCK_API_VARIANT)
    documented.security = KOODRIVE_SECURITY
  } else if (url.startsWith(ADMIN_PREFIX)) {
    documented.headers = Type.Object({ 'X-Mock-Namespace': NamespaceHeaderDoc })
    documented.querystring = withNamespaceParam(schema.querystring as TObject | undefined)
    const open = OPEN_ADMIN_ROUTES.has(url)
    const takesInput = schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined
    documented.response = { ...schema.response, ...adminErrorResponses({ takesInput, open }) }
    if (config.MOCK_ADMIN_TOKEN !== undefined && !open) documented.security = [{ adminToken: [] }]
  }
  return documented
}

/** An admin route's query parameters, and `namespace` (the header's stand-in for a browser tab or curl): for the docs; the admin API strips it before validating. */
function withNamespaceParam(querystring: TObject | undefined): TObject {
  const namespace = Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'the namespace to act in, when X-Mock-Namespace cannot be sent' }))
  return { ...(querystring ?? Type.Object({}, { additionalProperties: false })), properties: { ...querystring?.properties, namespace } } as TObject
}

/** The schemes in use: the admin token's only when MOCK_ADMIN_TOKEN is set. */
function securitySchemesOf(config: Pick<Config, 'MOCK_ADMIN_TOKEN'>) {
  const { adminToken, ...kooDrive } = SECURITY_SCHEMES
  return config.MOCK_ADMIN_TOKEN === undefined ? kooDrive : { ...kooDrive, adminToken }
}

/** Registers @fastify/swagger before the routes: it collects them as they are added. */
async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: OPENAPI_INFO,
      tags: [{ name: 'koodrive', description: 'the emulated API' }, { name: 'admin', description: 'the emulator\'s own API' }],
      components: { securitySchemes: securitySchemesOf(config), responses: UNROUTED_RESPONSES },
    },
    // Every route here declares a schema (hidden ones never reach the transform).
    transform: ({ schema, url }) => ({ schema: documentedRoute(schema as RouteSchema, url, config) as typeof schema, url }),
    transformObject: (document) => withUniqueHeadIds(withSchemaExamplesAsExample((document as { openapiObject: unknown }).openapiObject) as OpenApiPaths),
  })
}

type OpenApiPaths = { paths: Record<string, Record<string, { operationId?: string; description?: string }>> } & Record<string, unknown>

/**
 * A route declared for GET and HEAD (downloadObject) gives both the same operationId, which
 * OpenAPI forbids: the HEAD one becomes `<id>Head`. Fault rules and the journal still call it by
 * the route's own name.
 */
function withUniqueHeadIds(document: OpenApiPaths): OpenApiPaths {
  for (const path of Object.values(document.paths)) {
    const { get, head } = path
    if (get?.operationId === undefined || head?.operationId !== get.operationId) continue
    path.head = { ...head, operationId: `${get.operationId}Head`, description: `HEAD of ${get.operationId}: the same headers, no body. Fault rules and the request journal call it ${get.operationId}.` }
  }
  return document
}

/**
 * OpenAPI 3.0 schemas have `example`, not JSON Schema's `examples` array. @fastify/swagger turns
 * one into the other along properties and items, not inside a oneOf: this does it everywhere. (A
 * media type's or parameter's `examples` is a map, not an array, and stays.)
 */
export function withSchemaExamplesAsExample(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSchemaExamplesAsExample)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' && Array.isArray(value)) {
      if (!('example' in node)) out.example = value[0]
    } else {
      out[key] = withSchemaExamplesAsExample(value)
    }
  }
  return out
}

const DOCS_PREFIX = ADMIN_DOCS_PATH

/**
 * Runs in the browser, before each "Try it out" request: an X-Date still holding the documented
 * example (or empty) becomes the current time, so a call works without typing one; any other value
 * is sent as typed. @fastify/swagger-ui serializes it with toString(), so it names nothing outside
 * itself: the example is written out (a test checks it is X_DATE_EXAMPLE).
 */
export function fillXDate(request: { headers: Record<string, string> }): { headers: Record<string, string> } {
  for (const name of Object.keys(request.headers)) {
    const value = request.headers[name]
    if (name.toLowerCase() === 'x-date' && (value === '20251103T070140Z' || value === '')) {
      request.headers[name] = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    }
  }
  return request
}

/** Swagger UI's settings: "Try it out" open from the start, the token kept across reloads, X-Date filled in. */
const SWAGGER_UI_CONFIG = {
  tryItOutEnabled: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  requestInterceptor: fillXDate as unknown as NonNullable<FastifySwaggerUiConfigOptions['requestInterceptor']>,
}
/** Headers of the docs instance's answer that belong to its own connection, not to ours. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date'])

/** A Fastify instance serving Swagger UI for `document`, at DOCS_PREFIX, reached by inject only. */
async function buildDocsInstance(document: Record<string, unknown>): Promise<FastifyInstance> {
  // require(), not import(): the command runs the server as a script from V8's code cache, where import() is not available.
  const swaggerUi = createRequire(import.meta.url)('@fastify/swagger-ui') as typeof import('@fastify/swagger-ui').default
  const docs = Fastify({ logger: false })
  await docs.register(swagger, { mode: 'static', specification: { document: document as never } })
  await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: SWAGGER_UI_CONFIG })
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
  const error = new GatewayError(GatewayCode.BODY_TOO_LARGE, undefined, status)
  error.message = message
  return sendError(request, reply, error)
}

/**
 * Swagger UI at /__admin/docs, loaded on the first visit: its modules (@fastify/static, yaml, glob)
 * took ~100 ms of every start-up, for a page most runs never open. It lives in a Fastify instance
 * of its own, given the finished OpenAPI document, and these routes hand it each request.
 * `guard` is the admin API's token check.
 */
async function registerSwaggerUi(app: FastifyInstance, guard: onRequestHookHandler | undefined): Promise<void> {
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

/** The OpenAPI document, collected from the routes as they are added: registered before them. */
export const openApi = fp(async (app) => registerOpenApi(app, app.config), { name: 'openapi', fastify: '5.x', dependencies: ['settings'] })

/** Swagger UI at /__admin/docs, behind the admin token. */
export const swaggerUi = fp(async (app) => registerSwaggerUi(app, adminGuard(app.config.MOCK_ADMIN_TOKEN)), {
  name: 'swagger-ui',
  fastify: '5.x',
  dependencies: ['settings', 'openapi'],
})
