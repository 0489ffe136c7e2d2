import t from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { RandomStream } from '../../src/domain/time-and-ids/random.js'
import { seededStream } from '../../src/domain/time-and-ids/random.js'
import { FaultPlan, type FaultContext, type FiredFault } from '../../src/faults/fault-plan.js'

const planOf = (rules: FaultRule[], seed = 42): FaultPlan => {
  const plan = new FaultPlan(seededStream(seed, RandomStream.FAULTS))
  plan.replace(rules)
  return plan
}

const create: FaultContext = { operation: 'createShareTask', userId: 'u1' }

/** The ID of the rule that fires for `context`, or undefined (a pending body decision fails the test). */
function firedId(plan: FaultPlan, context: FaultContext = create, from = 0): string | undefined {
  const decision = plan.decide(context, from)
  if (decision !== undefined && 'resumeAt' in decision) throw new Error(`unexpected resumeAt ${decision.resumeAt}`)
  return decision?.id
}

/** The 1-based numbers of the requests, out of `count`, for which a rule fired. */
function firingRequests(plan: FaultPlan, count: number, context: FaultContext = create): number[] {
  const fired: number[] = []
  for (let n = 1; n <= count; n++) if (firedId(plan, context) !== undefined) fired.push(n)
  return fired
}

t.test('rules without an id get rule-1, rule-2, … and the count goes on across replace and append', async (t) => {
  const plan = planOf([{ id: 'mine', error: 13000201 }, { error: 13000201 }, { latencyMs: 5 }])
  t.strictSame(plan.list().map((rule) => rule.id), ['mine', 'rule-1', 'rule-2'])
  t.strictSame(plan.append({ error: 'APIGW.0308' }), { error: 'APIGW.0308', id: 'rule-3', matched: 0, fired: 0 })
  t.strictSame(plan.append({ id: 'named', latencyMs: 1 }), { id: 'named', latencyMs: 1, matched: 0, fired: 0 })
  plan.replace([{ latencyMs: 1 }])
  t.strictSame(plan.list(), [{ latencyMs: 1, id: 'rule-4', matched: 0, fired: 0 }], 'a replaced list does not reuse rule-1')
  plan.clear()
  plan.append({ latencyMs: 2 })
  t.strictSame(plan.list().map((rule) => rule.id), ['rule-5'])
})

t.test('list, size, clear and resetCounters', async (t) => {
  const plan = planOf([{ error: 13000201, first: 1 }, { latencyMs: 3 }])
  t.equal(plan.size, 2)
  t.equal(firedId(plan), 'rule-1')
  t.equal(firedId(plan), 'rule-2')
  t.strictSame(plan.list(), [
    { error: 13000201, first: 1, id: 'rule-1', matched: 2, fired: 1 },
    { latencyMs: 3, id: 'rule-2', matched: 1, fired: 1 },
  ])
  const listed = plan.list()
  listed[0]!.fired = 99
  t.equal(plan.list()[0]!.fired, 1, 'list gives copies: changing them changes nothing')
  plan.resetCounters()
  t.strictSame(plan.list().map(({ matched, fired }) => [matched, fired]), [[0, 0], [0, 0]])
  t.equal(firedId(plan), 'rule-1', 'with its counters reset, a first:1 rule fires again')
  plan.clear()
  t.equal(plan.size, 0)
  t.strictSame(plan.list(), [])
  t.equal(plan.decide(create), undefined, 'no rules, no fault')
})

t.test('first N fires on the first N matching requests only', async (t) => {
  t.strictSame(firingRequests(planOf([{ first: 3, error: 13000201 }]), 10), [1, 2, 3])
})

t.test('after N skips the first N matching requests', async (t) => {
  t.strictSame(firingRequests(planOf([{ after: 2, error: 13000201 }]), 6), [3, 4, 5, 6])
  t.strictSame(firingRequests(planOf([{ after: 0, error: 13000201 }]), 3), [1, 2, 3], 'after 0 skips nothing')
})

t.test('every N fires on every Nth matching request', async (t) => {
  t.strictSame(firingRequests(planOf([{ every: 3, error: 13000201 }]), 10), [3, 6, 9])
  t.strictSame(firingRequests(planOf([{ every: 1, error: 13000201 }]), 3), [1, 2, 3])
})

t.test('times caps how often a rule fires', async (t) => {
  t.strictSame(firingRequests(planOf([{ times: 2, error: 13000201 }]), 5), [1, 2])
  t.strictSame(firingRequests(planOf([{ every: 2, times: 2, error: 13000201 }]), 10), [2, 4])
})

t.test('after, first and every count together: after shifts the count the others see', async (t) => {
  t.strictSame(firingRequests(planOf([{ after: 2, first: 2, error: 13000201 }]), 8), [3, 4])
  t.strictSame(firingRequests(planOf([{ after: 2, every: 3, error: 13000201 }]), 12), [5, 8, 11])
  t.strictSame(firingRequests(planOf([{ after: 1, every: 2, first: 4, error: 13000201 }]), 12), [3, 5])
})

t.test('matched counts every matching request, fired only the firings', async (t) => {
  const plan = planOf([{ every: 2, error: 13000201 }])
  firingRequests(plan, 5)
  t.strictSame(plan.list()[0], { every: 2, error: 13000201, id: 'rule-1', matched: 5, fired: 2 })
})

t.test('probability 0 never fires, 1 always fires', async (t) => {
  t.strictSame(firingRequests(planOf([{ probability: 0, error: 13000201 }]), 50), [])
  t.equal(firingRequests(planOf([{ probability: 1, error: 13000201 }]), 50).length, 50)
})

t.test('probability is seeded: the same seed fires on the same requests, another seed on others', async (t) => {
  const rules: FaultRule[] = [{ probability: 0.3, error: 13000201 }]
  const first = firingRequests(planOf(rules, 7), 200)
  t.strictSame(firingRequests(planOf(rules, 7), 200), first, 'seed 7 twice: the same requests')
  t.notSame(firingRequests(planOf(rules, 8), 200), first, 'seed 8: other requests')
  t.ok(first.length > 30 && first.length < 90, `about 30 % fire (${first.length} of 200)`)
  const many = firingRequests(planOf(rules, 1), 10_000).length
  t.ok(many > 2800 && many < 3200, `30 % within 2 points over 10000 requests (${many})`)
})

t.test('a draw happens only when a rule\'s other conditions hold', async (t) => {
  const rules: FaultRule[] = [{ operation: 'createShareTask', after: 1, probability: 0.5, error: 13000201 }]
  const plain = planOf(rules)
  const expected = firingRequests(plain, 40)
  const interleaved = planOf(rules)
  const got: number[] = []
  for (let n = 1; n <= 40; n++) {
    // Requests the rule does not match must not move the random stream.
    firedId(interleaved, { operation: 'getShareTaskDetail', userId: 'u1' })
    if (firedId(interleaved) !== undefined) got.push(n)
  }
  t.strictSame(got, expected)
  t.notOk(expected.includes(1), 'the skipped first request never fires')
})

t.test('a rule names an operation, or * (the default) for all', async (t) => {
  const plan = planOf([{ operation: 'getShareTaskDetail', error: 13000201 }, { operation: '*', latencyMs: 1 }])
  t.equal(firedId(plan, { operation: 'getShareTaskDetail', userId: 'u1' }), 'rule-1')
  t.equal(firedId(plan, { operation: 'cancelJob', userId: 'u1' }), 'rule-2')
  const byDefault = planOf([{ latencyMs: 1 }])
  t.equal(firedId(byDefault, { operation: 'downloadObject', userId: undefined }), 'rule-1', 'no operation means every operation')
})

t.test('match.userId compares the caller', async (t) => {
  const plan = planOf([{ match: { userId: 'ann' }, error: 13000201 }])
  t.equal(firedId(plan, { operation: 'verifyShare', userId: 'ann' }), 'rule-1')
  t.equal(firedId(plan, { operation: 'verifyShare', userId: 'bob' }), undefined)
  t.equal(firedId(plan, { operation: 'downloadObject', userId: undefined }), undefined)
  t.equal(plan.list()[0]!.matched, 1, 'only the matching request is counted')
})

t.test('a rule on shareId or taskType waits for the body, and says where to resume', async (t) => {
  const plan = planOf([
    { operation: 'cancelJob', error: 13000201 },
    { match: { taskType: 2 }, error: 13000309 },
    { match: { shareId: '1689765568237837824' }, latencyMs: 5 },
    { error: 'APIGW.0308' },
  ])
  t.strictSame(plan.decide(create), { resumeAt: 1 }, 'the rules before it are checked first')
  t.equal(plan.list()[0]!.matched, 0)
  const dump = { ...create, body: { taskType: 2, shareId: '1689765568237837824' } }
  t.equal(firedId(plan, dump, 1), 'rule-2')
  const zip = { ...create, body: { taskType: 1, shareId: '1689765568237837824' } }
  t.equal(firedId(plan, zip, 1), 'rule-3')
  const other = { ...create, body: { taskType: 1, shareId: '1' } }
  t.equal(firedId(plan, other, 1), 'rule-4')
  t.equal(firedId(plan, { ...create, body: null }, 1), 'rule-4', 'no body (a GET) matches no body field')
  t.equal(firedId(plan, { ...create, body: 'taskType=2' }, 1), 'rule-4', 'a body that is not an object matches no body field')
  t.strictSame(plan.list().map(({ matched, fired }) => [matched, fired]), [[0, 0], [1, 1], [1, 1], [3, 3]])
})

t.test('a rule before a body rule that fires stops evaluation before the body is needed', async (t) => {
  const plan = planOf([{ match: { userId: 'u1' }, error: 13000201 }, { match: { taskType: 2 }, error: 13000309 }])
  t.equal(firedId(plan), 'rule-1')
  t.strictSame(plan.decide({ operation: 'createShareTask', userId: 'u2' }), { resumeAt: 1 })
})

t.test('the first rule that matches and triggers wins; one that does not trigger lets the next fire', async (t) => {
  const plan = planOf([{ first: 1, error: 13000201 }, { every: 2, error: 'APIGW.0308' }, { latencyMs: 7 }])
  t.equal(firedId(plan), 'rule-1')
  t.strictSame(plan.list().map(({ matched }) => matched), [1, 0, 0], 'the rules after the winner are not even matched')
  t.strictSame([2, 3, 4].map(() => firedId(plan)), ['rule-3', 'rule-2', 'rule-3'])
  t.strictSame(plan.list().map(({ matched, fired }) => [matched, fired]), [[4, 1], [3, 1], [2, 2]])
})

t.test('fire resolves the latency: none is 0, a number is itself, a range is drawn from it (seeded)', async (t) => {
  const plan = planOf([])
  const rule: FaultRule = { error: 13000201 }
  t.strictSame(plan.fire(rule, 'x'), { id: 'x', rule, latencyMs: 0 })
  t.equal(plan.fire({ latencyMs: 800 }, 'x').latencyMs, 800)
  t.equal(plan.fire({ latencyMs: [300, 300] }, 'x').latencyMs, 300)
  const draws = (seed: number) => {
    const p = planOf([], seed)
    return Array.from({ length: 200 }, () => p.fire({ latencyMs: [100, 500] }, 'x').latencyMs)
  }
  const seven = draws(7)
  t.ok(seven.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 500), 'every draw is an integer in [100, 500]')
  t.ok(seven.some((ms) => ms < 200) && seven.some((ms) => ms > 400), 'the draws spread over the range')
  t.strictSame(draws(7), seven, 'the same seed draws the same latencies')
  t.notSame(draws(8), seven, 'another seed draws others')
})

t.test('decide returns the fired rule with its latency drawn', async (t) => {
  const rule: FaultRule = { id: 'slow-ish', latencyMs: [10, 20] }
  const decision = planOf([rule]).decide(create) as FiredFault
  t.equal(decision.id, 'slow-ish')
  t.equal(decision.rule, rule)
  t.ok(decision.latencyMs >= 10 && decision.latencyMs <= 20)
})

t.test('a header rule fires unless its probability says no; only a probability draws', async (t) => {
  const plan = planOf([])
  t.ok(plan.headerFires({ error: 13000201 }))
  t.notOk(plan.headerFires({ error: 13000201, probability: 0 }))
  t.ok(plan.headerFires({ error: 13000201, probability: 1 }))
  const draws = (seed: number, skipDraws: boolean) => {
    const p = planOf([], seed)
    return Array.from({ length: 100 }, () => {
      if (skipDraws) p.headerFires({ latencyMs: 1 })
      return p.headerFires({ latencyMs: 1, probability: 0.5 })
    })
  }
  t.strictSame(draws(3, true), draws(3, false), 'a header rule without probability does not move the stream')
  const fired = draws(3, false).filter(Boolean).length
  t.ok(fired > 30 && fired < 70, `about half fire (${fired})`)
})
