import type { TSchema } from '@sinclair/typebox'
import { CreateShareTaskDocSchema } from '../../schemas/share-tasks.js'

/**
 * For routes whose body is checked by the domain's own checker (fault rules, world seeds): the
 * schema documents the body in the API docs, and the checker reports problems the same way on every
 * channel (env, admin API, header).
 */
export const documentOnly = () => () => true

/** Bodies the docs give in place of the route's own schema, by operationId (see CreateShareTaskDocSchema). */
export const DOCUMENTED_BODIES: Record<string, TSchema> = {
  createShareTask: CreateShareTaskDocSchema,
}
