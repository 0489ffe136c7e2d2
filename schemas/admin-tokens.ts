import { Type, type Static } from '@sinclair/typebox'

/** POST /__admin/tokens: a bearer token for a user, as a login would give one. */
export const IssueTokenBodySchema = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 128, description: 'a user of the world (a lenient world makes one it lacks)', examples: ['ann'] }),
    ttlS: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 31_536_000, description: 'how long the token lives unused, seconds (every successful call renews it); default MOCK_TOKEN_TTL_S; 0: for ever' }),
    ),
  },
  { additionalProperties: false },
)

export const IssuedTokenSchema = Type.Object(
  {
    token: Type.String({ description: 'send it as Authorization: Bearer <token>, with X-User-Id: <userId>', examples: ['6b1c0e5fd2a94c3e8f7a1d2b3c4e5f60718293a4'] }),
    userId: Type.String({ examples: ['ann'] }),
    ttlS: Type.Integer({ description: 'how long it lives unused, seconds; 0: for ever', examples: [1200] }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when it expires if it is not used before, by the emulator\'s clock (each successful call moves it on); null: never',
    }),
  },
  { additionalProperties: false },
)
export type IssuedToken = Static<typeof IssuedTokenSchema>
