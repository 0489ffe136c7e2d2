import { uniformInt } from 'pure-rand/distribution/uniformInt'
import type { FaultRuleState } from '../../schemas/admin-faults.js'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { RandomGenerator } from '../domain/time-and-ids/random.js'
import { CREATE_TASK_OPERATION } from './rule-check.js'

/** What a request is, as far as rules can tell. `body` is absent until it has been parsed. */
export interface FaultContext {
  operation: string
  userId: string | undefined
  body?: unknown
}

/** A rule that fired for a request, with what it resolved to (latency drawn from its range). */
export interface FiredFault {
  id: string
  rule: FaultRule
  latencyMs: number
}

interface PlannedRule {
  rule: FaultRule
  id: string
  matched: number
  fired: number
}


/** The rule needs the body to decide (it matches on shareId or taskType). */
const needsBody = (rule: FaultRule) => rule.match?.shareId !== undefined || rule.match?.taskType !== undefined

function bodyField(body: unknown, field: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined
}

/**
 * The active fault rules, in order, with their counters. Every random draw comes from one seeded
 * stream, and only when a rule's other conditions hold, so the same seed and the same requests make
 * the same requests fail.
 */
export class FaultPlan {
  #rules: PlannedRule[] = []
  #generatedIds = 0

  constructor(private readonly rng: RandomGenerator) {}

  #plan(rule: FaultRule): PlannedRule {
    return { rule, id: rule.id ?? `rule-${++this.#generatedIds}`, matched: 0, fired: 0 }
  }

  replace(rules: FaultRule[]): void {
    this.#rules = rules.map((rule) => this.#plan(rule))
  }

  append(rule: FaultRule): FaultRuleState {
    const planned = this.#plan(rule)
    this.#rules.push(planned)
    return { ...planned.rule, id: planned.id, matched: 0, fired: 0 }
  }

  clear(): void {
    this.#rules = []
  }

  /** Removes the rules with this ID (the others keep their counters); how many went. */
  remove(id: string): number {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((planned) => planned.id !== id)
    return before - this.#rules.length
  }

  resetCounters(): void {
    for (const planned of this.#rules) planned.matched = planned.fired = 0
  }

  list(): FaultRuleState[] {
    return this.#rules.map(({ rule, id, matched, fired }) => ({ ...rule, id, matched, fired }))
  }

  get size(): number {
    return this.#rules.length
  }

  /**
   * The first rule, from `from` on, that matches `context` and triggers. When a rule needs the body
   * and the context has none yet, evaluation stops there and says where to resume once it is parsed.
   */
  decide(context: FaultContext, from = 0): FiredFault | { resumeAt: number } | undefined {
    for (let i = from; i < this.#rules.length; i++) {
      const planned = this.#rules[i] as PlannedRule
      if (needsBody(planned.rule) && context.body === undefined) return { resumeAt: i }
      if (!this.#matches(planned.rule, context)) continue
      if (this.#triggers(planned)) return this.fire(planned.rule, planned.id)
    }
    return undefined
  }

  /** Resolves a rule that fires: its ID and its latency, drawn when a range. */
  fire(rule: FaultRule, id: string): FiredFault {
    const latency = rule.latencyMs
    const latencyMs = latency === undefined ? 0 : Array.isArray(latency) ? uniformInt(this.rng, latency[0], latency[1]) : latency
    return { id, rule, latencyMs }
  }

  /** Whether a one-off rule (the X-Mock-Fault header) fires: only its probability can say no. */
  headerFires(rule: FaultRule): boolean {
    return rule.probability === undefined || this.#draw() < rule.probability
  }

  #draw(): number {
    return (this.rng.next() >>> 0) / 2 ** 32
  }

  #matches(rule: FaultRule, context: FaultContext): boolean {
    const operation = rule.operation ?? '*'
    if (operation !== '*' && operation !== context.operation) return false
    // A task outcome only means something for a task being created, whatever `*` says.
    if (rule.task !== undefined && context.operation !== CREATE_TASK_OPERATION) return false
    const match = rule.match
    if (match === undefined) return true
    if (match.userId !== undefined && match.userId !== context.userId) return false
    if (match.shareId !== undefined && match.shareId !== bodyField(context.body, 'shareId')) return false
    return match.taskType === undefined || match.taskType === bodyField(context.body, 'taskType')
  }

  #triggers(planned: PlannedRule): boolean {
    const { rule } = planned
    const n = ++planned.matched - (rule.after ?? 0)
    if (n <= 0) return false
    if (rule.first !== undefined && n > rule.first) return false
    if (rule.every !== undefined && n % rule.every !== 0) return false
    if (rule.times !== undefined && planned.fired >= rule.times) return false
    if (rule.probability !== undefined && this.#draw() >= rule.probability) return false
    planned.fired++
    return true
  }
}
