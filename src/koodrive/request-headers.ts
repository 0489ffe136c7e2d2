import type { IncomingHttpHeaders } from 'node:http'
import { TRACE_ID_LENGTH, type ApiVariant } from '../../schemas/koodrive-headers.js'
import { parameterInvalid } from '../domain/errors.js'
import { ANONYMOUS_USER_ID } from '../domain/world/authentication.js'
import { GatewayCode, GatewayError } from './errors.js'
import { formatXDate, parseXDate } from './x-date.js'

export type { ApiVariant }

export interface HeaderRules {
  variant: ApiVariant
  /** How old an X-Date may be. */
  xDateWindowMs: number
  /** How far ahead of now an X-Date may be (MOCK_X_DATE_SKEW_S): a client clock that runs fast. */
  xDateSkewMs?: number
  /**
   * Real time, when the emulator's clock may differ from it (manual, or moved forward): clients sign
   * X-Date with their own clock, so a signature fresh by either clock is taken.
   */
  wallClock?: () => number
}

/** App authentication's Authorization header, parsed: SignedHeaders lowercase, in the order sent. */
export interface AppCredential {
  kind: 'app'
  appId: string
  signedHeaders: string[]
  signature: string
}

/** What Authorization carries once its form passed. */
type Credential = { kind: 'bearer'; token: string } | AppCredential

/** Who is calling, as the headers say once they pass every rule; `none`: a call no credential is asked of (the public family, MOCK_AUTH=off). */
export interface Caller<Kind extends Credential | { kind: 'none' } = Credential | { kind: 'none' }> {
  userId: string
  traceId: string | undefined
  credential: Kind
}

/** A caller of the authenticated family: its Authorization passed its form. */
export type AuthenticatedCaller = Caller<Credential>


/** App authentication must sign at least these (koodrive-api.md). */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-date', 'x-user-id']

/**
 * Checks the headers every KooDrive route needs, in the order the vendor's stack meets them:
 * the gateway's token, then the signature time, then the backend's own header rules.
 */
export function checkKooDriveHeaders(headers: IncomingHttpHeaders, nowMs: number, rules: HeaderRules): AuthenticatedCaller {
  const credential = parseAuthorization(headers.authorization)
  checkXDate(headerValue(headers, 'x-date'), nowMs, rules)
  const userId = requiredHeader(headers, 'x-user-id', 'X-User-Id')
  if (rules.variant === 'carrier') requiredHeader(headers, 'x-hw-agentname', 'X-Hw-Agentname')
  else requiredHeader(headers, 'host', 'Host')
  return { userId, traceId: checkTraceId(headers), credential }
}

/** The public carrier family (share/public/…): only X-Hw-Agentname is needed (and X-Traceid, when sent, must be well-formed). */
export function checkPublicHeaders(headers: IncomingHttpHeaders): Caller {
  requiredHeader(headers, 'x-hw-agentname', 'X-Hw-Agentname')
  return { userId: ANONYMOUS_USER_ID, traceId: checkTraceId(headers), credential: { kind: 'none' } }
}

/** MOCK_AUTH=off: no header is checked; the caller is X-User-Id when one is sent, else the anonymous user. */
export function uncheckedCaller(headers: IncomingHttpHeaders): Caller {
  return { userId: headerValue(headers, 'x-user-id')?.trim() || ANONYMOUS_USER_ID, traceId: headerValue(headers, 'x-traceid'), credential: { kind: 'none' } }
}

function checkTraceId(headers: IncomingHttpHeaders): string | undefined {
  const traceId = headerValue(headers, 'x-traceid')
  if (traceId !== undefined && traceId.length !== TRACE_ID_LENGTH) {
    throw parameterInvalid(`header X-Traceid must be exactly ${TRACE_ID_LENGTH} characters, got ${traceId.length}`)
  }
  return traceId
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function requiredHeader(headers: IncomingHttpHeaders, name: string, displayName: string): string {
  const value = headerValue(headers, name)?.trim()
  if (!value) throw parameterInvalid(`header ${displayName} is required`)
  return value
}

function parseAuthorization(value: string | undefined): Credential {
  if (value === undefined || value.trim() === '') {
    throw new GatewayError(GatewayCode.TOKEN_INVALID, 'Authorization header is missing')
  }
  // The vendor prints `Bearer+{access_token}`; clients send either that or the usual space.
  const bearer = /^Bearer[ +](\S+)$/i.exec(value.trim())
  if (bearer !== null) return { kind: 'bearer', token: bearer[1] as string }
  if (/^HMAC-SHA256\s/i.test(value)) return parseAppAuthorization(value)
  throw new GatewayError(GatewayCode.TOKEN_INVALID, 'Authorization must be "Bearer <token>" or "HMAC-SHA256 AppId=..,SignedHeaders=..,Signature=.."')
}

function parseAppAuthorization(value: string): Credential {
  const fields = new Map<string, string>()
  for (const part of value.replace(/^HMAC-SHA256\s+/i, '').split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim())
  }
  const appId = fields.get('appid')
  const signedHeaders = fields.get('signedheaders')
  const signature = fields.get('signature')
  if (!appId || !signedHeaders || !signature || !/^[0-9a-f]{64}$/i.test(signature)) {
    throw new GatewayError(
      GatewayCode.TOKEN_INVALID,
      'HMAC-SHA256 Authorization needs AppId, SignedHeaders and a 64-hex-digit Signature',
    )
  }
  const signed = signedHeaders.toLowerCase().split(';')
  const unsigned = REQUIRED_SIGNED_HEADERS.filter((name) => !signed.includes(name))
  if (unsigned.length > 0) {
    throw new GatewayError(GatewayCode.APP_AUTH_FAILED, `verify signature fail: SignedHeaders must include ${unsigned.join(';')}`)
  }
  return { kind: 'app', appId, signedHeaders: signed, signature: signature.toLowerCase() }
}

function checkXDate(value: string | undefined, nowMs: number, { xDateWindowMs, xDateSkewMs = 0, wallClock }: HeaderRules): void {
  if (value === undefined || value.trim() === '') throw parameterInvalid('header X-Date is required')
  const signedAtMs = parseXDate(value.trim())
  if (signedAtMs === undefined) {
    throw parameterInvalid(`header X-Date must be a UTC time as yyyyMMdd'T'HHmmss'Z' (e.g. 20251103T070140Z), got "${value}"`)
  }
  const freshAt = (atMs: number) => signedAtMs <= atMs + xDateSkewMs && signedAtMs >= atMs - xDateWindowMs
  const wallMs = wallClock?.()
  if (freshAt(nowMs) || (wallMs !== undefined && freshAt(wallMs))) return
  // Ahead of the server time the message names: the client's clock runs fast, which "expired" would not tell it.
  const ahead = signedAtMs > nowMs + xDateSkewMs
  const times = `signature time:${formatXDate(signedAtMs)},server time:${formatXDate(nowMs)}`
  throw new GatewayError(
    GatewayCode.APP_AUTH_FAILED,
    ahead ? `signature time is in the future, ${times} (MOCK_X_DATE_SKEW_S allows ${xDateSkewMs / 1000} s ahead)` : `signature expired, ${times}`,
  )
}
