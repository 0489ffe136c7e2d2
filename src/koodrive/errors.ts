import { type AuthError, type AuthFailure, KooDriveCode, KooDriveError } from '../domain/errors.js'

/**
 * What the HTTP layer adds to the business catalogue (src/domain/errors.ts): each business error's
 * status, and the API gateway's own codes. Routes and hooks throw these or the domain's errors; the
 * app's error handler turns both into the vendor's envelopes.
 */

/** A business error's HTTP status: 400, except an internal error, which is 500 (our choice). */
export function kooDriveStatus(code: KooDriveCode): 400 | 500 {
  return code === KooDriveCode.INNER_INVOKE_FAILURE ? 500 : 400
}

/** A business error answered with a status of its own choosing: what a fault rule's `status` makes. */
export class KooDriveErrorWithStatus extends KooDriveError {
  constructor(
    code: KooDriveCode,
    message: string,
    readonly statusCode: number,
  ) {
    super(code, message)
  }
}

/** The gateway's codes, with the status and the text Huawei's API gateway answers with. */
export const GatewayCode = {
  API_NOT_FOUND: { errorCode: 'APIGW.0101', statusCode: 404, text: 'The API does not exist or has not been published in the environment' },
  BODY_TOO_LARGE: { errorCode: 'APIGW.0201', statusCode: 413, text: 'Request entity too large' },
  BACKEND_UNAVAILABLE: { errorCode: 'APIGW.0201', statusCode: 502, text: 'Backend unavailable' },
  BACKEND_TIMEOUT: { errorCode: 'APIGW.0201', statusCode: 504, text: 'Backend timeout' },
  TOKEN_INVALID: { errorCode: 'APIGW.0301', statusCode: 401, text: 'Incorrect IAM authentication information' },
  // Not in the KooDrive reference (our choice, Huawei's gateway code for a refused caller): the admin API's CSRF guard.
  FORBIDDEN: { errorCode: 'APIGW.0302', statusCode: 403, text: 'Access denied' },
  APP_AUTH_FAILED: { errorCode: 'APIGW.0303', statusCode: 401, text: 'Incorrect app authentication information' },
  TOKEN_EXPIRED: { errorCode: 'APIGW.0307', statusCode: 401, text: 'The token must be updated' },
  THROTTLED: { errorCode: 'APIGW.0308', statusCode: 429, text: 'The throttling threshold has been reached' },
} as const
export type GatewayCode = (typeof GatewayCode)[keyof typeof GatewayCode]

/** A gateway error: `{error_code, error_msg, request_id}` with the gateway's status. */
export class GatewayError extends Error {
  readonly errorCode: string
  readonly statusCode: number

  /** `statusCode`: another status than the gateway's own (a fault rule's `status`). */
  constructor(gateway: GatewayCode, detail?: string, statusCode: number = gateway.statusCode) {
    super(detail === undefined ? gateway.text : `${gateway.text}: ${detail}`)
    this.errorCode = gateway.errorCode
    this.statusCode = statusCode
  }
}

/** The gateway's answer to each refused credential the domain names. */
const GATEWAY_CODE_OF_AUTH_FAILURE: Record<AuthFailure, GatewayCode> = {
  'token-invalid': GatewayCode.TOKEN_INVALID,
  'token-expired': GatewayCode.TOKEN_EXPIRED,
  'app-auth-failed': GatewayCode.APP_AUTH_FAILED,
}

/** A refused credential (src/domain/world/authentication.ts) as the gateway answers it: 401 APIGW.0301, 0303 or 0307. */
export const gatewayErrorOf = (error: AuthError) => new GatewayError(GATEWAY_CODE_OF_AUTH_FAILURE[error.failure], error.message)
