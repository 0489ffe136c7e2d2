import { Type, type Static } from '@sinclair/typebox'

export const HealthResponseSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    uptimeS: Type.Number({ minimum: 0, description: 'seconds since the server started' }),
  },
  { additionalProperties: false },
)
export type HealthResponse = Static<typeof HealthResponseSchema>
