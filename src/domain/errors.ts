/**
 * The vendor's business error catalogue, as the emulated service's own vocabulary: each code with
 * its message, and the error the domain throws. No HTTP here: statuses are the HTTP layer's.
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
const KOODRIVE_MESSAGES: Record<KooDriveCode, string> = {
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

/**
 * A business error: a code of the catalogue and a message that names what is at fault. The domain
 * throws these; the HTTP layer gives them a status (src/koodrive/errors.ts) and the `{code, msg}`
 * envelope.
 */
export class KooDriveError extends Error {
  constructor(
    readonly code: KooDriveCode,
    message: string,
  ) {
    super(message)
  }
}

export const parameterInvalid = (message: string) =>
  new KooDriveError(KooDriveCode.PARAMETER_INVALID, `Parameter invalid: ${message}`)

export const badRequest = (message: string) => new KooDriveError(KooDriveCode.BAD_REQUEST, `Bad request: ${message}`)

export const notFound = (what: string) => new KooDriveError(KooDriveCode.RESOURCE_NOT_FOUND, `Resource not found: ${what}`)

/** Why a caller's credential is refused, before any business rule: the HTTP layer answers each with the gateway's code (src/koodrive/errors.ts). */
export type AuthFailure = 'token-invalid' | 'token-expired' | 'app-auth-failed'

/** A refused credential: a token that is not the caller's or has expired, an app the world lacks. */
export class AuthError extends Error {
  constructor(
    readonly failure: AuthFailure,
    message: string,
  ) {
    super(message)
  }
}
