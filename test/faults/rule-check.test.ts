import t from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { checkFaultRule, checkFaultRules, CREATE_TASK_OPERATION, FaultRuleError, KNOWN_GATEWAY_CODES } from '../../src/faults/rule-check.js'
import { FAULTABLE_OPERATIONS } from '../../src/koodrive/operations.js'
import { BAD_FAULT_RULES } from '../helpers/faults.js'

/** The FaultRuleError `check` throws, or a failed test. */
function faultRuleError(check: () => unknown): FaultRuleError {
  try {
    check()
  } catch (error) {
    if (error instanceof FaultRuleError) return error
    throw error
  }
  throw new Error('expected a FaultRuleError, nothing was thrown')
}

t.test('the gateway codes a rule may name are the catalogue\'s, each once', async (t) => {
  t.strictSame(KNOWN_GATEWAY_CODES, ['APIGW.0101', 'APIGW.0201', 'APIGW.0301', 'APIGW.0302', 'APIGW.0303', 'APIGW.0307', 'APIGW.0308'])
  t.equal(CREATE_TASK_OPERATION, 'createShareTask')
})

t.test('a FaultRuleError lists its problems and joins them into its message', async (t) => {
  const error = new FaultRuleError(['a: one', 'b: two'])
  t.ok(error instanceof Error)
  t.equal(error.name, 'FaultRuleError')
  t.strictSame(error.problems, ['a: one', 'b: two'])
  t.equal(error.message, 'a: one; b: two')
})

t.test('good rules of every kind are returned as they are', async (t) => {
  const rules: FaultRule[] = [
    { id: 'warm-up', operation: 'createShareTask', first: 3, error: 13000201 },
    { operation: '*', after: 2, every: 3, times: 4, probability: 0.5, error: 'APIGW.0308', retryAfterS: 2 },
    { operation: 'getShareTaskDetail', error: 'APIGW.0201', status: 504, message: 'Backend timeout' },
    { error: { status: 503, body: { any: ['json'] } }, retryAfterS: 0 },
    { error: { status: 200, body: 'plain text' } },
    { latencyMs: 0 },
    { latencyMs: [100, 100] },
    { latencyMs: [0, 600_000] },
    { connection: 'reset', latencyMs: 800 },
    { connection: 'hang' },
    { connection: 'empty' },
    { connection: 'malformed' },
    { connection: 'truncate', error: 13000201 },
    { connection: 'slow', latencyMs: 3000, error: { status: 500, body: null } },
    { operation: 'createShareTask', match: { userId: 'ann', shareId: '1689765568237837824', taskType: 2 }, task: { outcome: 'partial' } },
    { task: { outcome: 'stuck', durationMs: 0 } },
    { operation: 'downloadObject', probability: 0, error: 13000309 },
    { id: 'A.b_c:d-9', probability: 1, latencyMs: 5 },
  ]
  t.equal(checkFaultRules(rules, 'rules', FAULTABLE_OPERATIONS), rules, 'the same array, nothing copied or defaulted')
  t.strictSame(checkFaultRules([], 'rules', FAULTABLE_OPERATIONS), [], 'no rules is a good list')
  for (const rule of rules) t.equal(checkFaultRule(rule, 'rule', FAULTABLE_OPERATIONS), rule)
})

t.test('every operation an emulated route has can be named', async (t) => {
  for (const operation of FAULTABLE_OPERATIONS) {
    t.doesNotThrow(() => checkFaultRule({ operation, error: 13000201 }, 'rule', FAULTABLE_OPERATIONS), operation)
  }
  t.doesNotThrow(() => checkFaultRule({ operation: 'createShareTask', task: { outcome: 'failed' } }, 'rule', FAULTABLE_OPERATIONS))
  // The operations are a parameter: a smaller list refuses what it does not hold.
  t.equal(
    faultRuleError(() => checkFaultRule({ operation: 'cancelJob', latencyMs: 1 }, 'rule', ['createShareTask'])).message,
    'rule.operation: "cancelJob" is not an operation; use * or one of createShareTask',
  )
})

for (const bad of BAD_FAULT_RULES) {
  t.test(`refuses ${bad.name}, naming the field`, async (t) => {
    const inList = faultRuleError(() => checkFaultRules([{ error: 13000201 }, bad.rule], 'rules', FAULTABLE_OPERATIONS))
    t.match(inList.message, `rules[1]${bad.field}: `, 'the list check names rules[1] and the field')
    t.strictSame(inList.problems, [`rules[1]${bad.field}: ${bad.problem}`], 'one problem, worded as expected')
    const alone = faultRuleError(() => checkFaultRule(bad.rule, 'rule', FAULTABLE_OPERATIONS))
    t.match(alone.message, `rule${bad.field}: `, 'the one-rule check names `rule`, not `rule[0]`')
    t.notMatch(alone.message, 'rule[0]')
    t.strictSame(alone.problems, [`rule${bad.field}: ${bad.problem}`], 'one problem, worded as expected')
  })
}

t.test('a list that is not an array, or too long, is refused as a whole', async (t) => {
  t.strictSame(faultRuleError(() => checkFaultRules({ error: 13000201 }, 'rules', FAULTABLE_OPERATIONS)).problems, ['rules: expected array'])
  t.strictSame(faultRuleError(() => checkFaultRules(null, 'MOCK_FAULTS', FAULTABLE_OPERATIONS)).problems, ['MOCK_FAULTS: expected array'])
  const tooMany = Array.from({ length: 1001 }, () => ({ error: 13000201 }))
  t.strictSame(faultRuleError(() => checkFaultRules(tooMany, 'rules', FAULTABLE_OPERATIONS)).problems, ['rules: expected array length to be less or equal to 1000'])
  t.doesNotThrow(() => checkFaultRules(tooMany.slice(1), 'rules', FAULTABLE_OPERATIONS), '1000 rules are fine')
})

t.test('one rule that is not an object is refused', async (t) => {
  t.strictSame(faultRuleError(() => checkFaultRule(null, 'rule', FAULTABLE_OPERATIONS)).problems, ['rule: expected object'])
  t.strictSame(faultRuleError(() => checkFaultRule('error=13000201', 'rule', FAULTABLE_OPERATIONS)).problems, ['rule: expected object'])
  t.strictSame(faultRuleError(() => checkFaultRule([{ error: 13000201 }], 'rule', FAULTABLE_OPERATIONS)).problems, ['rule: expected object'])
})

t.test('every problem of every rule is named at once', async (t) => {
  const error = faultRuleError(() => checkFaultRules([{ latencyMs: [2, 1] }, { error: 13000201 }, {}, { error: 'APIGW.1234', connection: 'reset' }], 'rules', FAULTABLE_OPERATIONS))
  t.strictSame(error.problems, [
    'rules[0].latencyMs: [min, max] needs min <= max, got [2, 1]',
    'rules[2]: a rule needs at least one effect: error, latencyMs, connection or task',
    'rules[3].error: unknown gateway code APIGW.1234; one of APIGW.0101, APIGW.0201, APIGW.0301, APIGW.0302, APIGW.0303, APIGW.0307, APIGW.0308',
    'rules[3].connection: "reset" answers instead of the error; use one or the other',
  ])
  t.equal(error.message, error.problems.join('; '))
})

t.test('several shape problems in one rule are all named, each once', async (t) => {
  const error = faultRuleError(() => checkFaultRules([{ latencyMs: [1, 2, 3], probability: 5, first: 0 }], 'rules', FAULTABLE_OPERATIONS))
  t.strictSame(error.problems, [
    'rules[0].probability: expected number to be less or equal to 1',
    'rules[0].first: expected integer to be greater or equal to 1',
    'rules[0].latencyMs: milliseconds: fixed, or [min, max] drawn uniformly (seeded)',
  ])
})

t.test('a rule with no effect and an orphan status, message or retryAfterS gets both problems, the first orphan named', async (t) => {
  t.strictSame(faultRuleError(() => checkFaultRule({ status: 500, message: 'x', retryAfterS: 1 }, 'rule', FAULTABLE_OPERATIONS)).problems, [
    'rule: a rule needs at least one effect: error, latencyMs, connection or task',
    'rule.status: needs an error',
  ])
  t.strictSame(faultRuleError(() => checkFaultRule({ message: 'x', retryAfterS: 1 }, 'rule', FAULTABLE_OPERATIONS)).problems, [
    'rule: a rule needs at least one effect: error, latencyMs, connection or task',
    'rule.message: needs an error',
  ])
  t.strictSame(faultRuleError(() => checkFaultRule({ error: { status: 500, body: 1 }, status: 500, message: 'x' }, 'rule', FAULTABLE_OPERATIONS)).problems, [
    'rule.status: goes with a KooDrive or gateway code; a raw error carries its own status and body',
  ])
})

t.test('a raw error may carry Retry-After, and truncate or slow may shape any error', async (t) => {
  t.doesNotThrow(() => checkFaultRule({ error: { status: 503, body: {} }, retryAfterS: 1 }, 'rule', FAULTABLE_OPERATIONS))
  t.doesNotThrow(() => checkFaultRule({ error: 'APIGW.0308', connection: 'truncate' }, 'rule', FAULTABLE_OPERATIONS))
  t.doesNotThrow(() => checkFaultRule({ error: 13000309, connection: 'slow', latencyMs: 100 }, 'rule', FAULTABLE_OPERATIONS))
})

t.test('a task rule may leave the operation at * (the header channel has none)', async (t) => {
  t.doesNotThrow(() => checkFaultRule({ task: { outcome: 'failed' } }, 'rule', FAULTABLE_OPERATIONS))
  t.doesNotThrow(() => checkFaultRule({ operation: '*', task: { outcome: 'stuck' } }, 'rule', FAULTABLE_OPERATIONS))
})

t.test('an id longer than 64 characters is refused', async (t) => {
  t.strictSame(faultRuleError(() => checkFaultRule({ id: 'x'.repeat(65), error: 13000201 }, 'rule', FAULTABLE_OPERATIONS)).problems, [
    'rule.id: expected string length less or equal to 64',
  ])
})

t.test('a list with a shape problem still names what the other rules mean wrongly', async (t) => {
  const error = faultRuleError(() => checkFaultRules([{ error: 13000201, bogus: 1 }, { latencyMs: [2, 1] }], 'rules', FAULTABLE_OPERATIONS))
  t.match(error.problems, ['rules[0].bogus: unexpected property'], 'the shape problem is named')
  t.strictSame(
    error.problems,
    ['rules[0].bogus: unexpected property', 'rules[1].latencyMs: [min, max] needs min <= max, got [2, 1]'],
    'both problems are named, as checkFaultRules promises ("naming every field at fault")',
  )
})

t.test('a list over the limit says so, and its items are named by index', async (t) => {
  const error = t.throws(() => checkFaultRules(new Array(1001).fill({ error: 'x' }), 'rules', FAULTABLE_OPERATIONS)) as FaultRuleError
  t.equal(error.problems[0], 'rules: expected array length to be less or equal to 1000')
  t.equal(error.problems[1], 'rules[0].error: a KooDrive code, a gateway code, or a raw {status, body}')
})
