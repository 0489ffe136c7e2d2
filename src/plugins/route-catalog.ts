import fp from 'fastify-plugin'
import { operationIdOf } from '../operation-name.js'

interface RouteEntry {
  methods: string[]
  url: string
  operationId: string | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route, as registered: what the README and the API docs must list. */
    routeCatalog: RouteEntry[]
  }
}

/** Collects the routes as they are added; registered before any route. */
export const routeCatalog = fp(
  async (app) => {
    const catalog: RouteEntry[] = []
    app.decorate('routeCatalog', catalog)
    app.addHook('onRoute', (route) => {
      // Hidden routes (Swagger UI's files, the OpenAPI document) are the docs' own, not the API's.
      if ((route.schema as { hide?: boolean } | undefined)?.hide === true) return
      catalog.push({ methods: ([] as string[]).concat(route.method), url: route.url, operationId: operationIdOf(route.schema) })
    })
  },
  { name: 'route-catalog', fastify: '5.x' },
)
