import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** Where the emulated API is mounted. */
export const KOODRIVE_PREFIX = '/koodrive/ose/v1'

type TypeBoxApp = Parameters<FastifyPluginAsyncTypebox>[0]
type Register = (app: TypeBoxApp, operationId: string, path: string) => Promise<void>

/** A KooDrive endpoint: its operationId and path, known before it is registered, and the plugin that registers it. */
export interface KooDriveRoute<Id extends string = string> {
  readonly operationId: Id
  /** Under KOODRIVE_PREFIX. */
  readonly path: string
  readonly plugin: FastifyPluginAsyncTypebox
  /** How it registers: the public family registers the same endpoint under another path and operationId. */
  readonly register: Register
  /** A public family endpoint: the operationId of the authenticated one it answers like. */
  readonly twinOf?: string
}

/**
 * One endpoint of the emulated API. The operationId is the route's schema's, and also what the
 * fault rules, the log line and the journal call it: the list of registered routes is the list of
 * operations a fault rule may name (src/koodrive/operations.ts).
 */
export function kooDriveRoute<const Id extends string>(operationId: Id, path: string, register: Register): KooDriveRoute<Id> {
  return { operationId, path, register, plugin: async (app) => register(app, operationId, path) }
}

/** Where the public carrier family lives: `/share/userInfo` → `/share/public/userInfo`. */
export const publicPathOf = (path: string) => path.replace(/^\/share\//, '/share/public/')

/** The same endpoint in the public carrier family, under share/public/ with an operationId of its own. */
export function publicTwin<const Id extends string>(route: KooDriveRoute, operationId: Id): KooDriveRoute<Id> {
  const path = publicPathOf(route.path)
  const { register } = route
  return { operationId, path, register, twinOf: route.operationId, plugin: async (app) => register(app, operationId, path) }
}
