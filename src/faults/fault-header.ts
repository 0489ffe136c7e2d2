import type { FaultRule } from '../../schemas/fault-rule.js'
import { checkFaultRule, FaultRuleError } from './rule-check.js'

type HeaderField = keyof FaultRule | 'outcome' | 'taskDurationMs'

/**
 * The keys of `X-Mock-Fault: error=13000201; latency=800; connection=reset`, one spelling each (any
 * case), and the rule field each sets. A Map, so `__proto__` or `constructor` is an unknown key,
 * not a lookup into Object.prototype.
 */
const HEADER_KEYS = new Map<string, HeaderField>([
  ['id', 'id'],
  ['error', 'error'],
  ['status', 'status'],
  ['message', 'message'],
  ['retryAfter', 'retryAfterS'],
  ['latency', 'latencyMs'],
  ['connection', 'connection'],
  ['probability', 'probability'],
  ['task', 'outcome'],
  ['taskDuration', 'taskDurationMs'],
])
const FIELD_BY_KEY = new Map([...HEADER_KEYS].map(([key, field]) => [key.toLowerCase(), field]))

/** A problem with a rule field, in the header's own key: `.latencyMs` → `.latency`, `.task.outcome` → `.task`. */
const KEY_OF_FIELD: [RegExp, string][] = [
  [/\.retryAfterS\b/g, '.retryAfter'],
  [/\.latencyMs\b/g, '.latency'],
  [/\.task\.outcome\b/g, '.task'],
  [/\.task\.durationMs\b/g, '.taskDuration'],
  [/\blatencyMs, connection or task\b/g, 'latency, connection or task'],
]
const inHeaderKeys = (problem: string) => KEY_OF_FIELD.reduce((text, [field, key]) => text.replace(field, key), problem)

const NUMBER = /^\d+(\.\d+)?$/

/** `800` → 800, `100-500` → [100, 500]; anything else stays text for the schema to refuse. */
function latencyValue(value: string): unknown {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(value)
  if (range !== null) return [Number(range[1]), Number(range[2])]
  return NUMBER.test(value) ? Number(value) : value
}

/** Parses the header into one rule, checked like any other; problems name `header X-Mock-Fault`. */
export function parseFaultHeader(header: string, operations: readonly string[]): FaultRule {
  const where = 'header X-Mock-Fault'
  const rule: Record<string, unknown> = {}
  const task: Record<string, unknown> = {}
  for (const part of header.split(';')) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    const key = (eq < 0 ? part : part.slice(0, eq)).trim()
    const value = eq < 0 ? '' : part.slice(eq + 1).trim()
    const field = FIELD_BY_KEY.get(key.toLowerCase())
    if (field === undefined) throw new FaultRuleError([`${where}: unknown key ${JSON.stringify(key)}; use ${[...HEADER_KEYS.keys()].join(', ')}`])
    if (field === 'outcome') task.outcome = value
    else if (field === 'taskDurationMs') task.durationMs = NUMBER.test(value) ? Number(value) : value
    else if (field === 'latencyMs') rule.latencyMs = latencyValue(value)
    else rule[field] = NUMBER.test(value) && field !== 'id' && field !== 'message' ? Number(value) : value
  }
  if (Object.keys(task).length > 0) rule.task = task
  // The header rides on one request: it fires for that request, so no operation, match or trigger.
  try {
    return checkFaultRule(rule, where, operations)
  } catch (error) {
    throw new FaultRuleError((error as FaultRuleError).problems.map(inHeaderKeys))
  }
}
