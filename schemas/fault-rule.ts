import { Type, type Static } from '@sinclair/typebox'
import { SchemaReference } from './schema-reference.js'
import { IntegerLiteral } from './string-enum.js'

/**
 * One fault rule: which requests it matches, when it fires, and what it does. The same schema serves
 * MOCK_FAULTS, /__admin/faults and (in compact form) the X-Mock-Fault header.
 */
const TASK_OUTCOMES = ['success', 'partial', 'failed', 'cancelled', 'stuck'] as const
export const CONNECTION_FAULTS = ['reset', 'hang', 'empty', 'malformed', 'truncate', 'slow'] as const

const MAX_LATENCY_MS = 600_000

const LatencyValueSchema = Type.Integer({ minimum: 0, maximum: MAX_LATENCY_MS })

/**
 * A range is an array of exactly two, not a Tuple: a tuple's `items: [..]` and `additionalItems`
 * are not valid OpenAPI 3.0. The rule check still reads `[min, max]` (see FaultRule below).
 */
const LatencySchema = Type.Union(
  [LatencyValueSchema, Type.Array(LatencyValueSchema, { minItems: 2, maxItems: 2 })],
  { description: 'milliseconds: fixed, or [min, max] drawn uniformly (seeded)' },
)

const RawErrorSchema = Type.Object(
  {
    status: Type.Integer({ minimum: 200, maximum: 599 }),
    body: Type.Unknown({ description: 'sent as JSON; a string is sent as is' }),
  },
  { additionalProperties: false },
)

const FaultErrorSchema = Type.Union(
  [
    Type.Integer({ minimum: 10000000, maximum: 99999999, description: 'a KooDrive code, e.g. 13000201' }),
    Type.String({ pattern: '^APIGW\\.\\d{4}$', description: 'a gateway code, e.g. APIGW.0308' }),
    RawErrorSchema,
  ],
  { description: 'a KooDrive code, a gateway code, or a raw {status, body}' },
)

const FaultMatchSchema = Type.Object(
  {
    userId: Type.Optional(Type.String({ minLength: 1 })),
    shareId: Type.Optional(Type.String({ minLength: 1 })),
    taskType: Type.Optional(Type.Union([IntegerLiteral(1), IntegerLiteral(2)], { description: '1 or 2' })),
  },
  { additionalProperties: false },
)

const TaskFaultSchema = Type.Object(
  {
    outcome: Type.Union(TASK_OUTCOMES.map((o) => Type.Literal(o)), { description: `one of ${TASK_OUTCOMES.join(', ')}` }),
    durationMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  },
  { additionalProperties: false },
)

export const FaultRuleSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
    operation: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'an operationId such as createShareTask, or * (default)' })),
    match: Type.Optional(FaultMatchSchema),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    first: Type.Optional(Type.Integer({ minimum: 1, description: 'only the first N matching requests' })),
    every: Type.Optional(Type.Integer({ minimum: 1, description: 'every Nth matching request' })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'skip the first N matching requests' })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'fire at most N times' })),
    error: Type.Optional(FaultErrorSchema),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, description: 'HTTP status for a KooDrive or gateway error (e.g. 504 for APIGW.0201)' })),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the error\'s msg / error_msg' })),
    retryAfterS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    latencyMs: Type.Optional(LatencySchema),
    connection: Type.Optional(Type.Union(CONNECTION_FAULTS.map((c) => Type.Literal(c)), { description: `one of ${CONNECTION_FAULTS.join(', ')}` })),
    task: Type.Optional(TaskFaultSchema),
  },
  { additionalProperties: false },
)
/** Fixed, or `[min, max]`: the schema's array of two, as the code reads it. */
type Latency = number | [number, number]
export type FaultRule = Omit<Static<typeof FaultRuleSchema>, 'latencyMs'> & { latencyMs?: Latency }
export type TaskFault = Static<typeof TaskFaultSchema>

export const FaultRuleListSchema = Type.Array(FaultRuleSchema, { maxItems: 1000 })

/**
 * A rules file as MOCK_FAULTS and --faults take it: the list itself, or the list as `rules` beside
 * the `$schema` an editor reads (a JSON array has no key to carry it).
 */
export const FaultRulesDocumentSchema = Type.Object(
  { $schema: SchemaReference('schemas/fault-rules.schema.json'), rules: FaultRuleListSchema },
  { additionalProperties: false },
)
export const FaultRulesFileSchema = Type.Union([FaultRuleListSchema, FaultRulesDocumentSchema], {
  description: 'a list of fault rules, or {"$schema": …, "rules": [the list]}',
})
