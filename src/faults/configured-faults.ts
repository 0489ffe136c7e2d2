import { Type } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { FaultRulesDocumentSchema, type FaultRule } from '../../schemas/fault-rule.js'
import { lowerFirst } from '../domain/world/seed.js'
import { FAULTABLE_OPERATIONS } from '../koodrive/operations.js'
import { illFormedField, MAX_BODY_DEPTH, nestsDeeperThan } from '../json-body.js'
import { fieldPath } from '../support/json-path.js'
import { checkFaultRule, checkFaultRules, FaultRuleError } from './rule-check.js'

/** The `{"$schema", "rules"}` form's own keys; its rules are checked as a list is, for the same messages. */
const checkRulesDocument = TypeCompiler.Compile(Type.Object({ ...FaultRulesDocumentSchema.properties, rules: Type.Unknown() }, { additionalProperties: false }))

/** MOCK_FAULTS's rules, and the name its problems start with: the list itself, or `rules` of the document form. */
function ruleListOf(document: unknown): { list: unknown; where: string } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return { list: document, where: 'MOCK_FAULTS' }
  // One rule on its own is the likely mistake: say what the two forms are.
  if (!('rules' in document)) throw new FaultRuleError(['MOCK_FAULTS: expected an array of rules, or {"$schema": …, "rules": [the array]}'])
  const problems = [...checkRulesDocument.Errors(document)].map((error) => `MOCK_FAULTS.${fieldPath(error.path)}: ${lowerFirst(error.message)}`)
  if (problems.length > 0) throw new FaultRuleError(problems)
  return { list: (document as { rules: unknown }).rules, where: 'MOCK_FAULTS.rules' }
}

/** MOCK_FAULTS as JSON, held to what an admin call's body is held to: bounded nesting, well-formed strings. */
function parseConfiguredRules(text: string): unknown {
  const document: unknown = JSON.parse(text)
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) throw new FaultRuleError([`MOCK_FAULTS: nests deeper than ${MAX_BODY_DEPTH} levels`])
  const illFormed = illFormedField(document)
  if (illFormed !== undefined) throw new FaultRuleError([`MOCK_FAULTS: ${illFormed} is not well-formed Unicode (it holds a lone surrogate)`])
  return document
}

/** The fault settings, as the configuration holds them (src/config.ts). */
export interface FaultSettings {
  MOCK_FAULTS?: string | undefined
  MOCK_ERROR_RATE: number
  MOCK_ERROR: string
  MOCK_LATENCY_MS?: string | undefined
}

/**
 * The rules a server starts with: MOCK_FAULTS in order, then the MOCK_ERROR_RATE shortcut last, so
 * a specific rule wins over the blanket rate.
 */
export function initialFaultRules(config: Omit<FaultSettings, 'MOCK_LATENCY_MS'>): FaultRule[] {
  const { list, where } = config.MOCK_FAULTS === undefined ? { list: [], where: 'MOCK_FAULTS' } : ruleListOf(parseConfiguredRules(config.MOCK_FAULTS))
  const listed = checkFaultRules(list, where, FAULTABLE_OPERATIONS)
  // A rule without an id is named after its place, so it keeps its name across resets.
  const rules = listed.map((rule, i) => ({ ...rule, id: rule.id ?? `MOCK_FAULTS-${i + 1}` }))
  if (config.MOCK_ERROR_RATE > 0) {
    const error = /^\d+$/.test(config.MOCK_ERROR) ? Number(config.MOCK_ERROR) : config.MOCK_ERROR
    rules.push({ id: 'MOCK_ERROR_RATE', operation: '*', probability: config.MOCK_ERROR_RATE, error })
  }
  return rules
}

/** MOCK_LATENCY_MS as a rule of latency only: `300` or `100-500`. It applies on top of any rule. */
export function latencyBaseline(config: Pick<FaultSettings, 'MOCK_LATENCY_MS'>): FaultRule | undefined {
  if (config.MOCK_LATENCY_MS === undefined) return undefined
  const [min, max = min] = config.MOCK_LATENCY_MS.split('-').map(Number) as [number, number?]
  return { latencyMs: min === max ? min : [min, max] }
}

/** The fault settings' problems that their patterns cannot see, by variable. */
export function configuredFaultProblems(
  config: FaultSettings,
  /** Settings whose own shape is already reported: not checked again here. */
  skip: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const problems = new Map<string, string>()
  const problemOf = (check: () => unknown) => {
    try {
      check()
      return undefined
    } catch (error) {
      // A rule's problems name MOCK_FAULTS[i] already; only a JSON error needs the name.
      return error instanceof FaultRuleError ? error.problems.join('; ') : `MOCK_FAULTS: not JSON (${(error as Error).message})`
    }
  }
  // MOCK_FAULTS is any text to the schema: what it means is all checked here.
  const faults = problemOf(() => initialFaultRules({ ...config, MOCK_ERROR_RATE: 0 }))
  if (faults !== undefined) problems.set('MOCK_FAULTS', faults)
  if (skip.has('MOCK_ERROR') || skip.has('MOCK_LATENCY_MS')) return problems
  const error = problemOf(() => initialFaultRules({ ...config, MOCK_FAULTS: undefined, MOCK_ERROR_RATE: 1 }).map((rule) => checkFaultRule(rule, 'MOCK_ERROR', FAULTABLE_OPERATIONS)))
  if (error !== undefined) problems.set('MOCK_ERROR', `MOCK_ERROR=${JSON.stringify(config.MOCK_ERROR)}: ${error.replace('MOCK_ERROR.error: ', '')}`)
  const baseline = latencyBaseline(config)
  const latency = baseline === undefined ? undefined : problemOf(() => checkFaultRule(baseline, 'MOCK_LATENCY_MS', FAULTABLE_OPERATIONS))
  if (latency !== undefined) problems.set('MOCK_LATENCY_MS', `MOCK_LATENCY_MS=${JSON.stringify(config.MOCK_LATENCY_MS)}: ${latency.replace('MOCK_LATENCY_MS.latencyMs: ', '')}`)
  return problems
}
