import t, { type Test } from 'tap'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { listenLocally, START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, carrierHeaders, createTask, fetchObject, getUserInfo, packageExample, pathAndQuery, postApi, TASK_DETAIL_URL, TASKS_URL, USER_INFO_URL, vendorExample, VERIFY_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, ADMIN_FAULTS_URL } from '../helpers/admin.js'
import { SHARES } from '../helpers/world.js'
import { assertKooDriveError, REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { objectError } from '../helpers/objects.js'

const PARAMETER_INVALID = 13000102
const NOW = new Date(START_MS).toISOString()

interface Entry {
  id: number
  time: string
  method: string
  path: string
  query: string
  operation: string
  userId: string | null
  headers: Record<string, unknown>
  body: unknown
  status: number
  responseBody: unknown
  durationMs: number
  fault: string | null
}
interface Listing {
  total: number
  requests: Entry[]
}

const journal = async (app: TestApp['app'], query = '') => (await app.inject({ method: 'GET', url: `/__admin/requests${query}` })).json<Listing>()
const countOf = async (app: TestApp['app'], query = '') => (await app.inject({ method: 'GET', url: `/__admin/requests/count${query}` })).json<{ count: number }>().count
const advance = (app: TestApp['app'], advanceMs: number) => app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs } })

/** The headers carrierHeaders sends, as inject delivers them, with Authorization redacted. */
function journaledHeaders(nowMs: number, body?: unknown, overrides: Record<string, string> = {}) {
  return {
    authorization: '[Redacted]',
    'x-user-id': 'u1',
    'x-date': formatXDate(nowMs),
    'x-hw-agentname': 'test-carrier',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...overrides,
    'user-agent': 'lightMyRequest',
    host: 'localhost:80',
    ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(JSON.stringify(body))) }),
  }
}

/** An entry is timed by the server: only its type can be pinned. */
function withDuration(t: Test, entry: Entry | undefined): number {
  t.type(entry?.durationMs, 'number', 'durationMs is a number')
  t.ok((entry?.durationMs as number) >= 0, 'durationMs is not negative')
  return entry?.durationMs as number
}

t.test('a share/verify call: the whole entry, extractCode and the kdstoken it returned redacted', async (t) => {
  const test = await startTestApp(t)
  const body = { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode }
  const res = await postApi(test, VERIFY_URL, body)
  t.equal(res.statusCode, 200)
  const listing = await journal(test.app)
  t.equal(listing.total, 1)
  const entry = listing.requests[0]
  t.strictSame(entry, {
    id: 1,
    time: NOW,
    method: 'POST',
    path: VERIFY_URL,
    query: '',
    operation: 'verifyShare',
    userId: 'u1',
    headers: journaledHeaders(START_MS, body),
    body: { shortUrl: SHARES.contracts.shortUrl, extractCode: '[Redacted]' },
    status: 200,
    responseBody: { code: 0, msg: 'Success', kdstoken: '[Redacted]' },
    durationMs: withDuration(t, entry),
    fault: null,
  })
  t.notMatch(JSON.stringify(listing), SHARES.contracts.extractCode, 'the access code appears nowhere')
  t.notMatch(JSON.stringify(listing), (res.json() as { kdstoken: string }).kdstoken, 'the kdstoken appears nowhere')
})

t.test('a share/tasks call: the body with its kdstoken redacted, the response as sent', async (t) => {
  const test = await startTestApp(t)
  await advance(test.app, 2500)
  const now = START_MS + 2500
  const taskId = await createTask(test, vendorExample, { 'x-traceid': 'a'.repeat(58) })
  const entry = (await journal(test.app)).requests[0]
  t.strictSame(entry, {
    id: 1,
    time: new Date(now).toISOString(),
    method: 'POST',
    path: TASKS_URL,
    query: '',
    operation: 'createShareTask',
    userId: 'u1',
    headers: journaledHeaders(now, vendorExample, { 'x-traceid': 'a'.repeat(58) }),
    body: { ...vendorExample, kdstoken: '[Redacted]' },
    status: 200,
    responseBody: { code: 0, msg: 'Success', taskId },
    durationMs: withDuration(t, entry),
    fault: null,
  })
})

t.test('a GET: its query apart from its path, and a null body', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  const entry = (await journal(test.app)).requests[0]
  t.strictSame(entry, {
    id: 1,
    time: NOW,
    method: 'GET',
    path: USER_INFO_URL,
    query: `shortUrl=${SHARES.vendorExample.shortUrl}`,
    operation: 'getShareUserInfo',
    userId: 'u1',
    headers: journaledHeaders(START_MS),
    body: null,
    status: 200,
    responseBody: res.json(),
    durationMs: withDuration(t, entry),
    fault: null,
  })
})

t.test('a refused call: the error it got; an unparsable body is null', async (t) => {
  const test = await startTestApp(t)
  await postApi(test, TASKS_URL, '{"taskType":')
  await postApi(test, TASKS_URL, { ...packageExample, taskType: 3 }, { authorization: undefined })
  const [unauthorized, notJson] = (await journal(test.app)).requests
  t.match(notJson, {
    operation: 'createShareTask',
    body: null,
    status: 400,
    responseBody: { code: 13000101, msg: 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key' },
  })
  t.match(unauthorized, { operation: 'createShareTask', status: 401, responseBody: { error_code: 'APIGW.0301', request_id: REQUEST_ID_PATTERN } })
  t.notOk('authorization' in (unauthorized?.headers ?? {}), 'no Authorization sent, none journaled')
})

t.test('an unknown path is journaled as notFound with the gateway\'s 404', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/nope?x=1' })
  const entry = (await journal(app)).requests[0]
  t.strictSame(entry, {
    id: 1,
    time: NOW,
    method: 'GET',
    path: '/koodrive/ose/v1/share/nope',
    query: 'x=1',
    operation: 'notFound',
    userId: null,
    headers: { 'user-agent': 'lightMyRequest', host: 'localhost:80' },
    body: null,
    status: 404,
    responseBody: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment: GET /koodrive/ose/v1/share/nope', request_id: res.headers['x-request-id'] },
    durationMs: withDuration(t, entry),
    fault: null,
  })
})

t.test('an object download is journaled with a null response body (it was streamed); its errors keep their XML', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const done = await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: { action: 'complete' } })
  const downloadUrl = done.json<{ jobInfo: { downloadUrl: string } }>().jobInfo.downloadUrl
  await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })

  t.equal((await fetchObject(test, downloadUrl)).statusCode, 200)
  t.equal((await fetchObject(test, downloadUrl, 'HEAD')).statusCode, 200)
  const tampered = downloadUrl.replace(/X-Amz-Signature=[0-9a-f]/, (match) => `${match.slice(0, -1)}${match.endsWith('0') ? '1' : '0'}`)
  const forbidden = await fetchObject(test, tampered)
  t.equal(forbidden.statusCode, 403)
  const missingKey = `packages/${taskId}/other.zip`
  const missing = await fetchObject(test, test.app.emulator.presigner.sign(missingKey, START_MS))
  t.equal(missing.statusCode, 404)

  const [notFound, tamperedEntry, head, get] = (await journal(test.app)).requests
  const { pathname, search } = new URL(downloadUrl)
  t.strictSame(get, {
    id: get?.id,
    time: NOW,
    method: 'GET',
    path: pathname,
    query: search.slice(1),
    operation: 'downloadObject',
    userId: null,
    headers: { 'user-agent': 'lightMyRequest', host: 'localhost:80' },
    body: null,
    status: 200,
    responseBody: null,
    durationMs: withDuration(t, get),
    fault: null,
  })
  t.match(head, { method: 'HEAD', operation: 'downloadObject', status: 200, responseBody: null })
  t.match(tamperedEntry, { method: 'GET', operation: 'downloadObject', status: 403, query: pathAndQuery(tampered).split('?')[1] })
  t.equal(tamperedEntry?.responseBody, forbidden.body, 'the XML error stays a string')
  t.match(forbidden.body, /^<\?xml/)
  t.equal(notFound?.responseBody, objectError('NoSuchKey', 'The specified key does not exist.', missingKey, missing.headers['x-request-id']), 'a 404 too')
})

t.test('the admin API is never journaled, not even its unknown paths', async (t) => {
  const test = await startTestApp(t)
  const admin: [string, string, object?][] = [
    ['GET', '/__admin/health'],
    ['GET', '/__admin/ready'],
    ['GET', '/__admin/faults'],
    ['GET', '/__admin/clock'],
    ['POST', '/__admin/clock', { advanceMs: 1 }],
    ['GET', '/__admin/tasks'],
    ['GET', '/__admin/world'],
    ['GET', '/__admin/requests'],
    ['GET', '/__admin/requests/count'],
    ['GET', '/__admin/openapi.json'],
    ['GET', '/__admin/docs'],
    ['GET', '/__admin/nope'],
  ]
  for (const [method, url, payload] of admin) await test.app.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload }) })
  await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  const listing = await journal(test.app)
  t.equal(listing.total, 1)
  t.strictSame(listing.requests.map((entry) => entry.operation), ['getShareUserInfo'])
})

t.test('an entry names the fault rule that shaped the response', async (t) => {
  const test = await startTestApp(t)
  const rule = { id: 'throttle', operation: 'getShareTaskDetail', error: 'APIGW.0308', retryAfterS: 2 }
  t.equal((await test.app.inject({ method: 'POST', url: ADMIN_FAULTS_URL, payload: rule })).statusCode, 201)
  const throttled = await postApi(test, TASK_DETAIL_URL, { taskId: '1', shareId: '2' })
  t.equal(throttled.statusCode, 429)
  const injected = await postApi(test, CANCEL_URL, { jobId: '1' }, { 'x-mock-fault': 'error=13000201' })
  t.equal(injected.statusCode, 500)
  const [header, byRule] = (await journal(test.app)).requests
  t.match(byRule, {
    operation: 'getShareTaskDetail',
    status: 429,
    fault: 'throttle',
    responseBody: { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached', request_id: throttled.headers['x-request-id'] },
  })
  t.match(header, { operation: 'cancelJob', status: 500, fault: 'X-Mock-Fault', responseBody: { code: 13000201, msg: 'Internal error' } })
  t.equal(header?.headers['x-mock-fault'], 'error=13000201', 'the header is journaled as sent')
})

/** Five calls: three at START_MS (u1 userInfo 200, ann verify 200, u1 verify 400), two a second later (bob, u1). */
async function fiveCalls(test: TestApp) {
  await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  await postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode }, { 'x-user-id': 'ann' })
  await postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: '00000000' })
  await advance(test.app, 1000)
  await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { 'x-user-id': 'bob' })
  await postApi(test, TASKS_URL, packageExample)
}

t.test('GET /__admin/requests: newest first, with the total', async (t) => {
  const test = await startTestApp(t)
  await fiveCalls(test)
  const listing = await journal(test.app)
  t.equal(listing.total, 5)
  t.strictSame(
    listing.requests.map((entry) => [entry.id, entry.operation, entry.userId, entry.status, entry.time]),
    [
      [5, 'createShareTask', 'u1', 200, '2026-11-26T10:00:01.500Z'],
      [4, 'getShareUserInfo', 'bob', 200, '2026-11-26T10:00:01.500Z'],
      [3, 'verifyShare', 'u1', 400, NOW],
      [2, 'verifyShare', 'ann', 200, NOW],
      [1, 'getShareUserInfo', 'u1', 200, NOW],
    ],
  )
})

t.test('GET /__admin/requests and /count filter by operation, status, userId and since, and limit', async (t) => {
  const test = await startTestApp(t)
  await fiveCalls(test)
  const later = START_MS + 1000
  const cases: [string, number[]][] = [
    ['?operation=verifyShare', [3, 2]],
    ['?operation=cancelJob', []],
    ['?status=400', [3]],
    ['?status=200', [5, 4, 2, 1]],
    ['?userId=u1', [5, 3, 1]],
    ['?userId=bob', [4]],
    [`?since=${new Date(later).toISOString()}`, [5, 4]],
    [`?since=${later}`, [5, 4]],
    [`?since=${later + 1}`, []],
    ['?since=2026-11-26T10:00:00Z', [5, 4, 3, 2, 1]],
    ['?since=2026-11-26T11:00:00%2B01:00', [5, 4, 3, 2, 1]],
    ['?operation=verifyShare&userId=u1', [3]],
    [`?userId=u1&since=${later}`, [5]],
    ['?status=200&operation=getShareUserInfo&userId=bob', [4]],
  ]
  for (const [query, ids] of cases) {
    t.test(query, async (t) => {
      const listing = await journal(test.app, query)
      t.strictSame({ total: listing.total, ids: listing.requests.map((entry) => entry.id) }, { total: ids.length, ids })
      t.equal(await countOf(test.app, query), ids.length, 'count agrees')
    })
  }
  t.test('limit cuts the list, not the total', async (t) => {
    const listing = await journal(test.app, '?limit=2')
    t.strictSame({ total: listing.total, ids: listing.requests.map((entry) => entry.id) }, { total: 5, ids: [5, 4] })
    t.strictSame(await journal(test.app, '?limit=0'), { total: 5, requests: [] })
    const filtered = await journal(test.app, '?userId=u1&limit=1')
    t.strictSame({ total: filtered.total, ids: filtered.requests.map((entry) => entry.id) }, { total: 3, ids: [5] })
  })
  t.test('count with no filter counts everything', async (t) => {
    t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/requests/count' })).json(), { count: 5 })
  })
})

t.test('GET /__admin/requests shows at most 100 by default', async (t) => {
  const test = await startTestApp(t)
  for (let i = 0; i < 101; i++) await test.app.inject({ method: 'GET', url: '/nope' })
  const listing = await journal(test.app)
  t.equal(listing.total, 101)
  t.equal(listing.requests.length, 100)
  t.equal(listing.requests[0]?.id, 101)
})

t.test('bad filters are 13000102 naming the parameter, on the list and the count alike', async (t) => {
  const { app } = await startTestApp(t)
  const cases: [string, string][] = [
    ['?since=yesterday', 'since must be an ISO-8601 time or epoch milliseconds, got "yesterday"'],
    ['?since=2026-13-45', 'since must be an ISO-8601 time or epoch milliseconds, got "2026-13-45"'],
    ['?since=', 'since must not be empty'],
    ['?status=abc', 'status must match pattern "^(0|[1-5][0-9]{2})$"'],
    ['?status=600', 'status must match pattern "^(0|[1-5][0-9]{2})$"'],
    ['?operation=', 'operation must not be empty'],
    ['?userId=', 'userId must not be empty'],
    ['?limit=ten', 'limit must match pattern "^[0-9]{1,7}$"'],
    ['?method=GET', 'method is not a known field'],
  ]
  for (const [query, message] of cases) {
    t.test(query, async (t) => {
      assertKooDriveError(t, await app.inject({ method: 'GET', url: `/__admin/requests${query}` }), PARAMETER_INVALID, `Parameter invalid: ${message}`)
      if (!query.startsWith('?limit')) {
        assertKooDriveError(t, await app.inject({ method: 'GET', url: `/__admin/requests/count${query}` }), PARAMETER_INVALID, `Parameter invalid: ${message}`)
      }
    })
  }
})

t.test('DELETE /__admin/requests answers with how many it removed and empties the journal; ids go on', async (t) => {
  const test = await startTestApp(t)
  await fiveCalls(test)
  const res = await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { count: 5 })
  t.strictSame(await journal(test.app), { total: 0, requests: [] })
  t.equal(await countOf(test.app), 0)
  t.strictSame((await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })).json(), { count: 0 }, 'an empty journal: 0')
  await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  t.strictSame((await journal(test.app)).requests.map((entry) => entry.id), [6], 'an id is never given twice')
})

t.test('MOCK_JOURNAL_SIZE=3 keeps the three newest', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_JOURNAL_SIZE: '3' } })
  await fiveCalls(test)
  const listing = await journal(test.app)
  t.equal(listing.total, 3)
  t.strictSame(listing.requests.map((entry) => entry.id), [5, 4, 3])
  t.equal(await countOf(test.app, '?operation=getShareUserInfo'), 1, 'the first userInfo call is gone')
  t.strictSame((await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })).json(), { count: 3 })
})

t.test('MOCK_JOURNAL_SIZE=0 records nothing', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_JOURNAL_SIZE: '0' } })
  await fiveCalls(test)
  t.strictSame(await journal(test.app), { total: 0, requests: [] })
  t.equal(await countOf(test.app), 0)
  t.strictSame((await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })).json(), { count: 0 })
  t.equal((await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })).statusCode, 200, 'the API works as ever')
})

t.test('a CORS preflight is not journaled as a 404', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({
    method: 'OPTIONS',
    url: TASKS_URL,
    headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  })
  t.equal(res.statusCode, 204)
  const entry = (await journal(app)).requests[0]
  t.match(entry, { method: 'OPTIONS', status: 204, responseBody: null })
  t.not(entry?.operation, 'notFound', 'operation=notFound finds real 404s only')
})

t.test('?status=0 finds the requests a connection fault left unanswered', async (t) => {
  const test = await startTestApp(t)
  const { url } = await listenLocally(test)
  const failed = await fetch(`${url}${CANCEL_URL}`, {
    method: 'POST',
    headers: { ...carrierHeaders(test.clock.now()), 'x-mock-fault': 'connection=empty' },
    body: JSON.stringify({ jobId: '1' }),
  }).then(
    () => 'answered',
    (error: Error) => error.message,
  )
  t.equal(failed, 'fetch failed', 'the client got no answer')
  await postApi(test, CANCEL_URL, { jobId: '1' })
  t.equal(await countOf(test.app, '?status=0'), 1)
  const [entry] = (await journal(test.app, '?status=0')).requests
  t.match(entry, { operation: 'cancelJob', status: 0, fault: 'X-Mock-Fault', responseBody: null })
})
