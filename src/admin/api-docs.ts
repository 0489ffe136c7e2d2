import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, onRequestHookHandler } from 'fastify'
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

/**
 * Swagger UI at /__admin/docs, registered at the root because it builds its asset links from
 * `routePrefix` alone; `guard` is the admin API's token check.
 */
export async function registerSwaggerUi(app: FastifyInstance, guard: onRequestHookHandler | undefined): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/__admin/docs', ...(guard === undefined ? {} : { uiHooks: { onRequest: guard } }) })
}

/** Inside /__admin: the OpenAPI document. */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
