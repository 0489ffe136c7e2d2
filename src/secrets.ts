/**
 * The one list of secret names, and the walks that hide them: log lines, logged bodies, journal
 * entries and query strings all go through here, so a name added once is hidden everywhere.
 */

/** Names (compared without case) whose values never leave the emulator: tokens, access codes, secrets. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'kdstoken',
  'extractcode',
  'token',
  // A seed's list of a user's bearer tokens (PUT /__admin/world, logged at debug).
  'tokens',
  'access_token',
  'accesstoken',
  'appsecret',
  'password',
  'cookie',
])

export const REDACTED = '[Redacted]'

/**
 * How deep a copy goes; anything deeper is shown as this marker. Bodies this deep are refused when
 * parsed, but a view must never depend on that: JSON.stringify overflows the stack at a few
 * thousand levels.
 */
export const MAX_VIEW_DEPTH = 64
export const TOO_DEEP = `[Nested deeper than ${MAX_VIEW_DEPTH} levels]`

export const isSecretName = (name: string): boolean => SECRET_NAMES.has(name.toLowerCase())

type Container = Record<string, unknown> | unknown[]

/**
 * A deep copy of `value` with every secret replaced, at any depth, in objects and arrays alike.
 * Iterative (an explicit stack), so a hostile nesting cannot overflow the call stack; `redact`
 * false copies without hiding anything (MOCK_JOURNAL_REDACT=false).
 */
export function redactSecrets(value: unknown, redact = true): unknown {
  if (typeof value !== 'object' || value === null) return value
  const root: Container = Array.isArray(value) ? [] : {}
  const stack: [source: Container, copy: Container, depth: number][] = [[value as Container, root, 1]]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [source, copy, depth] = item
    const keys = Array.isArray(source) ? source.keys() : Object.keys(source)
    for (const key of keys) {
      const inner = (source as Record<string | number, unknown>)[key]
      let kept: unknown = inner
      if (redact && typeof key === 'string' && isSecretName(key)) kept = REDACTED
      else if (typeof inner === 'object' && inner !== null) {
        if (depth >= MAX_VIEW_DEPTH) kept = TOO_DEEP
        else {
          kept = Array.isArray(inner) ? [] : {}
          stack.push([inner as Container, kept as Container, depth + 1])
        }
      }
      // defineProperty, not assignment: a key named __proto__ (a header may be) stays a plain key.
      Object.defineProperty(copy, key, { value: kept, enumerable: true, writable: true, configurable: true })
    }
  }
  return root
}

/** `shortUrl=1&kdstoken=abc` → `shortUrl=1&kdstoken=[Redacted]`: the rest is kept as sent. */
export function redactQuery(query: string): string {
  if (query === '') return query
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return pair
      let name = pair.slice(0, eq)
      try {
        name = decodeURIComponent(name.replaceAll('+', ' '))
      } catch {
        // A name that does not decode is compared as sent.
      }
      return isSecretName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
    })
    .join('&')
}

/** A request URL with its secret query values hidden; a URL without a query is returned as is. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?')
  return queryAt === -1 ? url : `${url.slice(0, queryAt + 1)}${redactQuery(url.slice(queryAt + 1))}`
}
