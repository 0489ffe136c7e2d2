import t from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { MALFORMED_BODY } from '../../src/plugins/faults.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { requestLogLines } from '../helpers/logs.js'
import { carrierHeaders, DOWNLOAD_URL, fetchObject, getUserInfo, packageExample, postApi, TASK_DETAIL_URL, TASKS_URL, vendorExample, VERIFY_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, ADMIN_FAULTS_URL, taskCount } from '../helpers/admin.js'
import { SHARES } from '../helpers/world.js'
import { assertGatewayError, assertKooDriveError, REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { expectedContent } from '../helpers/objects.js'
import { clearFaults, listFaults, replaceFaults } from '../helpers/faults.js'

const QUARTERLY_REPORT = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'

/** The presigned URL share/download gives for the vendor example's file. */
async function downloadUrlOf(test: TestApp): Promise<string> {
  const res = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.vendorExample.shareId, fileId: QUARTERLY_REPORT })
  if (res.statusCode !== 200) throw new Error(`share/download failed: ${res.body}`)
  return (res.json() as { downloadUrl: string }).downloadUrl
}

t.test('a KooDrive code answers with its status and {code, msg} (the catalogue\'s message); the request goes no further', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', error: 13000201 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  assertKooDriveError(t, res, 13000201, 'Internal error')
  t.equal(res.statusCode, 500, '13000201 is HTTP 500')
  t.equal(res.headers['x-mock-fault-applied'], 'rule-1')
  t.equal(await taskCount(test), 0, 'no task was created')
  await replaceFaults(test, [{ error: 13000309 }])
  assertKooDriveError(t, await postApi(test, TASKS_URL, vendorExample), 13000309, 'Resource not found')
  await replaceFaults(test, [{ error: 13000412 }])
  assertKooDriveError(t, await postApi(test, TASKS_URL, vendorExample), 13000412, 'Space not active')
  await replaceFaults(test, [{ error: 13999999 }])
  assertKooDriveError(t, await postApi(test, TASKS_URL, vendorExample), 13999999, 'Injected fault 13999999')
})

t.test('message and status override the code\'s', async (t) => {
  const test = await startTestApp(t, { faults: [{ error: 13000201, message: 'Service busy, try again', status: 503 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  t.equal(res.statusCode, 503)
  t.strictSame(res.json(), { code: 13000201, msg: 'Service busy, try again' })
  await replaceFaults(test, [{ error: 13000102, status: 429 }])
  const throttled = await postApi(test, TASKS_URL, vendorExample)
  t.equal(throttled.statusCode, 429)
  t.strictSame(throttled.json(), { code: 13000102, msg: 'Parameter invalid' })
})

t.test('a gateway code answers in the gateway envelope with the catalogue\'s status and text', async (t) => {
  const test = await startTestApp(t)
  const cases: [FaultRule, number, string, string][] = [
    [{ error: 'APIGW.0308' }, 429, 'APIGW.0308', 'The throttling threshold has been reached'],
    [{ error: 'APIGW.0201' }, 502, 'APIGW.0201', 'Backend unavailable'],
    [{ error: 'APIGW.0201', status: 504 }, 504, 'APIGW.0201', 'Backend timeout'],
    [{ error: 'APIGW.0201', status: 502 }, 502, 'APIGW.0201', 'Backend unavailable'],
    [{ error: 'APIGW.0201', status: 413 }, 413, 'APIGW.0201', 'Request entity too large'],
    [{ error: 'APIGW.0301' }, 401, 'APIGW.0301', 'Incorrect IAM authentication information'],
    [{ error: 'APIGW.0303' }, 401, 'APIGW.0303', 'Incorrect app authentication information'],
    [{ error: 'APIGW.0307' }, 401, 'APIGW.0307', 'The token must be updated'],
    [{ error: 'APIGW.0101' }, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'],
    [{ error: 'APIGW.0308', status: 503, message: 'Slow down' }, 503, 'APIGW.0308', 'Slow down'],
    [{ error: 'APIGW.0301', message: 'token revoked' }, 401, 'APIGW.0301', 'token revoked'],
  ]
  for (const [rule, status, code, message] of cases) {
    await replaceFaults(test, [rule])
    const res = await postApi(test, TASKS_URL, vendorExample)
    assertGatewayError(t, res, status, code, message)
  }
})

t.test('APIGW.0201 with a status the catalogue does not have is a backend error, not an oversize body', async (t) => {
  const test = await startTestApp(t, { faults: [{ error: 'APIGW.0201', status: 503 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  t.equal(res.statusCode, 503)
  t.equal(res.json().error_code, 'APIGW.0201')
  t.equal(res.json().error_msg, 'Backend unavailable', 'the default APIGW.0201, as with no status', { })
})

t.test('an injected error whose status belongs to the other envelope still leaves in its own envelope', async (t) => {
  const test = await startTestApp(t)
  const cases: [FaultRule, number, Record<string, unknown>][] = [
    [{ error: 'APIGW.0201', status: 500 }, 500, { error_code: 'APIGW.0201', error_msg: 'Backend unavailable' }],
    [{ error: 'APIGW.0308', status: 400 }, 400, { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached' }],
    [{ error: 13000201, status: 401 }, 401, { code: 13000201, msg: 'Internal error' }],
    [{ error: 13000309, status: 404 }, 404, { code: 13000309, msg: 'Resource not found' }],
  ]
  for (const [rule, status, envelope] of cases) {
    await replaceFaults(test, [rule])
    const res = await postApi(test, TASKS_URL, vendorExample)
    t.equal(res.statusCode, status, `${JSON.stringify(rule)}: the status asked for`)
    t.notMatch(res.json(), { code: 'FST_ERR_FAILED_ERROR_SERIALIZATION' }, `${JSON.stringify(rule)}: not Fastify's own error`, { })
    t.match(res.json(), envelope, 'the envelope of the code')
  }
})

t.test('a raw error sends its status and body as they are', async (t) => {
  const test = await startTestApp(t)
  await replaceFaults(test, [{ error: { status: 503, body: { reason: 'maintenance', until: '10:00' } } }])
  const json = await postApi(test, TASKS_URL, vendorExample)
  t.equal(json.statusCode, 503)
  t.match(json.headers['content-type'], /^application\/json/)
  t.strictSame(json.json(), { reason: 'maintenance', until: '10:00' })
  t.equal(json.headers['x-mock-fault-applied'], 'rule-1')
  await replaceFaults(test, [{ error: { status: 502, body: '<html>Bad Gateway</html>' }, retryAfterS: 30 }])
  const text = await postApi(test, TASKS_URL, vendorExample)
  t.equal(text.statusCode, 502)
  t.equal(text.body, '<html>Bad Gateway</html>', 'a string is sent as it is')
  t.match(text.headers['content-type'], /^text\/plain/)
  t.equal(text.headers['retry-after'], '30', 'Retry-After goes with a raw error too')
  await replaceFaults(test, [{ error: { status: 503, body: [1, 'two'] } }])
  t.strictSame((await postApi(test, TASKS_URL, vendorExample)).json(), [1, 'two'])
  await replaceFaults(test, [{ error: { status: 204, body: null } }])
  const empty = await postApi(test, TASKS_URL, vendorExample)
  t.equal(empty.statusCode, 204)
  t.equal(empty.body, '')
  t.equal(await taskCount(test), 0)
})

t.test('a raw error body is sent as it is whatever its status', async (t) => {
  const test = await startTestApp(t)
  const cases: [number, unknown][] = [
    [500, { error: 'boom' }],
    [400, { code: 13000102, msg: 'custom', detail: 'extra field' }],
    [401, { message: 'who are you' }],
    [200, { code: 0, msg: 'Success' }],
  ]
  for (const [status, body] of cases) {
    await replaceFaults(test, [{ error: { status, body } }])
    const res = await postApi(test, TASKS_URL, vendorExample)
    t.equal(res.statusCode, status, `raw ${status}: the status`)
    t.strictSame(res.json(), body, `raw ${status}: the body as given`, { })
  }
})

t.test('Retry-After goes with a KooDrive or gateway error', async (t) => {
  const test = await startTestApp(t, { faults: [{ error: 13000201, retryAfterS: 0 }] })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['retry-after'], '0')
  await replaceFaults(test, [{ error: 'APIGW.0308', retryAfterS: 2 }])
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['retry-after'], '2')
  await replaceFaults(test, [{ error: 'APIGW.0308' }])
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['retry-after'], undefined, 'none unless asked for')
})

t.test('a response shaped by a rule says so in X-Mock-Fault-Applied and in its log line; others do not', async (t) => {
  const test = await startTestApp(t, { faults: [{ id: 'throttle', operation: 'getShareTaskDetail', error: 'APIGW.0308' }] })
  const created = await postApi(test, TASKS_URL, vendorExample)
  t.equal(created.statusCode, 200)
  t.equal(created.headers['x-mock-fault-applied'], undefined)
  const taskId = (created.json() as { taskId: string }).taskId
  const detail = await postApi(test, TASK_DETAIL_URL, { taskId, shareId: vendorExample.shareId })
  t.equal(detail.statusCode, 429)
  t.equal(detail.headers['x-mock-fault-applied'], 'throttle')
  t.match(detail.headers['x-request-id'], REQUEST_ID_PATTERN)
  const lines = requestLogLines(test.logs)
  t.equal(lines.length, 2)
  t.notOk('fault' in (lines[0] as object), 'no fault field when no rule fired')
  t.match(lines[1], { operation: 'getShareTaskDetail', statusCode: 429, fault: 'throttle' })
})

t.test('a latency rule waits its ms, then the request is answered normally', async (t) => {
  const test = await startTestApp(t, { faults: [{ id: 'lag', latencyMs: 800 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { code: 0, msg: 'Success' })
  t.equal(res.headers['x-mock-fault-applied'], 'lag')
  t.strictSame(test.slept, [800])
  t.match(requestLogLines(test.logs)[0], { statusCode: 200, fault: 'lag' })
})

t.test('latency 0 does not wait at all', async (t) => {
  const test = await startTestApp(t, { faults: [{ latencyMs: 0 }] })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 200)
  t.strictSame(test.slept, [])
})

t.test('latency with an error waits, then answers with the error', async (t) => {
  const test = await startTestApp(t, { faults: [{ latencyMs: 250, error: 'APIGW.0201', status: 504 }] })
  assertGatewayError(t, await postApi(test, TASKS_URL, vendorExample), 504, 'APIGW.0201', 'Backend timeout')
  t.strictSame(test.slept, [250])
})

t.test('a latency range waits a value in the range, the same values for the same seed', async (t) => {
  const latencies = async (seed: string) => {
    const test = await startTestApp(t, { env: { MOCK_RANDOM_SEED: seed } })
    await replaceFaults(test, [{ latencyMs: [100, 500] }])
    for (let i = 0; i < 20; i++) await postApi(test, TASKS_URL, vendorExample)
    return test.slept
  }
  const first = await latencies('42')
  t.equal(first.length, 20)
  t.ok(first.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 500), `all in [100, 500]: ${first.join(', ')}`)
  t.ok(new Set(first).size > 5, 'they vary')
  t.strictSame(await latencies('42'), first, 'seed 42 again: the same waits')
  t.notSame(await latencies('43'), first, 'another seed: other waits')
})

t.test('faults come before the header checks: a call without a token gets the injected error, not 401', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'createShareTask', error: 'APIGW.0308' }] })
  const res = await postApi(test, TASKS_URL, vendorExample, { authorization: undefined })
  t.equal(res.statusCode, 429)
  await clearFaults(test)
  const plain = await postApi(test, TASKS_URL, vendorExample, { authorization: undefined })
  t.equal(plain.statusCode, 401)
})

t.test('a rule matching on the body is decided after the body is parsed, so header problems answer first', async (t) => {
  const test = await startTestApp(t, { faults: [{ match: { taskType: 2 }, error: 'APIGW.0308' }] })
  const unauthorized = await postApi(test, TASKS_URL, vendorExample, { authorization: undefined })
  t.equal(unauthorized.statusCode, 401)
  const badJson = await postApi(test, TASKS_URL, '{"taskType":2')
  t.equal(badJson.statusCode, 400, 'a body that cannot be parsed is not matched')
  t.equal(badJson.json().code, 13000101)
  const invalid = await postApi(test, TASKS_URL, { ...vendorExample, fileIds: [] })
  t.equal(invalid.statusCode, 429, 'a parsed body that fails validation is matched: faults come before validation')
  t.strictSame((await listFaults(test))[0], { match: { taskType: 2 }, error: 'APIGW.0308', id: 'rule-1', matched: 1, fired: 1 })
})

t.test('match.userId, match.shareId and match.taskType pick their requests', async (t) => {
  const test = await startTestApp(t, { faults: [
    { id: 'ann-only', match: { userId: 'ann' }, error: 13000410 },
    { id: 'dumps', operation: 'createShareTask', match: { taskType: 2 }, error: 13000311 },
    { id: 'that-share', match: { shareId: SHARES.launchKit.shareId }, error: 13000309 },
  ] })
  const asAnn = await postApi(test, VERIFY_URL, { shortUrl: SHARES.vendorExample.shortUrl, extractCode: '12345678' }, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
  t.equal(asAnn.headers['x-mock-fault-applied'], 'ann-only')
  const dump = await postApi(test, TASKS_URL, vendorExample)
  t.equal(dump.headers['x-mock-fault-applied'], 'dumps')
  assertKooDriveError(t, dump, 13000311, 'Insufficient space')
  const zip = await postApi(test, TASKS_URL, packageExample)
  t.equal(zip.statusCode, 200, 'a package download is no dump')
  t.equal(zip.headers['x-mock-fault-applied'], undefined)
  const otherShare = await postApi(test, TASK_DETAIL_URL, { taskId: '1', shareId: SHARES.launchKit.shareId })
  t.equal(otherShare.headers['x-mock-fault-applied'], 'that-share')
  const userInfo = await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  t.equal(userInfo.statusCode, 200, 'a GET has no body to match')
  t.strictSame(
    (await listFaults(test)).map(({ id, matched, fired }) => [id, matched, fired]),
    [
      ['ann-only', 1, 1],
      ['dumps', 1, 1],
      ['that-share', 1, 1],
    ],
  )
})

t.test('rules before a body rule are checked first, once; a body rule before them in the list still wins', async (t) => {
  const test = await startTestApp(t, { faults: [
    { id: 'later', operation: 'createShareTask', after: 5, error: 13000201 },
    { id: 'dumps', match: { taskType: 2 }, error: 'APIGW.0308' },
    { id: 'rest', operation: 'createShareTask', error: 13000309 },
  ] })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['x-mock-fault-applied'], 'dumps')
  t.equal((await postApi(test, TASKS_URL, packageExample)).headers['x-mock-fault-applied'], 'rest')
  t.strictSame(
    (await listFaults(test)).map(({ id, matched, fired }) => [id, matched, fired]),
    [
      ['later', 2, 0],
      ['dumps', 1, 1],
      ['rest', 1, 1],
    ],
    'the first rule counted once per request, not again when the plan resumes',
  )
  await replaceFaults(test, [
    { id: 'dumps', match: { taskType: 2 }, error: 'APIGW.0308' },
    { id: 'all', error: 13000201 },
  ])
  t.equal((await postApi(test, TASKS_URL, vendorExample)).headers['x-mock-fault-applied'], 'dumps', 'order holds even though `all` needs no body')
  t.equal((await postApi(test, TASKS_URL, packageExample)).headers['x-mock-fault-applied'], 'all')
})

t.test('an operation filter limits a rule to its route', async (t) => {
  const test = await startTestApp(t, { faults: [{ operation: 'getShareTaskDetail', error: 13000201 }] })
  const created = await postApi(test, TASKS_URL, vendorExample)
  t.equal(created.statusCode, 200)
  const detail = await postApi(test, TASK_DETAIL_URL, { taskId: created.json().taskId, shareId: vendorExample.shareId })
  t.equal(detail.statusCode, 500)
  t.strictSame((await listFaults(test))[0], { operation: 'getShareTaskDetail', error: 13000201, id: 'rule-1', matched: 1, fired: 1 })
})

t.test('first N, every Nth and times over HTTP, with the counters the admin API shows', async (t) => {
  const test = await startTestApp(t, { faults: [
    { id: 'warm-up', operation: 'createShareTask', first: 2, error: 13000201 },
    { id: 'throttle', operation: 'createShareTask', every: 2, times: 2, error: 'APIGW.0308' },
  ] })
  const statuses: number[] = []
  for (let i = 0; i < 9; i++) statuses.push((await postApi(test, TASKS_URL, vendorExample)).statusCode)
  t.strictSame(statuses, [500, 500, 200, 429, 200, 429, 200, 200, 200])
  const listed = await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })
  t.strictSame(listed.json(), {
    rules: [
      { id: 'warm-up', operation: 'createShareTask', first: 2, error: 13000201, matched: 9, fired: 2 },
      { id: 'throttle', operation: 'createShareTask', every: 2, times: 2, error: 'APIGW.0308', matched: 7, fired: 2 },
    ],
  })
})

t.test('the admin API is never faulted, even by a rule on every operation', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '300' }, faults: [
    { operation: '*', error: 13000201 },
    { operation: '*', connection: 'reset' },
  ] })
  for (const [method, url, payload] of [
    ['GET', ADMIN_FAULTS_URL, undefined],
    ['GET', '/__admin/health', undefined],
    ['GET', ADMIN_CLOCK_URL, undefined],
    ['POST', ADMIN_FAULTS_URL, { latencyMs: 1 }],
  ] as const) {
    const res = await test.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode}`)
    t.equal(res.headers['x-mock-fault-applied'], undefined)
  }
  t.strictSame(test.slept, [], 'not even the MOCK_LATENCY_MS baseline')
  t.strictSame((await listFaults(test)).map(({ matched }) => matched), [0, 0, 0], 'no rule counted an admin request')
})

t.test('unknown routes are not faulted', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '300' }, faults: [{ error: 13000201 }] })
  const res = await postApi(test, '/koodrive/ose/v1/share/unknown', {})
  assertGatewayError(t, res, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment: POST /koodrive/ose/v1/share/unknown')
  t.equal(res.headers['x-mock-fault-applied'], undefined)
  t.strictSame(test.slept, [])
  t.equal((await listFaults(test))[0]!.matched, 0)
})

t.test('a download URL can be faulted: downloadObject', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ZIP_MAX_FILE_BYTES: '1000' } })
  const url = await downloadUrlOf(test)
  await replaceFaults(test, [{ operation: 'downloadObject', first: 1, error: { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } }])
  const failed = await fetchObject(test, url)
  t.equal(failed.statusCode, 503)
  t.equal(failed.body, '<Error><Code>SlowDown</Code></Error>')
  t.equal(failed.headers['x-mock-fault-applied'], 'rule-1')
  const ok = await fetchObject(test, url)
  t.equal(ok.statusCode, 200)
  t.strictSame(ok.rawPayload, await expectedContent(QUARTERLY_REPORT, 1000))
  await replaceFaults(test, [{ operation: 'downloadObject', error: 'APIGW.0201', status: 504 }])
  assertGatewayError(t, await fetchObject(test, url), 504, 'APIGW.0201', 'Backend timeout')
  await replaceFaults(test, [{ operation: 'downloadObject', match: { userId: 'u1' }, error: 13000201 }])
  t.equal((await fetchObject(test, url)).statusCode, 200, 'a download URL carries no X-User-Id: a userId rule does not match it')
})

t.test('malformed answers 200 with a body that is not JSON', async (t) => {
  const test = await startTestApp(t, { faults: [{ connection: 'malformed', latencyMs: 40 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.equal(res.body, MALFORMED_BODY)
  t.throws(() => res.json(), SyntaxError)
  t.equal(res.headers['x-mock-fault-applied'], 'rule-1')
  t.strictSame(test.slept, [40], 'latency first')
  t.equal(await taskCount(test), 0, 'the route never ran')
})

t.test('slow dribbles the whole JSON body over latencyMs, in ten waits, with its full Content-Length', async (t) => {
  const test = await startTestApp(t, { faults: [{ connection: 'slow', latencyMs: 3000 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { code: 0, msg: 'Success', taskId: /^\d{19}$/ })
  t.equal(res.headers['content-length'], String(res.rawPayload.length))
  t.strictSame(test.slept, Array(10).fill(300), 'no wait up front: the body takes the time')
  t.equal(await taskCount(test), 1)
})

t.test('slow with an error dribbles the error body', async (t) => {
  const test = await startTestApp(t, { faults: [{ connection: 'slow', latencyMs: 100, error: 13000201 }] })
  const res = await postApi(test, TASKS_URL, vendorExample)
  assertKooDriveError(t, res, 13000201, 'Internal error')
  t.equal(test.slept.length, 10)
})

t.test('slow on a download stream holds back its first ten chunks', async (t) => {
  const test = await startTestApp(t)
  const url = await downloadUrlOf(test)
  await replaceFaults(test, [{ operation: 'downloadObject', connection: 'slow', latencyMs: 1000 }])
  const res = await fetchObject(test, url)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-length'], '1048576')
  t.strictSame(res.rawPayload, await expectedContent(QUARTERLY_REPORT, 1048576))
  t.strictSame(test.slept, Array(10).fill(100))
})

t.test('slow on a small download still takes latencyMs', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ZIP_MAX_FILE_BYTES: '1000' } })
  const url = await downloadUrlOf(test)
  await replaceFaults(test, [{ operation: 'downloadObject', connection: 'slow', latencyMs: 1000 }])
  const res = await fetchObject(test, url)
  t.strictSame(res.rawPayload, await expectedContent(QUARTERLY_REPORT, 1000), 'the body is whole')
  t.equal(
    test.slept.reduce((sum, ms) => sum + ms, 0),
    1000,
    'the waits add up to latencyMs, as the README says ("the body dribbled over latencyMs")',
  )
})

t.test('slow on a HEAD of a download keeps its Content-Length', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ZIP_MAX_FILE_BYTES: '1000' } })
  const url = await downloadUrlOf(test)
  const plain = await fetchObject(test, url, 'HEAD')
  t.equal(plain.headers['content-length'], '1000')
  await replaceFaults(test, [{ operation: 'downloadObject', connection: 'slow', latencyMs: 1000 }])
  const res = await fetchObject(test, url, 'HEAD')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.equal(res.headers['content-length'], '1000', 'the object\'s size, as without the fault', { })
})

t.test('every emulated operation can be faulted', async (t) => {
  const test = await startTestApp(t)
  const url = await downloadUrlOf(test)
  await replaceFaults(test, [{ operation: '*', error: 'APIGW.0308' }])
  const responses = [
    await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }),
    await postApi(test, VERIFY_URL, { shortUrl: SHARES.vendorExample.shortUrl, extractCode: '12345678' }),
    await postApi(test, '/koodrive/ose/v1/share/files', { shortUrl: SHARES.vendorExample.shortUrl }),
    await postApi(test, TASKS_URL, vendorExample),
    await postApi(test, TASK_DETAIL_URL, { taskId: '1', shareId: '1' }),
    await postApi(test, DOWNLOAD_URL, { shareId: '1', fileId: QUARTERLY_REPORT }),
    await postApi(test, '/koodrive/ose/v1/cancel', { jobId: '1' }),
    await fetchObject(test, url),
  ]
  t.strictSame(responses.map((res) => res.statusCode), Array(8).fill(429))
  t.strictSame(
    // After share/download's line and the PUT /__admin/faults that installed the rule.
    requestLogLines(test.logs).slice(2).map((line) => line.operation),
    ['getShareUserInfo', 'verifyShare', 'listShareFiles', 'createShareTask', 'getShareTaskDetail', 'downloadShareFile', 'cancelJob', 'downloadObject'],
  )
})

t.test('two apps with no rules answer alike: the hooks add nothing when nothing fires', async (t) => {
  const test = await startTestApp(t)
  const res = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(test.clock.now()), payload: vendorExample })
  t.equal(res.statusCode, 200)
  t.strictSame(Object.keys(res.headers).filter((name) => name.startsWith('x-')), ['x-request-id'])
  t.strictSame(test.slept, [])
})

t.test('an injected answer to a page on another origin carries the CORS headers, so the page can read it', async (t) => {
  const test = await startTestApp(t)
  const origin = { origin: 'http://localhost:5173' }
  const plain = await postApi(test, TASKS_URL, vendorExample, origin)
  t.equal(plain.headers['access-control-allow-origin'], '*', 'an ordinary answer has them')
  const latency = await postApi(test, TASKS_URL, vendorExample, { ...origin, 'x-mock-fault': 'latency=5' })
  t.equal(latency.headers['access-control-allow-origin'], '*', 'so does one that was only delayed')
  await replaceFaults(test, [{ match: { taskType: 2 }, error: 13000201 }])
  const afterBody = await postApi(test, TASKS_URL, vendorExample, origin)
  t.equal(afterBody.statusCode, 500)
  t.equal(afterBody.headers['access-control-allow-origin'], '*', 'and an error decided once the body is parsed')
  await clearFaults(test)
  const cases: [string, Record<string, string>, FaultRule[]][] = [
    ['the README\'s browser example (header error=APIGW.0308; retryAfter=5)', { 'x-mock-fault': 'error=APIGW.0308; retryAfter=5' }, []],
    ['a header malformed answer', { 'x-mock-fault': 'connection=malformed' }, []],
    ['the 400 for a bad X-Mock-Fault header', { 'x-mock-fault': 'explode=1' }, []],
    ['a rule\'s error', {}, [{ operation: 'createShareTask', error: 'APIGW.0308' }]],
  ]
  for (const [name, headers, rules] of cases) {
    await replaceFaults(test, rules)
    const res = await postApi(test, TASKS_URL, vendorExample, { ...origin, ...headers })
    t.ok(res.statusCode >= 200, `${name}: ${res.statusCode}`)
    t.equal(res.headers['access-control-allow-origin'], '*', `${name}: Access-Control-Allow-Origin`)
    t.match(res.headers['access-control-expose-headers'], /X-Mock-Fault-Applied/, `${name}: X-Mock-Fault-Applied exposed`)
  }
})
