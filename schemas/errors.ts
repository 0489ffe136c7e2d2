import { Type, type Static } from '@sinclair/typebox'

/** A KooDrive business error: HTTP 400 (500 for 13000201) with an 8-digit code. */
export const KooDriveErrorSchema = Type.Object(
  {
    code: Type.Integer({ minimum: 10000000, maximum: 99999999, examples: [13000102] }),
    msg: Type.String({ examples: ['Parameter invalid: fileIds must have at least 1 item'] }),
  },
  { additionalProperties: false },
)
export type KooDriveErrorBody = Static<typeof KooDriveErrorSchema>

/** The API gateway's own envelope: auth, throttling, unknown route, oversize. */
export const GatewayErrorSchema = Type.Object(
  {
    error_code: Type.String({ pattern: '^APIGW\\.\\d{4}$', examples: ['APIGW.0301'] }),
    error_msg: Type.String({ examples: ['Incorrect IAM authentication information: Authorization header is missing'] }),
    request_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  },
  { additionalProperties: false },
)
export type GatewayErrorBody = Static<typeof GatewayErrorSchema>

/** The error responses every authenticated KooDrive route can give. */
export const KooDriveErrorResponses = {
  400: KooDriveErrorSchema,
  401: GatewayErrorSchema,
  404: GatewayErrorSchema,
  413: GatewayErrorSchema,
  500: KooDriveErrorSchema,
} as const
