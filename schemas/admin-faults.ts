import { Type, type Static } from '@sinclair/typebox'
import { FaultRuleListSchema, FaultRuleSchema } from './fault-rule.js'

/** A rule as the admin API shows it: with its ID (given or generated) and its counters. */
/** One object, not an allOf: the rule's `additionalProperties: false` would refuse the counters. */
const FaultRuleStateSchema = Type.Object(
  {
    ...FaultRuleSchema.properties,
    id: Type.String(),
    matched: Type.Integer({ description: 'requests this rule matched' }),
    fired: Type.Integer({ description: 'times it fired' }),
  },
  { additionalProperties: false },
)

export type FaultRuleState = Static<typeof FaultRuleStateSchema>

export const FaultRulesResponseSchema = Type.Object({ rules: Type.Array(FaultRuleStateSchema) }, { additionalProperties: false })
export const FaultRuleResponseSchema = Type.Object({ rule: FaultRuleStateSchema }, { additionalProperties: false })
export { FaultRuleListSchema, FaultRuleSchema }
