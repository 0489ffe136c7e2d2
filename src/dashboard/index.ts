import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { AssetSchema, DashboardAssetParamsSchema, EventStreamSchema, HtmlSchema, RedirectSchema } from '../../schemas/dashboard.js'
import { GatewayErrorSchema, KooDriveErrorSchema } from '../../schemas/errors.js'
import { GatewayCode, GatewayError } from '../koodrive/errors.js'
import { ADMIN_PREFIX } from '../admin/paths.js'
import { DashboardAssets, type Asset } from './assets.js'
import { NamespaceFeeds } from './namespace-feeds.js'
import { adminGuard } from '../admin/admin-guard.js'
import { noteFinishedRequest } from './change-topics.js'


export const DASHBOARD_PATH = `${ADMIN_PREFIX}/`
const ASSET_PREFIX = `${ADMIN_PREFIX}/dashboard`
export const EVENTS_PATH = `${ADMIN_PREFIX}/events`
/** The page and its files need no admin token (the page asks for it); the admin API's origin rule still holds. */
export const DASHBOARD_PAGE_ROUTES: readonly string[] = [ADMIN_PREFIX, DASHBOARD_PATH, `${ASSET_PREFIX}/:file`]

export interface DashboardOptions {
  /** The page's files; the built-in ones when absent (tests give their own). */
  assets?: DashboardAssets
}

/** Everything the page loads comes from here: the browser refuses anything else, a CDN included. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

function sendAsset(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply
    .type(asset.contentType)
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(asset.body)
}

const ASSET_CONTENT = Object.fromEntries(['text/javascript', 'text/css', 'image/svg+xml'].map((type) => [type, { schema: AssetSchema }]))

/** A browser asks for HTML when it navigates; API clients and curl do not. */
const wantsHtml = (accept: string | undefined) => accept !== undefined && /\btext\/html\b/.test(accept)

/**
 * The dashboard: the page at /__admin/ and its files, the event stream that keeps it live, and
 * GET / pointing at both. Root-level (fastify-plugin), because its observer hears every request.
 */
const dashboardPlugin: FastifyPluginAsyncTypebox<DashboardOptions> = async (app, options) => {
  const changes = new NamespaceFeeds(app.namespaces)
  // The admin API's token check (MOCK_ADMIN_TOKEN) for the event stream; the page itself is open, so it can ask for the token.
  const guard = adminGuard(app.config.MOCK_ADMIN_TOKEN)
  const assets = options.assets ?? new DashboardAssets()
  app.requestFinished.observe((request, _reply, statusCode) => noteFinishedRequest(changes.find(request.namespace), request, statusCode))
  // A seed file that reloads replaces every namespace's world and tasks without any request.
  app.worldSeed.observe(() => changes.publishToAll(['world', 'tasks']))
  app.addHook('preClose', (done) => {
    changes.close()
    done()
  })

  app.get(
    '/',
    {
      schema: {
        operationId: 'getRoot',
        summary: 'No API here: a browser is sent to the dashboard, any other client gets the gateway\'s 404 naming it and the docs',
        response: { 302: RedirectSchema, 400: KooDriveErrorSchema, 404: GatewayErrorSchema },
      },
    },
    async (request, reply) => {
      reply.header('vary', 'Accept')
      if (wantsHtml(request.headers.accept)) return reply.redirect(DASHBOARD_PATH, 302)
      throw new GatewayError(GatewayCode.API_NOT_FOUND, `GET / is no API; the dashboard is at ${DASHBOARD_PATH} and the API docs at ${ADMIN_PREFIX}/docs`)
    },
  )
  app.get(
    ADMIN_PREFIX,
    { schema: { operationId: 'redirectToDashboard', summary: 'To the dashboard, /__admin/', response: { 302: RedirectSchema } } },
    async (_request, reply) => reply.redirect(DASHBOARD_PATH, 302),
  )
  app.get(
    DASHBOARD_PATH,
    { schema: { operationId: 'getDashboard', summary: 'The dashboard page (needs no token: it asks for MOCK_ADMIN_TOKEN itself)', response: { 200: { content: { 'text/html': { schema: HtmlSchema } } } } } },
    async (_request, reply) => sendAsset(reply, (await assets.get('index.html')) as Asset),
  )
  app.get(
    `${ASSET_PREFIX}/:file`,
    {
      schema: {
        operationId: 'getDashboardAsset',
        summary: 'A file of the dashboard page (scripts, styles)',
        params: DashboardAssetParamsSchema,
        response: { 200: { content: ASSET_CONTENT }, 404: GatewayErrorSchema },
      },
    },
    async (request, reply) => {
      const asset = await assets.get(request.params.file)
      if (asset === undefined) throw new GatewayError(GatewayCode.API_NOT_FOUND, `GET ${ASSET_PREFIX}/${request.params.file}: the dashboard has no such file`)
      return sendAsset(reply, asset)
    },
  )
  app.get(
    EVENTS_PATH,
    {
      schema: {
        operationId: 'streamEvents',
        summary: 'What changed in the namespace, as server-sent events, for the dashboard (or any client) to read again',
        response: { 200: { content: { 'text/event-stream': { schema: EventStreamSchema } } }, 401: GatewayErrorSchema, 403: GatewayErrorSchema },
      },
      ...(guard === undefined ? {} : { onRequest: guard }),
    },
    async (request, reply) =>
      reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache')
        // nginx would otherwise hold the events back to fill its buffer.
        .header('x-accel-buffering', 'no')
        // A stream of the text the schema documents.
        .send(changes.of(request.namespace).subscribe() as unknown as string),
  )
}

export const dashboard = fp(dashboardPlugin, { name: 'dashboard', fastify: '5.x', dependencies: ['settings', 'namespaces', 'request-finished', 'openapi'] })
