import type { FaultRule } from '../../schemas/fault-rule.js'
import { checkFaultRule, FaultRuleError } from './rule-check.js'

/** The compact keys of `X-Mock-Fault: error=13000201; latency=800; connection=reset`, and the rule field each sets. */
const HEADER_KEYS: Record<string, keyof FaultRule | 'outcome' | 'taskDurationMs'> = {
  id: 'id',
  error: 'error',
  status: 'status',
  message: 'message',
  retryafter: 'retryAfterS',
  retryafters: 'retryAfterS',
  latency: 'latencyMs',
  latencyms: 'latencyMs',
  connection: 'connection',
  probability: 'probability',
  task: 'outcome',
  outcome: 'outcome',
  taskduration: 'taskDurationMs',
  taskdurationms: 'taskDurationMs',
}

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
    const field = HEADER_KEYS[key.toLowerCase()]
    if (field === undefined) {
      throw new FaultRuleError([`${where}: unknown key "${key}"; use ${[...new Set(Object.values(HEADER_KEYS))].join(', ')}`])
    }
    if (field === 'outcome') task.outcome = value
    else if (field === 'taskDurationMs') task.durationMs = NUMBER.test(value) ? Number(value) : value
    else if (field === 'latencyMs') rule.latencyMs = latencyValue(value)
    else rule[field] = NUMBER.test(value) && field !== 'id' && field !== 'message' ? Number(value) : value
  }
  if (Object.keys(task).length > 0) rule.task = task
  // The header rides on one request: it fires for that request, so no operation, match or trigger.
  return checkFaultRule(rule, where, operations)
}
