import { Type } from '@sinclair/typebox'

export type ApiVariant = 'carrier' | 'enterprise'

/** The X-Date the docs show; Swagger UI sends the current time in its place (see src/admin/api-docs.ts). */
export const X_DATE_EXAMPLE = '20251103T070140Z'
export const TRACE_ID_LENGTH = 58

/** The emulator's own header, on every route: the namespace the request acts in. */
export const NamespaceHeaderDoc = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9._-]+$',
    // No example: Swagger UI would fill it in, and "Try it out" would land in that namespace.
    description: 'the emulator\'s namespace to act in (its own world, tasks, journal, fault rules and clock), made on first use, e.g. worker-1; absent: default',
  }),
)

/**
 * The request headers of every KooDrive route, for the API docs only: the routes check them in
 * their onRequest hook (src/koodrive/request-headers.ts), with the vendor's order and messages.
 * Which of X-Hw-Agentname and Host is required follows MOCK_API_VARIANT.
 */
export function kooDriveHeadersDoc(variant: ApiVariant) {
  const carrierOnly = (schema: ReturnType<typeof Type.String>) => (variant === 'carrier' ? schema : Type.Optional(schema))
  const enterpriseOnly = (schema: ReturnType<typeof Type.String>) => (variant === 'enterprise' ? schema : Type.Optional(schema))
  return Type.Object({
    'X-User-Id': Type.String({ minLength: 1, description: 'the calling KooDrive user (default world: ann, bob, carol)', examples: ['ann'] }),
    'X-Date': Type.String({
      pattern: '^[0-9]{8}T[0-9]{6}Z$',
      description:
        "when the call was signed, UTC, as yyyyMMdd'T'HHmmss'Z' (e.g. 20251103T070140Z): no later than now " +
        '(plus MOCK_X_DATE_SKEW_S) and at most MOCK_X_DATE_WINDOW_S old. Swagger UI sends the current time when the field holds this example.',
      examples: [X_DATE_EXAMPLE],
    }),
    'X-Hw-Agentname': carrierOnly(
      Type.String({
        minLength: 1,
        description: 'the carrier\'s name, any non-empty text: required by the carrier variant (MOCK_API_VARIANT=carrier, the default); the enterprise variant does not read it',
        examples: ['swagger-ui'],
      }),
    ),
    Host: enterpriseOnly(
      Type.String({
        minLength: 1,
        description: 'part of the app-auth signature: required by the enterprise variant (MOCK_API_VARIANT=enterprise); every HTTP/1.1 client, a browser included, sends it',
        examples: ['127.0.0.1:3000'],
      }),
    ),
    'X-Mock-Namespace': NamespaceHeaderDoc,
    'X-Traceid': Type.Optional(
      Type.String({ minLength: TRACE_ID_LENGTH, maxLength: TRACE_ID_LENGTH, description: `service trace ID, exactly ${TRACE_ID_LENGTH} characters (optional)` }),
    ),
  })
}

/** The public carrier family's headers (share/public/…), for the API docs: only the carrier's name, and the optional trace ID. */
export function publicHeadersDoc() {
  return Type.Object({
    'X-Hw-Agentname': Type.String({
      minLength: 1,
      description: 'the whitelisted carrier\'s name, any non-empty text: all the public family needs (no Authorization, X-User-Id or X-Date)',
      examples: ['swagger-ui'],
    }),
    'X-Traceid': Type.Optional(
      Type.String({ minLength: TRACE_ID_LENGTH, maxLength: TRACE_ID_LENGTH, description: `service trace ID, exactly ${TRACE_ID_LENGTH} characters (optional)` }),
    ),
  })
}

/** Authorization, as OpenAPI security schemes: a bearer token, or the HMAC app signature. */
export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'Authorization: Bearer <token> (Bearer+<token> too). MOCK_AUTH=lenient takes any token; strict only a token of the world\'s user named by X-User-Id ' +
      '(default world: ann-token, bob-token, carol-token; more from POST /__admin/tokens), unused for less than MOCK_TOKEN_TTL_S (401 APIGW.0307 past it; every successful call renews it).',
  },
  hmacApp: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'app authentication: Authorization: HMAC-SHA256 AppId=<app>,SignedHeaders=host;x-date;x-user-id,Signature=<64 hex digits>, the HMAC-SHA256 with the app\'s secret ' +
      'of HMAC-SHA256\\n + hex(SHA-256(canonical request)) (Huawei API gateway\'s convention; the README has the rules). Verified against the world\'s apps (default world: ' +
      'ann-app / ann-app-secret, bob-app / bob-app-secret); a wrong one is 401 APIGW.0303 "verify signature fail" showing the canonical request the emulator computed. ' +
      'An app the world lacks: 401 "app not found" under MOCK_AUTH=strict, taken on its form under lenient.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <MOCK_ADMIN_TOKEN>, when that setting is set',
  },
} as const

/** Either scheme will do on a KooDrive route. */
export const KOODRIVE_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { hmacApp: [] }]
