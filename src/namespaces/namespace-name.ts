import type { IncomingMessage } from 'node:http'
import { ADMIN_PREFIX } from '../admin/paths.js'
import { OBJECT_PATH_PREFIX } from '../koodrive/object-storage.js'

/** The namespace a request is in when it names none. */
export const DEFAULT_NAMESPACE = 'default'

/** The header that picks a namespace (lower case, as Node keys headers). */
const NAMESPACE_HEADER = 'x-mock-namespace'

/** The query parameter that picks one on admin routes (a browser tab, curl) and inside download URLs. */
const NAMESPACE_PARAM = 'namespace'

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

/** Whether `name` may name a namespace: 1–64 of A–Z, a–z, 0–9, `.`, `_`, `-` (safe in URLs, headers, proxies' hash keys). */
export const isNamespaceName = (name: string): boolean => NAME_PATTERN.test(name)

export const NAMESPACE_NAME_RULE = '1 to 64 of A-Z a-z 0-9 . _ -'

/** `namespace=` in a query string, decoded; undefined when absent or malformed. */
function namespaceParam(url: string, queryAt: number): string | undefined {
  for (const pair of url.slice(queryAt + 1).split('&')) {
    if (!pair.startsWith(`${NAMESPACE_PARAM}=`)) continue
    try {
      return decodeURIComponent(pair.slice(NAMESPACE_PARAM.length + 1).replace(/\+/g, ' '))
    } catch {
      return pair.slice(NAMESPACE_PARAM.length + 1)
    }
  }
  return undefined
}

/**
 * The namespace a raw request names, before any routing (request IDs are drawn from it): the
 * header first; on admin and object-storage paths `?namespace=` too. Not checked here: a bad name
 * is refused by the request's first hook, naming where it came from.
 */
export function requestedNamespace(raw: IncomingMessage): { name: string; from: 'header' | 'query' } | undefined {
  const header = raw.headers[NAMESPACE_HEADER]
  if (header !== undefined) return { name: Array.isArray(header) ? header.join(',') : header, from: 'header' }
  const url = raw.url as string
  const queryAt = url.indexOf('?')
  // Only where a browser or a download URL cannot send a header; KooDrive routes keep their query strings as the vendor's.
  if (queryAt === -1 || !(url.startsWith(ADMIN_PREFIX) || url.startsWith(OBJECT_PATH_PREFIX))) return undefined
  const name = namespaceParam(url, queryAt)
  return name === undefined ? undefined : { name, from: 'query' }
}
