import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { FaultRuleListSchema, FaultRuleResponseSchema, FaultRuleSchema, FaultRulesResponseSchema } from '../../schemas/admin-faults.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import type { FaultPlan } from '../faults/fault-plan.js'
import { checkFaultRule, checkFaultRules } from '../faults/rule-check.js'
import { FAULTABLE_OPERATIONS } from '../koodrive/operations.js'
import { documentOnly } from './schema-docs.js'
import { notFound } from '../domain/errors.js'
import { Type } from '@sinclair/typebox'


const RuleParamsSchema = Type.Object({ ruleId: Type.String({ minLength: 1, maxLength: 64 }) })

/** GET/PUT/POST/DELETE /__admin/faults: read, replace, append one, clear; DELETE /__admin/faults/:ruleId: remove one. */
export const faultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rulesReply = (plan: FaultPlan) => ({ rules: plan.list() })
  app.get(
    '/faults',
    { schema: { operationId: 'getFaults', summary: 'The active fault rules, with their counters', response: { 200: FaultRulesResponseSchema } } },
    async (request) => rulesReply(request.namespace.faults),
  )
  app.put(
    '/faults',
    {
      schema: {
        operationId: 'replaceFaults',
        summary: 'Replace every fault rule (a JSON array of rules)',
        body: FaultRuleListSchema,
        response: { 200: FaultRulesResponseSchema, 400: KooDriveErrorSchema },
      },
      validatorCompiler: documentOnly,
    },
    async (request) => {
      request.namespace.faults.replace(checkFaultRules(request.body, 'rules', FAULTABLE_OPERATIONS))
      return rulesReply(request.namespace.faults)
    },
  )
  app.post(
    '/faults',
    {
      schema: {
        operationId: 'addFault',
        summary: 'Append one fault rule',
        body: FaultRuleSchema,
        response: { 201: FaultRuleResponseSchema, 400: KooDriveErrorSchema },
      },
      validatorCompiler: documentOnly,
    },
    async (request, reply) => {
      return reply.code(201).send({ rule: request.namespace.faults.append(checkFaultRule(request.body, 'rule', FAULTABLE_OPERATIONS)) })
    },
  )
  app.delete(
    '/faults',
    { schema: { operationId: 'clearFaults', summary: 'Remove every fault rule', response: { 200: FaultRulesResponseSchema } } },
    async (request) => {
      request.namespace.faults.clear()
      return rulesReply(request.namespace.faults)
    },
  )
  app.delete(
    '/faults/:ruleId',
    {
      schema: {
        operationId: 'removeFault',
        summary: 'Remove the rule with this id; the others keep their counters',
        params: RuleParamsSchema,
        response: { 200: FaultRulesResponseSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      if (request.namespace.faults.remove(request.params.ruleId) === 0) throw notFound(`no fault rule ${request.params.ruleId}`)
      return rulesReply(request.namespace.faults)
    },
  )
}
