import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'

/** The vendor's two error envelopes: assertions for one answer, and a judge for any answer (app.inject or a raw socket). */

/** The API gateway's request_id (and every response's X-Request-Id): 32 lowercase hex digits. */
export const REQUEST_ID_PATTERN = /^[0-9a-f]{32}$/

/** Asserts a gateway error: status, the whole envelope, and request_id equal to the X-Request-Id header. */
export function assertGatewayError(
  t: Test,
  res: LightMyRequestResponse,
  statusCode: number,
  errorCode: string,
  errorMsg: string,
): void {
  const requestId = res.headers['x-request-id']
  t.match(requestId, REQUEST_ID_PATTERN, 'X-Request-Id is 32 hex digits')
  t.equal(res.statusCode, statusCode, `HTTP ${statusCode}`)
  t.strictSame(res.json(), { error_code: errorCode, error_msg: errorMsg, request_id: requestId }, 'gateway envelope')
}

/** Asserts a KooDrive business error: HTTP 400 (500 for 13000201) and exactly `{code, msg}`. */
export function assertKooDriveError(t: Test, res: LightMyRequestResponse, code: number, msg: string): void {
  t.equal(res.statusCode, code === 13000201 ? 500 : 400, 'HTTP status')
  t.strictSame(res.json(), { code, msg }, 'KooDrive envelope')
  t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN, 'X-Request-Id is 32 hex digits')
}

/** Enough of a response to judge its envelope: from app.inject or from a real socket. */
export interface ResponseLike {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

/**
 * Why an error response is not exactly one of the vendor's two envelopes (`{code, msg}` with an
 * 8-digit code, or `{error_code, error_msg, request_id}` with request_id = X-Request-Id), or
 * undefined when it is one.
 */
export function vendorEnvelopeProblem(res: ResponseLike): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(res.body)
  } catch {
    return `HTTP ${res.statusCode}: the body is not JSON: ${JSON.stringify(res.body.slice(0, 200))}`
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `HTTP ${res.statusCode}: the body is not an object: ${res.body.slice(0, 200)}`
  const body = parsed as Record<string, unknown>
  const keys = Object.keys(body).sort().join(',')
  if (keys === 'code,msg') {
    const { code, msg } = body
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 10_000_000 || code > 99_999_999) return `code is not an 8-digit integer: ${res.body}`
    if (typeof msg !== 'string' || msg === '') return `msg is not a non-empty string: ${res.body}`
    const status = code === 13000201 ? 500 : 400
    return res.statusCode === status ? undefined : `HTTP ${res.statusCode} for KooDrive code ${code} (expected ${status})`
  }
  if (keys === 'error_code,error_msg,request_id') {
    const { error_code: errorCode, error_msg: errorMsg, request_id: requestId } = body
    if (typeof errorCode !== 'string' || !/^APIGW\.\d{4}$/.test(errorCode)) return `error_code is not APIGW.xxxx: ${res.body}`
    if (typeof errorMsg !== 'string' || errorMsg === '') return `error_msg is not a non-empty string: ${res.body}`
    if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) return `request_id is not 32 hex digits: ${res.body}`
    if (requestId !== res.headers['x-request-id']) return `request_id ${requestId} is not X-Request-Id ${String(res.headers['x-request-id'])}`
    return res.statusCode >= 400 && res.statusCode < 600 ? undefined : `HTTP ${res.statusCode} for a gateway error`
  }
  return `HTTP ${res.statusCode}: not a vendor envelope (keys ${keys}): ${res.body.slice(0, 200)}`
}
