import t from 'tap'
import { parseFaultHeader } from '../../src/faults/fault-header.js'
import { FaultRuleError } from '../../src/faults/rule-check.js'
import { FAULTABLE_OPERATIONS } from '../../src/koodrive/operations.js'
import { startTestApp } from '../helpers/app.js'
import { requestLogLines } from '../helpers/logs.js'
import { carrierHeaders, postApi, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { ADMIN_FAULTS_URL, taskCount } from '../helpers/admin.js'
import { assertGatewayError, assertKooDriveError } from '../helpers/envelopes.js'
import { BAD_FAULT_HEADERS, listFaults } from '../helpers/faults.js'

const parse = (header: string) => parseFaultHeader(header, FAULTABLE_OPERATIONS)

/** The problems parsing `header` reports, or a failed test. */
function problemsOf(header: string): string[] {
  try {
    parse(header)
  } catch (error) {
    if (error instanceof FaultRuleError) return error.problems
    throw error
  }
  throw new Error(`"${header}" was accepted`)
}

t.test('the compact form sets every rule field it has a key for', async (t) => {
  t.strictSame(parse('error=13000201'), { error: 13000201 })
  t.strictSame(parse('error=APIGW.0308; retryAfter=5'), { error: 'APIGW.0308', retryAfterS: 5 })
  t.strictSame(parse('error=APIGW.0201;status=504;message=Backend timeout'), { error: 'APIGW.0201', status: 504, message: 'Backend timeout' })
  t.strictSame(parse('latency=800'), { latencyMs: 800 })
  t.strictSame(parse('latency=100-500'), { latencyMs: [100, 500] })
  t.strictSame(parse('latency=100 - 500'), { latencyMs: [100, 500] }, 'spaces around the dash')
  t.strictSame(parse('latency=800; connection=reset'), { latencyMs: 800, connection: 'reset' })
  t.strictSame(parse('connection=slow; latency=3000'), { connection: 'slow', latencyMs: 3000 })
  t.strictSame(parse('task=partial'), { task: { outcome: 'partial' } })
  t.strictSame(parse('task=stuck; taskDuration=60000'), { task: { outcome: 'stuck', durationMs: 60000 } })
  t.strictSame(parse('probability=0.25; error=13000309'), { probability: 0.25, error: 13000309 })
  t.strictSame(parse('id=flaky-1; error=13000201'), { id: 'flaky-1', error: 13000201 })
})

const KEYS = 'use id, error, status, message, retryAfter, latency, connection, probability, task, taskDuration'

t.test('one spelling per key: the rule\'s long field names are unknown keys, and keys ignore case', async (t) => {
  for (const key of ['retryAfterS', 'latencyMs', 'outcome', 'taskDurationMs']) {
    t.throws(() => parse(`${key}=1`), new FaultRuleError([`header X-Mock-Fault: unknown key "${key}"; ${KEYS}`]), key)
  }
  t.strictSame(parse('ERROR=13000201; Latency=5; CONNECTION=truncate; Task=success; TASKDURATION=1; ID=X; Status=500; MESSAGE=m; RetryAfter=1; PROBABILITY=1'), {
    error: 13000201,
    latencyMs: 5,
    connection: 'truncate',
    task: { outcome: 'success', durationMs: 1 },
    id: 'X',
    status: 500,
    message: 'm',
    retryAfterS: 1,
    probability: 1,
  })
})

t.test('digits in id and message stay text; everywhere else they are numbers', async (t) => {
  t.strictSame(parse('id=42; error=13000201; message=500'), { id: '42', error: 13000201, message: '500' })
})

t.test('blank parts and spaces around keys and values are ignored; a later key overrides an earlier one', async (t) => {
  t.strictSame(parse(' ; error = 13000201 ;; '), { error: 13000201 })
  t.strictSame(parse('latency=1; latency=2'), { latencyMs: 2 })
  t.strictSame(parse('message=a=b; error=13000201'), { message: 'a=b', error: 13000201 }, 'only the first = splits')
})

for (const { header, problem } of BAD_FAULT_HEADERS) {
  t.test(`refuses the header "${header}", naming header X-Mock-Fault`, async (t) => {
    t.strictSame(problemsOf(header).join('; '), problem)
  })
}

t.test('a duration without an outcome is refused, naming the task key', async (t) => {
  t.strictSame(problemsOf('taskDuration=5'), [
    'header X-Mock-Fault.task: expected required property',
    'header X-Mock-Fault.task: one of success, partial, failed, cancelled, stuck',
  ])
})

t.test('an id with spaces is refused, naming the pattern as written', async (t) => {
  const [problem] = problemsOf('id=my rule; error=13000201')
  t.match(problem, /^header X-Mock-Fault\.id: expected string to match /)
  t.equal(problem, "header X-Mock-Fault.id: expected string to match '^[A-Za-z0-9_.:-]+$'", 'the pattern as the schema has it, capitals kept')
})

t.test('over HTTP, every bad header gets 400 13000102 naming header X-Mock-Fault, and the request does nothing', async (t) => {
  const test = await startTestApp(t)
  for (const { header, problem } of BAD_FAULT_HEADERS) {
    const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': header })
    assertKooDriveError(t, res, 13000102, `Parameter invalid: ${problem}`)
    t.equal(res.headers['x-mock-fault-applied'], undefined, 'no fault applied')
  }
  t.equal(await taskCount(test), 0, 'no task was created')
  t.strictSame(test.slept, [], 'nothing waited')
})

t.test('a good header shapes its request: X-Mock-Fault-Applied says X-Mock-Fault, or the id it gives', async (t) => {
  const test = await startTestApp(t)
  const throttled = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'error=APIGW.0308; retryAfter=5' })
  assertGatewayError(t, throttled, 429, 'APIGW.0308', 'The throttling threshold has been reached')
  t.equal(throttled.headers['retry-after'], '5')
  t.equal(throttled.headers['x-mock-fault-applied'], 'X-Mock-Fault')
  const named = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'id=my-fault; error=13000201; message=Try later' })
  assertKooDriveError(t, named, 13000201, 'Try later')
  t.equal(named.headers['x-mock-fault-applied'], 'my-fault')
  t.strictSame(
    requestLogLines(test.logs).map((line) => [line.statusCode, line.fault]),
    [
      [429, 'X-Mock-Fault'],
      [500, 'my-fault'],
    ],
  )
  t.equal(await taskCount(test), 0)
})

t.test('a header latency waits its ms, then the request is answered normally', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'latency=800' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-mock-fault-applied'], 'X-Mock-Fault')
  t.strictSame(test.slept, [800])
})

t.test('the header wins over the rules, and the rules are not consulted (their counters stay)', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify([{ id: 'rule-error', error: 13000309 }]) } })
  const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'error=APIGW.0308' })
  t.equal(res.statusCode, 429)
  t.strictSame(await listFaults(test), [{ id: 'rule-error', error: 13000309, matched: 0, fired: 0 }])
})

t.test('a header whose probability says no lets the rules decide', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify([{ id: 'rule-error', error: 13000309 }]) } })
  const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'probability=0; error=APIGW.0308' })
  assertKooDriveError(t, res, 13000309, 'Resource not found')
  t.equal(res.headers['x-mock-fault-applied'], 'rule-error')
  const always = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'probability=1; error=APIGW.0308' })
  t.equal(always.statusCode, 429)
})

t.test('a header with probability fires on a seeded share of requests, the same share for the same seed', async (t) => {
  const firings = async () => {
    const test = await startTestApp(t)
    const fired: number[] = []
    for (let n = 1; n <= 40; n++) {
      const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'probability=0.5; error=APIGW.0308' })
      if (res.statusCode === 429) fired.push(n)
      else t.equal(res.statusCode, 200)
    }
    return fired
  }
  const first = await firings()
  t.ok(first.length > 8 && first.length < 32, `about half of 40 (${first.length})`)
  t.strictSame(await firings(), first)
})

t.test('MOCK_FAULT_HEADER=false ignores the header, good or bad', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_FAULT_HEADER: 'false' } })
  for (const header of ['error=APIGW.0308', 'connection=reset', 'explode=1', 'latency=800']) {
    const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': header })
    t.equal(res.statusCode, 200, header)
    t.equal(res.headers['x-mock-fault-applied'], undefined)
  }
  t.strictSame(test.slept, [])
})

t.test('a blank header is no fault', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': '   ' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-mock-fault-applied'], undefined)
})

t.test('the header is not read on the admin API or on unknown routes', async (t) => {
  const test = await startTestApp(t)
  const admin = await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL, headers: { 'x-mock-fault': 'error=APIGW.0308' } })
  t.equal(admin.statusCode, 200)
  t.strictSame(admin.json(), { rules: [] })
  const badOnAdmin = await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL, headers: { 'x-mock-fault': 'explode=1' } })
  t.equal(badOnAdmin.statusCode, 200, 'not even parsed')
  const unknown = await test.app.inject({ method: 'POST', url: '/koodrive/ose/v1/share/nothing', headers: { ...carrierHeaders(test.clock.now()), 'x-mock-fault': 'error=13000201' }, payload: '{}' })
  assertGatewayError(t, unknown, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment: POST /koodrive/ose/v1/share/nothing')
  t.equal(unknown.headers['x-mock-fault-applied'], undefined)
})

t.test('__proto__ and constructor are unknown keys, named in the message, not lookups into Object.prototype', async (t) => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    t.throws(() => parse(`${key}=1`), new FaultRuleError([`header X-Mock-Fault: unknown key "${key}"; ${KEYS}`]), key)
  }
  const test = await startTestApp(t)
  const res = await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': '__proto__=1' })
  assertKooDriveError(t, res, 13000102, `Parameter invalid: header X-Mock-Fault: unknown key "__proto__"; ${KEYS}`)
})
