import { Type, type TSchema } from '@sinclair/typebox'

const KooDriveErrorProperties = {
  code: Type.Integer({ minimum: 10000000, maximum: 99999999, description: 'an 8-digit KooDrive error code' }),
  msg: Type.String({ description: 'what went wrong; names the field or header at fault' }),
}

/** A KooDrive business error: HTTP 400 (500 for 13000201) with an 8-digit code. */
export const KooDriveErrorSchema = Type.Object(KooDriveErrorProperties, { additionalProperties: false })

const GatewayErrorProperties = {
  error_code: Type.String({ pattern: '^APIGW\\.\\d{4}$', description: 'the API gateway\'s code' }),
  error_msg: Type.String(),
  request_id: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'the same as the X-Request-Id response header' }),
}

/** The API gateway's own envelope: auth, throttling, unknown route, oversize. */
export const GatewayErrorSchema = Type.Object(GatewayErrorProperties, { additionalProperties: false })

/** A named example of a response body, as OpenAPI's `examples` map holds them. */
interface NamedExample {
  summary: string
  value: unknown
}

/** An example request_id: a real one is the response's X-Request-Id. */
const REQUEST_ID = '6f1c2d3e4a5b69788796a5b4c3d2e1f0'

/**
 * One documented error response: the envelope's schema with the response's description and
 * examples that are true for that status (`x-examples` becomes the media type's `examples`).
 */
const kooDriveError = (description: string, examples: Record<string, NamedExample>) =>
  Type.Object(KooDriveErrorProperties, { additionalProperties: false, description, 'x-examples': examples })
const gatewayError = (description: string, examples: Record<string, NamedExample>) =>
  Type.Object(GatewayErrorProperties, { additionalProperties: false, description, 'x-examples': examples })
const gatewayExample = (summary: string, errorCode: string, errorMsg: string): NamedExample => ({
  summary,
  value: { error_code: errorCode, error_msg: errorMsg, request_id: REQUEST_ID },
})

const BadRequest = kooDriveError('a body field, query parameter or header breaks a rule (13000102), the body is not JSON (13000101), or the world refuses the request (13000301…13000412)', {
  parameterInvalid: { summary: 'a field breaks a rule', value: { code: 13000102, msg: 'Parameter invalid: fileIds must have at least 1 item' } },
  headerMissing: { summary: 'a required header is missing', value: { code: 13000102, msg: 'Parameter invalid: header X-User-Id is required' } },
  notJson: { summary: 'the body is not JSON', value: { code: 13000101, msg: 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key' } },
  notFound: { summary: 'an unknown share, task or file', value: { code: 13000309, msg: 'Resource not found: share 1000000000000000001' } },
  hostMissing: { summary: 'an HTTP/1.1 request without Host', value: { code: 13000102, msg: 'Parameter invalid: header Host is required (HTTP/1.1)' } },
})
const Unauthorized = gatewayError(
  'Authorization missing or malformed, or (MOCK_AUTH=strict) a token that is not the world\'s for X-User-Id (APIGW.0301); a token unused for MOCK_TOKEN_TTL_S (APIGW.0307); ' +
    'an app signature that does not verify, an app the world lacks (strict), or X-Date outside the window (APIGW.0303)',
  {
    tokenMissing: gatewayExample('no Authorization header', 'APIGW.0301', 'Incorrect IAM authentication information: Authorization header is missing'),
    tokenNotValid: gatewayExample('MOCK_AUTH=strict: a token no user of the world has', 'APIGW.0301', 'Incorrect IAM authentication information: the token is not valid'),
    tokenExpired: gatewayExample(
      'MOCK_AUTH=strict: a token unused for its life',
      'APIGW.0307',
      'The token must be updated: the token has not been used for 1200 s and lives 1200 s unused (MOCK_TOKEN_TTL_S); get a new one with POST /__admin/tokens',
    ),
    appNotFound: gatewayExample('MOCK_AUTH=strict: an AppId the world lacks', 'APIGW.0303', 'Incorrect app authentication information: app not found: no app my-app in the world (a user\'s apps in the seed)'),
    signatureMismatch: gatewayExample(
      'a signature the app\'s secret does not give: the message shows the canonical request and the string to sign the emulator computed',
      'APIGW.0303',
      "Incorrect app authentication information: verify signature fail: Signature is not the one app ann-app's secret gives over this request. The canonical request the emulator computed:\n" +
        'GET\n/koodrive/ose/v1/share/userInfo/\nshortUrl=1822239307136816339\nhost:127.0.0.1:3000\nx-date:20251103T070140Z\nx-user-id:ann\n\nhost;x-date;x-user-id\n' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nThe string to sign (HMAC-SHA256 of it with the app secret is the signature):\nHMAC-SHA256\n' +
        '7dc31961226a367e7e65213e1288fa7d2e18439609377bc86814b123a5918e90',
    ),
    signatureExpired: gatewayExample(
      'X-Date too old',
      'APIGW.0303',
      'Incorrect app authentication information: signature expired, signature time:20251103T070140Z,server time:20251103T073000Z',
    ),
  },
)
const InjectedNotFound = gatewayError('from an injected fault (error APIGW.0101), or the public family while MOCK_PUBLIC_SHARES is off: the gateway knows no such API', {
  apiNotFound: gatewayExample('injected APIGW.0101', 'APIGW.0101', 'The API does not exist or has not been published in the environment'),
  publicFamilyOff: gatewayExample(
    'a public family route, MOCK_PUBLIC_SHARES unset',
    'APIGW.0101',
    'The API does not exist or has not been published in the environment: GET /koodrive/ose/v1/share/public/userInfo: the public carrier family is off (MOCK_PUBLIC_SHARES=true turns it on)',
  ),
})
const BodyTooLarge = gatewayError('the body is larger than MOCK_BODY_LIMIT', {
  bodyTooLarge: gatewayExample('a body over the limit', 'APIGW.0201', 'Request entity too large'),
})
const TOO_MANY_CONNECTIONS = gatewayExample(
  'a request on a connection past MOCK_MAX_CONNECTIONS (Retry-After: 1, Connection: close)',
  'APIGW.0308',
  'The throttling threshold has been reached: 1000 connections are open (MOCK_MAX_CONNECTIONS); retry on a new connection',
)
const Throttled = gatewayError('an injected fault (error APIGW.0308; Retry-After when the rule sets retryAfterS), or a connection past MOCK_MAX_CONNECTIONS', {
  throttled: gatewayExample('injected APIGW.0308', 'APIGW.0308', 'The throttling threshold has been reached'),
  tooManyConnections: TOO_MANY_CONNECTIONS,
})
const TooManyConnections = gatewayError('a request on a connection past MOCK_MAX_CONNECTIONS', { tooManyConnections: TOO_MANY_CONNECTIONS })
const InternalError = kooDriveError('an unexpected error (logged), or an injected 13000201', {
  internalError: { summary: 'an internal error', value: { code: 13000201, msg: 'Internal error' } },
})
const BackendUnavailable = gatewayError('only from an injected fault (error APIGW.0201): backend unavailable', {
  backendUnavailable: gatewayExample('injected APIGW.0201', 'APIGW.0201', 'Backend unavailable'),
})
const BackendTimeout = gatewayError('only from an injected fault (error APIGW.0201 with status 504): backend timeout', {
  backendTimeout: gatewayExample('injected APIGW.0201, status 504', 'APIGW.0201', 'Backend timeout'),
})

/**
 * What a fault rule's raw error (`{"status": n, "body": …}`), or a code with a `status` of its
 * own, sends: any status, any JSON body, or a string as text. Nothing more can be said of it.
 */
const InjectedAnyResponse = {
  description:
    'only from an injected fault: a raw error {status, body} sends any status and body (a string body as text/plain), and a rule\'s `status` moves a code ' +
    'to any status; such an answer is this one whatever its status\'s own entry says (it carries X-Mock-Fault-Applied)',
  content: {
    'application/json': { schema: {} },
    'text/plain': { schema: { type: 'string' } },
  },
} as unknown as TSchema

/**
 * Every status a KooDrive route can answer with, beside its 200: its own errors and those an
 * injected fault sends (404, 429, 502, 504, and `default` for a raw one).
 */
export const KooDriveErrorResponses = {
  400: BadRequest,
  401: Unauthorized,
  404: InjectedNotFound,
  413: BodyTooLarge,
  429: Throttled,
  500: InternalError,
  502: BackendUnavailable,
  504: BackendTimeout,
  default: InjectedAnyResponse,
} as const

const AdminHostMissing = kooDriveError('an HTTP/1.1 request without a Host header', {
  hostMissing: { summary: 'no Host', value: { code: 13000102, msg: 'Parameter invalid: header Host is required (HTTP/1.1)' } },
})
const AdminBadRequest = kooDriveError('the body, a query parameter or a path parameter breaks a rule (13000102), the body is not JSON (13000101), the task is unknown (13000309), or an HTTP/1.1 request has no Host', {
  parameterInvalid: { summary: 'a field breaks a rule', value: { code: 13000102, msg: 'Parameter invalid: rule.latencyMs: [min, max] needs min <= max, got [500, 100]' } },
  notJson: { summary: 'the body is not JSON', value: { code: 13000101, msg: 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key' } },
})
const AdminUnauthorized = gatewayError('MOCK_ADMIN_TOKEN is set and the call does not carry it', {
  adminToken: gatewayExample(
    'no admin token',
    'APIGW.0301',
    'Incorrect IAM authentication information: the admin API needs Authorization: Bearer <MOCK_ADMIN_TOKEN>',
  ),
})

const AdminForbidden = gatewayError('the call comes from a web page whose origin is neither the emulator\'s own nor in MOCK_ADMIN_CORS_ORIGIN (a CSRF guard)', {
  foreignPage: gatewayExample(
    'a request from another site',
    'APIGW.0302',
    'Access denied: the admin API takes no requests from the page at Origin https://evil.example; list it in MOCK_ADMIN_CORS_ORIGIN to allow it',
  ),
})

/**
 * The errors an admin route can answer with: 400 (bad input where it takes input; a missing Host
 * anywhere), 413 where it takes a body or query, 401 and 403 unless it is open, 429 past the
 * connection cap, 500.
 */
export function adminErrorResponses(route: { takesInput: boolean; open: boolean }): Record<string, TSchema> {
  return {
    ...(route.takesInput ? { 400: AdminBadRequest, 413: BodyTooLarge } : { 400: AdminHostMissing }),
    ...(route.open ? {} : { 401: AdminUnauthorized, 403: AdminForbidden }),
    429: TooManyConnections,
    500: InternalError,
  }
}
