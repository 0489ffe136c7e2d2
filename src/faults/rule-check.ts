import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { TSchema } from '@sinclair/typebox'
import type { ValueError } from '@sinclair/typebox/errors'
import { FaultRuleListSchema, FaultRuleSchema, type FaultRule } from '../../schemas/fault-rule.js'
import { lowerFirst } from '../domain/world/seed.js'
import { fieldPath } from '../support/json-path.js'
import { ANSWERING_CONNECTIONS } from './effects.js'
import { GatewayCode } from '../koodrive/errors.js'

const checkRuleList = TypeCompiler.Compile(FaultRuleListSchema)
const checkRule = TypeCompiler.Compile(FaultRuleSchema)

export const CREATE_TASK_OPERATION = 'createShareTask'
export const KNOWN_GATEWAY_CODES: string[] = [...new Set(Object.values(GatewayCode).map((gateway) => gateway.errorCode))]

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError'
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
  }
}

/** `/task/outcome` under `MOCK_FAULTS[0]` → `MOCK_FAULTS[0].task.outcome`. */
function pathName(where: string, path: string): string {
  const field = fieldPath(path)
  return field === '' ? where : field.startsWith('[') ? `${where}${field}` : `${where}.${field}`
}

/** What a rule means beyond its shape: each problem names the field. */
function ruleProblems(rule: FaultRule, at: string, operations: readonly string[]): string[] {
  const problems: string[] = []
  const operation = rule.operation ?? '*'
  if (operation !== '*' && !operations.includes(operation)) {
    problems.push(`${at}.operation: "${operation}" is not an operation; use * or one of ${operations.join(', ')}`)
  }
  if (rule.error === undefined && rule.latencyMs === undefined && rule.connection === undefined && rule.task === undefined) {
    problems.push(`${at}: a rule needs at least one effect: error, latencyMs, connection or task`)
  }
  if (Array.isArray(rule.latencyMs) && rule.latencyMs[0] > rule.latencyMs[1]) {
    problems.push(`${at}.latencyMs: [min, max] needs min <= max, got [${rule.latencyMs.join(', ')}]`)
  }
  if (typeof rule.error === 'string' && !KNOWN_GATEWAY_CODES.includes(rule.error)) {
    problems.push(`${at}.error: unknown gateway code ${rule.error}; one of ${KNOWN_GATEWAY_CODES.join(', ')}`)
  }
  if (typeof rule.error === 'object' && (rule.status !== undefined || rule.message !== undefined)) {
    problems.push(`${at}.${rule.status !== undefined ? 'status' : 'message'}: goes with a KooDrive or gateway code; a raw error carries its own status and body`)
  } else if (rule.error === undefined && (rule.status !== undefined || rule.message !== undefined || rule.retryAfterS !== undefined)) {
    const field = rule.status !== undefined ? 'status' : rule.message !== undefined ? 'message' : 'retryAfterS'
    problems.push(`${at}.${field}: needs an error`)
  }
  if (rule.error !== undefined && rule.connection !== undefined && ANSWERING_CONNECTIONS.has(rule.connection)) {
    problems.push(`${at}.connection: "${rule.connection}" answers instead of the error; use one or the other`)
  }
  if (rule.task !== undefined && operation !== CREATE_TASK_OPERATION && operation !== '*') {
    problems.push(`${at}.task: only tasks made by ${CREATE_TASK_OPERATION} have an outcome; set operation to ${CREATE_TASK_OPERATION}`)
  }
  return problems
}

/**
 * Checks a list of rules (MOCK_FAULTS, PUT /__admin/faults, a header): its shape, then what each rule
 * means. Throws one FaultRuleError naming every field at fault; nothing is half-taken.
 */
export function checkFaultRules(input: unknown, where: string, operations: readonly string[]): FaultRule[] {
  const shapeOf = (errors: Iterable<ValueError>, at: string) =>
    [...errors].map((error) => {
      const schema = error.schema as TSchema
      const expected = typeof schema.description === 'string' && error.message.startsWith('Expected union') ? schema.description : lowerFirst(error.message)
      return `${pathName(at, error.path)}: ${expected}`
    })
  // Not a list (or too long): nothing more to say. Else each rule is checked on its own, so one bad
  // field does not hide another rule's problem.
  if (!Array.isArray(input) || input.length > (FaultRuleListSchema.maxItems as number)) {
    throw new FaultRuleError([...new Set(shapeOf(checkRuleList.Errors(input), where))])
  }
  const problems = input.flatMap((rule: unknown, i) =>
    checkRule.Check(rule) ? ruleProblems(rule as FaultRule, `${where}[${i}]`, operations) : [...new Set(shapeOf(checkRule.Errors(rule), `${where}[${i}]`))],
  )
  if (problems.length > 0) throw new FaultRuleError(problems)
  return input as FaultRule[]
}

/** One rule on its own (POST /__admin/faults, X-Mock-Fault): problems name `where`, not `where[0]`. */
export function checkFaultRule(input: unknown, where: string, operations: readonly string[]): FaultRule {
  try {
    return checkFaultRules([input], where, operations)[0] as FaultRule
  } catch (error) {
    const problems = (error as FaultRuleError).problems
    throw new FaultRuleError(problems.map((problem) => problem.replace(`${where}[0]`, where)))
  }
}
