import type { IncomingMessage } from 'node:http'
import { ADMIN_PREFIX } from '../admin/paths.js'
import { createRequestIds } from '../domain/time-and-ids/ids.js'
import { RandomStream, seededStream } from '../domain/time-and-ids/random.js'
import { isNamespaceName, requestedNamespace } from './namespace-name.js'
import type { Namespace } from './namespace.js'
import type { NamespaceRegistry } from './registry.js'

/** A namespace name that was asked for and is not one, and where it was asked for. */
export interface RefusedNamespace {
  name: string
  from: 'header' | 'query'
}

const NAMESPACE = Symbol('koodrive-mock.namespace')
const REFUSED = Symbol('koodrive-mock.refused-namespace')

interface NamespacedRequest extends IncomingMessage {
  [NAMESPACE]?: Namespace
  [REFUSED]?: RefusedNamespace
}

/**
 * Fastify's genReqId, the first thing that sees a request: it works out the request's namespace
 * (made on first use) and draws the ID from that namespace's own stream, so other namespaces'
 * traffic never shifts it. A request naming a bad namespace is kept in `default` (its journal
 * shows it) with an ID from a stream of its own, and refused by the first hook.
 */
export function namespacedRequestIds(registry: NamespaceRegistry): (raw: IncomingMessage) => string {
  const refusedIds = createRequestIds(seededStream(registry.template.randomSeed, RandomStream.REFUSED_REQUEST_IDS))
  return (raw: NamespacedRequest) => {
    const requested = requestedNamespace(raw)
    if (requested !== undefined && !isNamespaceName(requested.name)) {
      raw[NAMESPACE] = registry.default
      raw[REFUSED] = requested
      return refusedIds()
    }
    const namespace = registry.use(requested === undefined ? 'default' : requested.name)
    raw[NAMESPACE] = namespace
    return (raw.url as string).startsWith(ADMIN_PREFIX) ? namespace.nextAdminRequestId() : namespace.nextRequestId()
  }
}

/** The namespace genReqId gave this request (`default` for one that never went through it). */
export const namespaceOf = (raw: IncomingMessage, registry: NamespaceRegistry): Namespace => (raw as NamespacedRequest)[NAMESPACE] ?? registry.default

/** The bad name this request asked for, if it asked for one. */
export const refusedNamespaceOf = (raw: IncomingMessage): RefusedNamespace | undefined => (raw as NamespacedRequest)[REFUSED]
