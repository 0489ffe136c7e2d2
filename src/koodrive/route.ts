import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** Where the emulated API is mounted. */
export const KOODRIVE_PREFIX = '/koodrive/ose/v1'

/** A KooDrive endpoint: its operationId, known before it is registered, and the plugin that registers it. */
export interface KooDriveRoute<Id extends string = string> {
  readonly operationId: Id
  readonly plugin: FastifyPluginAsyncTypebox
}

type TypeBoxApp = Parameters<FastifyPluginAsyncTypebox>[0]

/**
 * One endpoint of the emulated API. The operationId is the route's schema's, and also what the
 * fault rules, the log line and the journal call it: the list of registered routes is the list of
 * operations a fault rule may name (src/koodrive/operations.ts).
 */
export function kooDriveRoute<const Id extends string>(operationId: Id, register: (app: TypeBoxApp, operationId: Id) => Promise<void>): KooDriveRoute<Id> {
  return { operationId, plugin: async (app) => register(app, operationId) }
}

