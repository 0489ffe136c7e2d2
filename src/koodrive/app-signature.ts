import { createHash, createHmac } from 'node:crypto'
import { formatXDate } from './x-date.js'

/**
 * KooDrive's app authentication, after Huawei's API gateway convention (koodrive-api.md, "Request
 * headers"): HMAC-SHA256 with the app secret over `HMAC-SHA256\n` + hex(SHA-256(canonical request)),
 *
 *   METHOD\nURI/\nQUERY\nname:value\n…name:value\n\nSIGNED_HEADERS\nhex(SHA-256(body))
 *
 * where the URI is decoded then encoded a segment at a time and ends with `/`, the query is sorted
 * by key (values of a repeated key sorted too) and encoded, each signed header is a line
 * `name:value\n` (lowercase name, trimmed value) sorted by name, so a blank line comes before the
 * signed-header names, and SIGNED_HEADERS is those names joined by `;`. The same functions sign a
 * client's request and check one the emulator receives, so both sides agree by construction.
 */

const APP_AUTH_ALGORITHM = 'HMAC-SHA256'

/** The headers every app signature must cover. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-date', 'x-user-id'] as const

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (encodeURIComponent also leaves ! ' ( ) *). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** `/koodrive/ose/v1/share/tasks` → `/koodrive/ose/v1/share/tasks/`, each segment decoded then encoded. */
export function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => {
      let decoded = segment
      try {
        decoded = decodeURIComponent(segment)
      } catch {
        // A segment that does not decode is encoded as sent.
      }
      return uriEncode(decoded)
    })
    .join('/')
  return encoded.endsWith('/') ? encoded : `${encoded}/`
}

/** `b=2&a=1&a=0` → `a=0&a=1&b=2`: keys sorted, each key's values sorted, all encoded. */
export function canonicalQuery(query: string): string {
  const pairs = new URLSearchParams(query)
  const byKey = new Map<string, string[]>()
  for (const [key, value] of pairs) byKey.set(key, [...(byKey.get(key) ?? []), value])
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => (byKey.get(key) as string[]).sort().map((value) => `${uriEncode(key)}=${uriEncode(value)}`))
    .join('&')
}

type HeaderValues = Record<string, string | string[] | undefined>

/** The signed-header names as the Authorization header lists them: lowercase, sorted, unique. */
export function signedHeaderNames(names: Iterable<string>): string[] {
  return [...new Set([...names].map((name) => name.toLowerCase()))].sort()
}

/** A header's value as signed: several values joined by `,`, trimmed; a missing header signs as empty. */
function headerValue(headers: HeaderValues, name: string): string {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue
    const value = headers[key]
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim()
  }
  return ''
}

export interface CanonicalInput {
  method: string
  /** The path, as sent (percent-encoded or not). */
  path: string
  /** The query string without `?`, as sent. */
  query: string
  headers: HeaderValues
  /** Lowercase, sorted (signedHeaderNames). */
  signedHeaders: readonly string[]
  body: Buffer | string
}

export function canonicalRequest(input: CanonicalInput): string {
  const headerLines = input.signedHeaders.map((name) => `${name}:${headerValue(input.headers, name)}\n`).join('')
  const bodyHash = createHash('sha256').update(input.body).digest('hex')
  return [input.method.toUpperCase(), canonicalUri(input.path), canonicalQuery(input.query), headerLines, input.signedHeaders.join(';'), bodyHash].join('\n')
}

export function stringToSign(canonical: string): string {
  return `${APP_AUTH_ALGORITHM}\n${createHash('sha256').update(canonical).digest('hex')}`
}

/** The signature of a canonical request under `appSecret`: 64 lowercase hex digits. */
export function appSignature(canonical: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(stringToSign(canonical)).digest('hex')
}

export interface SignRequestInput {
  method: string
  /** The whole URL the request goes to: its host is what a client sends as Host, and is signed as such. */
  url: string
  /** The headers the request will carry (X-User-Id at least). */
  headers: HeaderValues
  /** The body as it will be sent; absent for none. */
  body?: Buffer | string
  appId: string
  appSecret: string
  /** Headers to sign besides host, x-date and x-user-id. */
  signHeaders?: readonly string[]
  /** When X-Date is not among `headers`: the time to put in it (now by default). */
  nowMs?: number
}

export interface SignedHeaders {
  authorization: string
  /** Set when the input had no X-Date: send it with the request. */
  'x-date'?: string
}

/**
 * The headers that sign a request with an app's secret: `Authorization: HMAC-SHA256 AppId=…,
 * SignedHeaders=…,Signature=…`, and `X-Date` when the request has none yet.
 *
 * @example
 * const url = `${baseUrl}/koodrive/ose/v1/share/tasks`
 * const body = JSON.stringify(task)
 * const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'my-carrier', 'content-type': 'application/json' }
 * const signed = signRequest({ method: 'POST', url, headers, body, appId: 'ann-app', appSecret: 'ann-app-secret' })
 * await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body })
 */
export function signRequest(input: SignRequestInput): SignedHeaders {
  const target = new URL(input.url)
  const hasXDate = Object.keys(input.headers).some((name) => name.toLowerCase() === 'x-date')
  const xDate = hasXDate ? undefined : formatXDate(input.nowMs ?? Date.now())
  const headers: HeaderValues = { ...input.headers, host: headerValue(input.headers, 'host') || target.host, ...(xDate === undefined ? {} : { 'x-date': xDate }) }
  if (headerValue(headers, 'x-user-id') === '') throw new TypeError('signRequest: the request needs an X-User-Id header to sign')
  const signedHeaders = signedHeaderNames([...REQUIRED_SIGNED_HEADERS, ...(input.signHeaders ?? [])])
  const canonical = canonicalRequest({
    method: input.method,
    path: target.pathname,
    query: target.search.slice(1),
    headers,
    signedHeaders,
    body: input.body ?? '',
  })
  const authorization = `${APP_AUTH_ALGORITHM} AppId=${input.appId},SignedHeaders=${signedHeaders.join(';')},Signature=${appSignature(canonical, input.appSecret)}`
  return xDate === undefined ? { authorization } : { authorization, 'x-date': xDate }
}
