/**
 * The error catalogue: KooDrive business codes and API-gateway codes, each with its HTTP status.
 * Routes and hooks throw these; the app's error handler turns them into the vendor's envelopes.
 */

export const KooDriveCode = {
  BAD_REQUEST: 13000101,
  PARAMETER_INVALID: 13000102,
  INNER_INVOKE_FAILURE: 13000201,
  CONTAINER_NOT_EXIST_OR_STATE_ERROR: 13000301,
  FILE_NOT_IN_SPECIFIED_CONTAINER: 13000302,
  TARGET_DIRECTORY_ABNORMAL: 13000304,
  TARGET_DIRECTORY_RECYCLED: 13000305,
  FILE_RECYCLED: 13000306,
  RESOURCE_NOT_FOUND: 13000309,
  INSUFFICIENT_SPACE: 13000311,
  FILE_ALREADY_IN_TARGET: 13000312,
  FOLDER_NOT_ALLOWED: 13000406,
  NO_PERMISSION: 13000410,
  SPACE_NOT_ACTIVE: 13000412,
} as const
export type KooDriveCode = (typeof KooDriveCode)[keyof typeof KooDriveCode]

/** Each code's message, as the emulator's own errors begin it: what an injected code says unless its rule says otherwise. */
export const KOODRIVE_MESSAGES: Record<KooDriveCode, string> = {
  [KooDriveCode.BAD_REQUEST]: 'Bad request',
  [KooDriveCode.PARAMETER_INVALID]: 'Parameter invalid',
  [KooDriveCode.INNER_INVOKE_FAILURE]: 'Internal error',
  [KooDriveCode.CONTAINER_NOT_EXIST_OR_STATE_ERROR]: 'Space not found or in a bad state',
  [KooDriveCode.FILE_NOT_IN_SPECIFIED_CONTAINER]: 'File not in the specified space',
  [KooDriveCode.TARGET_DIRECTORY_ABNORMAL]: 'Target directory abnormal',
  [KooDriveCode.TARGET_DIRECTORY_RECYCLED]: 'Target directory in the recycle bin',
  [KooDriveCode.FILE_RECYCLED]: 'File in the recycle bin',
  [KooDriveCode.RESOURCE_NOT_FOUND]: 'Resource not found',
  [KooDriveCode.INSUFFICIENT_SPACE]: 'Insufficient space',
  [KooDriveCode.FILE_ALREADY_IN_TARGET]: 'File already in the target folder',
  [KooDriveCode.FOLDER_NOT_ALLOWED]: 'Operation not allowed on a folder',
  [KooDriveCode.NO_PERMISSION]: 'No permission',
  [KooDriveCode.SPACE_NOT_ACTIVE]: 'Space not active',
}

/** The catalogue's message of `code`, or undefined for an 8-digit code the catalogue lacks. */
export const catalogueMessage = (code: number): string | undefined => (KOODRIVE_MESSAGES as Record<number, string | undefined>)[code]

/** A business error: `{code, msg}`, HTTP 400, except an internal error, which is 500 (our choice). */
export class KooDriveError extends Error {
  readonly statusCode: number

  constructor(
    readonly code: KooDriveCode,
    message: string,
  ) {
    super(message)
    this.statusCode = code === KooDriveCode.INNER_INVOKE_FAILURE ? 500 : 400
  }
}

export const parameterInvalid = (message: string) =>
  new KooDriveError(KooDriveCode.PARAMETER_INVALID, `Parameter invalid: ${message}`)

export const badRequest = (message: string) => new KooDriveError(KooDriveCode.BAD_REQUEST, `Bad request: ${message}`)

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

  constructor(gateway: GatewayCode, detail?: string) {
    super(detail === undefined ? gateway.text : `${gateway.text}: ${detail}`)
    this.errorCode = gateway.errorCode
    this.statusCode = gateway.statusCode
  }
}
