import t from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { postApi, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { ADMIN_FAULTS_URL } from '../helpers/admin.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { BAD_FAULT_RULES } from '../helpers/faults.js'

const put = ({ app }: TestApp, payload: unknown) => app.inject({ method: 'PUT', url: ADMIN_FAULTS_URL, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })
const post = ({ app }: TestApp, payload: unknown) => app.inject({ method: 'POST', url: ADMIN_FAULTS_URL, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })
const list = async ({ app }: TestApp) => (await app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })).json() as { rules: unknown[] }

t.test('GET lists no rules on a fresh emulator', async (t) => {
  const test = await startTestApp(t)
  const res = await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { rules: [] })
})

t.test('PUT replaces every rule and answers with them, ids given or generated, counters at 0', async (t) => {
  const test = await startTestApp(t)
  const rules: FaultRule[] = [
    { operation: 'createShareTask', first: 1, connection: 'reset' },
    { id: 'throttle', operation: 'getShareTaskDetail', every: 3, error: 'APIGW.0308', retryAfterS: 2 },
    { match: { userId: 'ann', shareId: '1689765568237837824', taskType: 2 }, error: { status: 503, body: { nested: [1, { deep: null }] } } },
    { operation: 'createShareTask', task: { outcome: 'stuck', durationMs: 5 }, latencyMs: [100, 300], probability: 0.5 },
  ]
  const res = await put(test, rules)
  t.equal(res.statusCode, 200)
  const expected = {
    rules: [
      { ...rules[0], id: 'rule-1', matched: 0, fired: 0 },
      { ...rules[1], id: 'throttle', matched: 0, fired: 0 },
      { ...rules[2], id: 'rule-2', matched: 0, fired: 0 },
      { ...rules[3], id: 'rule-3', matched: 0, fired: 0 },
    ],
  }
  t.strictSame(res.json(), expected, 'every field kept, a raw body included')
  t.strictSame(await list(test), expected)
  const replaced = await put(test, [{ latencyMs: 1 }])
  t.strictSame(replaced.json(), { rules: [{ latencyMs: 1, id: 'rule-4', matched: 0, fired: 0 }] }, 'replaced, not added to; generated ids go on')
  t.strictSame((await put(test, [])).json(), { rules: [] }, 'an empty list clears')
})

t.test('POST appends one rule and answers 201 with it', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ id: 'first', error: 13000201 }])
  const res = await post(test, { latencyMs: [100, 300] })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), { rule: { latencyMs: [100, 300], id: 'rule-1', matched: 0, fired: 0 } })
  const named = await post(test, { id: 'named', error: 'APIGW.0201', status: 504 })
  t.strictSame(named.json(), { rule: { id: 'named', error: 'APIGW.0201', status: 504, matched: 0, fired: 0 } })
  t.strictSame((await list(test)).rules.map((rule) => (rule as { id: string }).id), ['first', 'rule-1', 'named'], 'appended at the end, in order')
})

t.test('DELETE removes every rule', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_FAULTS: '[{"error":13000201}]', MOCK_ERROR_RATE: '0.5' } })
  t.equal((await list(test)).rules.length, 2, 'MOCK_FAULTS and MOCK_ERROR_RATE rules are listed')
  const res = await test.app.inject({ method: 'DELETE', url: ADMIN_FAULTS_URL })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { rules: [] })
  t.strictSame(await list(test), { rules: [] })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 200, 'requests are no longer faulted')
})

t.test('DELETE /__admin/faults/:ruleId removes that rule only; the others keep their counters; an unknown id is 13000309', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ id: 'warm-up', operation: 'createShareTask', first: 1, error: 13000201 }, { id: 'slow', latencyMs: 1 }, { latencyMs: 2 }])
  await postApi(test, TASKS_URL, vendorExample)
  const removed = await test.app.inject({ method: 'DELETE', url: `${ADMIN_FAULTS_URL}/slow` })
  t.equal(removed.statusCode, 200)
  const left = {
    rules: [
      { id: 'warm-up', operation: 'createShareTask', first: 1, error: 13000201, matched: 1, fired: 1 },
      { latencyMs: 2, id: 'rule-1', matched: 0, fired: 0 },
    ],
  }
  t.strictSame(removed.json(), left)
  t.strictSame(await list(test), left)
  t.equal((await test.app.inject({ method: 'DELETE', url: `${ADMIN_FAULTS_URL}/rule-1` })).statusCode, 200, 'a generated id works too')
  assertKooDriveError(t, await test.app.inject({ method: 'DELETE', url: `${ADMIN_FAULTS_URL}/slow` }), 13000309, 'Resource not found: no fault rule slow')
  t.strictSame((await list(test)).rules.map((rule) => (rule as { id: string }).id), ['warm-up'], 'a refused removal changes nothing')
})

t.test('the counters show what each rule matched and fired; POST leaves the others\' counters as they are', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ id: 'warm-up', operation: 'createShareTask', first: 2, error: 13000201 }, { id: 'never', operation: 'cancelJob', latencyMs: 1 }])
  for (let i = 0; i < 3; i++) await postApi(test, TASKS_URL, vendorExample)
  await post(test, { id: 'late', latencyMs: 2 })
  t.strictSame(await list(test), {
    rules: [
      { id: 'warm-up', operation: 'createShareTask', first: 2, error: 13000201, matched: 3, fired: 2 },
      { id: 'never', operation: 'cancelJob', latencyMs: 1, matched: 0, fired: 0 },
      { id: 'late', latencyMs: 2, matched: 0, fired: 0 },
    ],
  })
  await postApi(test, TASKS_URL, vendorExample)
  t.strictSame((await list(test)).rules.map((rule) => [(rule as { matched: number }).matched, (rule as { fired: number }).fired]), [[4, 2], [0, 0], [1, 1]])
})

for (const bad of BAD_FAULT_RULES) {
  t.test(`PUT and POST refuse ${bad.name} with 400 13000102 naming the field; nothing changes`, async (t) => {
    const test = await startTestApp(t)
    await put(test, [{ id: 'kept', error: 13000201 }])
    await postApi(test, TASKS_URL, vendorExample)
    const before = await list(test)
    t.strictSame(before, { rules: [{ id: 'kept', error: 13000201, matched: 1, fired: 1 }] })

    const replaced = await put(test, [{ latencyMs: 5 }, bad.rule])
    assertKooDriveError(t, replaced, 13000102, `Parameter invalid: rules[1]${bad.field}: ${bad.problem}`)
    t.strictSame(await list(test), before, 'PUT: the plan is as it was, counters included (the good rule was not taken either)')

    const appended = await post(test, bad.rule)
    assertKooDriveError(t, appended, 13000102, `Parameter invalid: rule${bad.field}: ${bad.problem}`)
    t.strictSame(await list(test), before, 'POST: nothing appended')
    t.equal((await post(test, { latencyMs: 1 })).json().rule.id, 'rule-1', 'a refused rule used up no generated id')
  })
}

t.test('a PUT body that is not an array, or over 1000 rules, is refused whole', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ id: 'kept', latencyMs: 1 }])
  assertKooDriveError(t, await put(test, { error: 13000201 }), 13000102, 'Parameter invalid: rules: expected array')
  const tooMany = Array.from({ length: 1001 }, () => ({ latencyMs: 1 }))
  assertKooDriveError(t, await put(test, tooMany), 13000102, 'Parameter invalid: rules: expected array length to be less or equal to 1000')
  t.strictSame((await list(test)).rules.length, 1)
  t.equal((await put(test, tooMany.slice(1))).statusCode, 200, '1000 rules are taken')
  t.equal((await list(test)).rules.length, 1000)
})

t.test('a POST body that is not one rule object is refused', async (t) => {
  const test = await startTestApp(t)
  assertKooDriveError(t, await post(test, [{ error: 13000201 }]), 13000102, 'Parameter invalid: rule: expected object')
  assertKooDriveError(t, await post(test, null), 13000102, 'Parameter invalid: rule: expected object')
  assertKooDriveError(t, await post(test, 'error=13000201'), 13000102, 'Parameter invalid: rule: expected object')
  t.strictSame(await list(test), { rules: [] })
})

t.test('several bad rules in one PUT are all named in one message', async (t) => {
  const test = await startTestApp(t)
  const res = await put(test, [{ latencyMs: [2, 1] }, { error: 13000201 }, {}, { operation: 'nope', error: 'APIGW.0308' }])
  t.equal(res.statusCode, 400)
  t.equal(
    res.json().msg,
    'Parameter invalid: rules[0].latencyMs: [min, max] needs min <= max, got [2, 1]; rules[2]: a rule needs at least one effect: error, latencyMs, connection or task; ' +
      'rules[3].operation: "nope" is not an operation; use * or one of getShareUserInfo, verifyShare, listShareFiles, createShareTask, getShareTaskDetail, downloadShareFile, cancelJob, getPublicShareUserInfo, verifyPublicShare, listPublicShareFiles, createPublicShareTask, getPublicShareTaskDetail, downloadPublicShareFile, downloadObject',
  )
})

t.test('a body that is not JSON is a bad request, and changes nothing', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ latencyMs: 1 }])
  const broken = await test.app.inject({ method: 'PUT', url: ADMIN_FAULTS_URL, payload: '[{"latencyMs":', headers: { 'content-type': 'application/json' } })
  assertKooDriveError(t, broken, 13000101, 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key')
  const text = await test.app.inject({ method: 'POST', url: ADMIN_FAULTS_URL, payload: 'latencyMs=1', headers: { 'content-type': 'text/plain' } })
  assertKooDriveError(t, text, 13000101, 'Bad request: Content-Type must be application/json, got "text/plain"')
  t.equal((await list(test)).rules.length, 1)
})

t.test('a rule put through the admin API shapes the next request', async (t) => {
  const test = await startTestApp(t)
  await put(test, [{ operation: 'createShareTask', first: 1, error: 'APIGW.0308', retryAfterS: 3 }])
  const throttled = await postApi(test, TASKS_URL, vendorExample)
  t.equal(throttled.statusCode, 429)
  t.equal(throttled.headers['retry-after'], '3')
  t.equal(throttled.headers['x-mock-fault-applied'], 'rule-1')
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 200)
  await post(test, { id: 'added', error: 13000309 })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['x-mock-fault-applied'], 'added')
})
