import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NamespaceDroppedSchema, NamespaceListSchema, NamespaceParamsSchema, type NamespaceSummary } from '../../schemas/admin-namespaces.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { notFound } from '../domain/errors.js'
import type { Namespace } from '../namespaces/namespace.js'

function summaryOf(namespace: Namespace): NamespaceSummary {
  const { emulator, journal, faults, clock } = namespace
  emulator.settle(clock.now())
  return {
    name: namespace.name,
    createdAt: new Date(namespace.createdAtMs).toISOString(),
    lastUsedAt: new Date(namespace.lastUsedAtMs).toISOString(),
    tasks: emulator.tasks.size,
    requests: journal.size,
    faultRules: faults.size,
    files: emulator.world.files.size,
    clockOffsetMs: clock.offsetMs,
  }
}

/** GET /__admin/namespaces and DELETE /__admin/namespaces/:name: every namespace at a glance, and dropping one. */
export const namespaceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const registry = app.namespaces
  app.get(
    '/namespaces',
    {
      schema: {
        operationId: 'listNamespaces',
        summary: 'Every namespace with its counts (a request to this route names none of its own)',
        response: { 200: NamespaceListSchema },
      },
    },
    async () => ({ max: registry.max, namespaces: registry.list().map(summaryOf) }),
  )
  app.delete(
    '/namespaces/:name',
    {
      schema: {
        operationId: 'dropNamespace',
        summary: 'Drop a namespace and everything in it (its next request makes it afresh); default is made afresh at once',
        params: NamespaceParamsSchema,
        response: { 200: NamespaceDroppedSchema, 400: KooDriveErrorSchema, 404: KooDriveErrorSchema },
      },
    },
    async (request) => {
      if (!registry.drop(request.params.name)) throw notFound(`no namespace ${request.params.name}`)
      return { dropped: request.params.name, namespaces: registry.size }
    },
  )
}
