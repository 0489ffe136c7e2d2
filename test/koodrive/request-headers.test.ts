import type { IncomingHttpHeaders } from 'node:http'
import t, { type Test } from 'tap'
import { KooDriveError } from '../../src/domain/errors.js'
import { GatewayError, kooDriveStatus } from '../../src/koodrive/errors.js'
import { checkKooDriveHeaders, type HeaderRules } from '../../src/koodrive/request-headers.js'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL } from '../helpers/requests.js'
import { assertGatewayError, assertKooDriveError } from '../helpers/envelopes.js'
import { adminTask, taskCount } from '../helpers/admin.js'

const SIGNATURE = '0123456789abcdef'.repeat(4)
const APP_AUTH = `HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-user-id,Signature=${SIGNATURE}`
const TRACE_ID = 't'.repeat(58)

const TOKEN_INVALID = 'Incorrect IAM authentication information'
const APP_AUTH_FAILED = 'Incorrect app authentication information'
const AUTHORIZATION_SHAPE = `${TOKEN_INVALID}: Authorization must be "Bearer <token>" or "HMAC-SHA256 AppId=..,SignedHeaders=..,Signature=.."`
const APP_AUTH_PARTS = `${TOKEN_INVALID}: HMAC-SHA256 Authorization needs AppId, SignedHeaders and a 64-hex-digit Signature`
const X_DATE_SHAPE = (got: string) =>
  `Parameter invalid: header X-Date must be a UTC time as yyyyMMdd'T'HHmmss'Z' (e.g. 20251103T070140Z), got "${got}"`
const SIGNATURE_EXPIRED = (signed: string, server: string) =>
  `${APP_AUTH_FAILED}: signature expired, signature time:${signed},server time:${server}`

const SIGNATURE_IN_FUTURE = (signed: string, server: string, skewS: number) =>
  `${APP_AUTH_FAILED}: signature time is in the future, signature time:${signed},server time:${server} (MOCK_X_DATE_SKEW_S allows ${skewS} s ahead)`

/** Sends the package-download example with the carrier headers, some replaced or (undefined) removed. */
function createTask({ app, clock }: TestApp, overrides: Record<string, string | undefined> = {}, payload: unknown = packageExample) {
  return app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now(), overrides), payload: payload as object })
}

async function assertAccepted(t: Test, testApp: TestApp, overrides: Record<string, string | undefined>) {
  const res = await createTask(testApp, overrides)
  t.equal(res.statusCode, 200, `accepted: ${JSON.stringify(overrides)}`)
  t.equal(res.json().code, 0)
  return res
}

t.test('Authorization', async (t) => {
  t.test('rejects a request without Authorization with 401 APIGW.0301', async (t) => {
    const test = await startTestApp(t)
    assertGatewayError(t, await createTask(test, { authorization: undefined }), 401, 'APIGW.0301', `${TOKEN_INVALID}: Authorization header is missing`)
    t.equal(await taskCount(test), 0, 'no task is created')
  })

  t.test('rejects a blank Authorization as missing', async (t) => {
    const test = await startTestApp(t)
    assertGatewayError(t, await createTask(test, { authorization: '   ' }), 401, 'APIGW.0301', `${TOKEN_INVALID}: Authorization header is missing`)
  })

  t.test('rejects a malformed Authorization with 401 APIGW.0301', async (t) => {
    const test = await startTestApp(t)
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer+', 'Bearer a b', 'Bearertok', 'Token abc', 'HMAC-SHA256', 'tok']) {
      t.test(JSON.stringify(authorization), async (t) => {
        assertGatewayError(t, await createTask(test, { authorization }), 401, 'APIGW.0301', AUTHORIZATION_SHAPE)
      })
    }
  })

  t.test('accepts "Bearer <token>", "Bearer+<token>" (as the vendor prints it) and any case of "bearer"', async (t) => {
    const test = await startTestApp(t)
    for (const authorization of ['Bearer tok', 'Bearer+tok', 'bearer tok', 'BEARER+tok']) await assertAccepted(t, test, { authorization })
    t.equal(await taskCount(test), 4)
  })

  t.test('accepts well-formed HMAC-SHA256 app authentication', async (t) => {
    const test = await startTestApp(t)
    const res = await assertAccepted(t, test, { authorization: APP_AUTH })
    t.equal((await adminTask(test, res.json().taskId))?.userId, 'u1')
  })

  t.test('rejects HMAC-SHA256 without AppId, SignedHeaders or a 64-hex-digit Signature with 401 APIGW.0301', async (t) => {
    const test = await startTestApp(t)
    const malformed = {
      'no AppId': `HMAC-SHA256 SignedHeaders=host;x-date;x-user-id,Signature=${SIGNATURE}`,
      'no SignedHeaders': `HMAC-SHA256 AppId=a,Signature=${SIGNATURE}`,
      'no Signature': 'HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-user-id',
      'a short Signature': `HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-user-id,Signature=${SIGNATURE.slice(1)}`,
      'a non-hex Signature': `HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-user-id,Signature=${'g'.repeat(64)}`,
      'nothing after the scheme': 'HMAC-SHA256 ',
    }
    for (const [label, authorization] of Object.entries(malformed)) {
      t.test(label, async (t) => {
        assertGatewayError(t, await createTask(test, { authorization }), 401, 'APIGW.0301', APP_AUTH_PARTS)
      })
    }
  })

  t.test('rejects HMAC-SHA256 whose SignedHeaders lack x-user-id with 401 APIGW.0303', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { authorization: `HMAC-SHA256 AppId=a,SignedHeaders=host;x-date,Signature=${SIGNATURE}` })
    assertGatewayError(t, res, 401, 'APIGW.0303', `${APP_AUTH_FAILED}: verify signature fail: SignedHeaders must include x-user-id`)
  })
})

t.test('X-Date', async (t) => {
  t.test('rejects a request without X-Date with 13000102', async (t) => {
    const test = await startTestApp(t)
    assertKooDriveError(t, await createTask(test, { 'x-date': undefined }), 13000102, 'Parameter invalid: header X-Date is required')
    assertKooDriveError(t, await createTask(test, { 'x-date': ' ' }), 13000102, 'Parameter invalid: header X-Date is required')
  })

  t.test('rejects a malformed X-Date with 13000102 that quotes it', async (t) => {
    const test = await startTestApp(t)
    for (const xDate of ['2026-11-26T10:00:00Z', 'Thu, 26 Nov 2026 10:00:00 GMT', '20261126T100000', '1795730400']) {
      assertKooDriveError(t, await createTask(test, { 'x-date': xDate }), 13000102, X_DATE_SHAPE(xDate))
    }
  })

  t.test('rejects an impossible X-Date (month 13, day 32) with 13000102', async (t) => {
    const test = await startTestApp(t)
    assertKooDriveError(t, await createTask(test, { 'x-date': '20251332T070140Z' }), 13000102, X_DATE_SHAPE('20251332T070140Z'))
  })

  t.test('accepts an X-Date in the current second, though the clock is half a second past it', async (t) => {
    const test = await startTestApp(t)
    t.equal(test.clock.now() % 1000, 500, 'the test clock starts mid-second')
    await assertAccepted(t, test, { 'x-date': formatXDate(test.clock.now()) })
  })

  t.test('rejects an X-Date one second in the future with 401 APIGW.0303 saying so, naming both times', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { 'x-date': '20261126T100001Z' })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_IN_FUTURE('20261126T100001Z', '20261126T100000Z', 0))
  })

  t.test('MOCK_X_DATE_SKEW_S tolerates a client clock that far ahead, and no further', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_X_DATE_SKEW_S: '30' } })
    await assertAccepted(t, test, { 'x-date': formatXDate(START_MS - 500 + 30_000) })
    const res = await createTask(test, { 'x-date': formatXDate(START_MS - 500 + 31_000) })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_IN_FUTURE('20261126T100031Z', '20261126T100000Z', 30))
  })

  t.test('rejects an X-Date older than 900 s with 401 APIGW.0303 naming both times', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { 'x-date': formatXDate(START_MS - 901_000) })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_EXPIRED('20261126T094459Z', '20261126T100000Z'))
  })

  t.test('accepts an X-Date exactly 900 s old and rejects it a millisecond later', async (t) => {
    const test = await startTestApp(t)
    const signedAt = Date.UTC(2026, 10, 26, 9, 45, 0)
    test.clock.set(signedAt + 900_000)
    await assertAccepted(t, test, { 'x-date': formatXDate(signedAt) })
    test.clock.advance(1)
    const res = await createTask(test, { 'x-date': formatXDate(signedAt) })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_EXPIRED('20261126T094500Z', '20261126T100000Z'))
  })

  t.test('checks the X-Date window for app authentication too', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { authorization: APP_AUTH, 'x-date': '20261126T100001Z' })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_IN_FUTURE('20261126T100001Z', '20261126T100000Z', 0))
  })

  t.test('MOCK_X_DATE_WINDOW_S sets how old an X-Date may be', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_X_DATE_WINDOW_S: '60' } })
    const signedAt = Date.UTC(2026, 10, 26, 10, 0, 0)
    test.clock.set(signedAt + 60_000)
    await assertAccepted(t, test, { 'x-date': formatXDate(signedAt) })
    test.clock.advance(1000)
    const res = await createTask(test, { 'x-date': formatXDate(signedAt) })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_EXPIRED('20261126T100000Z', '20261126T100101Z'))

    const wide = await startTestApp(t, { env: { MOCK_X_DATE_WINDOW_S: '3600' } })
    await assertAccepted(t, wide, { 'x-date': formatXDate(START_MS - 3_599_000) })
  })
})

t.test('X-User-Id, X-Hw-Agentname, Host and X-Traceid', async (t) => {
  t.test('rejects a missing or blank X-User-Id with 13000102 naming X-User-Id', async (t) => {
    const test = await startTestApp(t)
    for (const userId of [undefined, '', '  ']) {
      assertKooDriveError(t, await createTask(test, { 'x-user-id': userId }), 13000102, 'Parameter invalid: header X-User-Id is required')
    }
  })

  t.test('owns the task by the trimmed X-User-Id', async (t) => {
    const test = await startTestApp(t)
    const res = await assertAccepted(t, test, { 'x-user-id': 'alice' })
    t.equal((await adminTask(test, res.json().taskId))?.userId, 'alice')
  })

  t.test('rejects a missing or blank X-Hw-Agentname with 13000102 in the carrier variant', async (t) => {
    const test = await startTestApp(t)
    for (const agent of [undefined, ' ']) {
      assertKooDriveError(t, await createTask(test, { 'x-hw-agentname': agent }), 13000102, 'Parameter invalid: header X-Hw-Agentname is required')
    }
  })

  t.test('does not need X-Hw-Agentname in the enterprise variant', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_API_VARIANT: 'enterprise' } })
    await assertAccepted(t, test, { 'x-hw-agentname': undefined, host: 'koodrive.example.com' })
  })

  // light-my-request replaces an absent or empty Host with `localhost:80` (and Node's HTTP server
  // refuses an HTTP/1.1 request without Host), so a Host-less call is unit-tested further down.
  t.test('an enterprise call through inject always carries a Host, even when the test leaves it empty', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_API_VARIANT: 'enterprise' } })
    for (const host of [undefined, '']) await assertAccepted(t, test, { 'x-hw-agentname': undefined, host })
  })

  t.test('accepts an X-Traceid of exactly 58 characters', async (t) => {
    const test = await startTestApp(t)
    await assertAccepted(t, test, { 'x-traceid': TRACE_ID })
  })

  t.test('rejects an X-Traceid of 57 or 59 characters with 13000102', async (t) => {
    const test = await startTestApp(t)
    for (const traceId of [TRACE_ID.slice(1), `${TRACE_ID}x`]) {
      const res = await createTask(test, { 'x-traceid': traceId })
      assertKooDriveError(t, res, 13000102, `Parameter invalid: header X-Traceid must be exactly 58 characters, got ${traceId.length}`)
    }
  })
})

t.test('header rules run in the vendor\'s order, before the body is looked at', async (t) => {
  t.test('a request without a token and with a bad body gets 401, not 400', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { authorization: undefined }, { taskType: 'nonsense' })
    assertGatewayError(t, res, 401, 'APIGW.0301', `${TOKEN_INVALID}: Authorization header is missing`)
  })

  t.test('a request without a token and with an oversize body gets 401, not 413', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_BODY_LIMIT: '100' } })
    const res = await createTask(test, { authorization: undefined }, { ...packageExample, zipName: 'z'.repeat(200) })
    assertGatewayError(t, res, 401, 'APIGW.0301', `${TOKEN_INVALID}: Authorization header is missing`)
  })

  t.test('the token comes before X-Date', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { authorization: 'Basic x', 'x-date': 'yesterday' })
    assertGatewayError(t, res, 401, 'APIGW.0301', AUTHORIZATION_SHAPE)
  })

  t.test('the signature time comes before X-User-Id', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { 'x-date': '20261126T100001Z', 'x-user-id': undefined })
    assertGatewayError(t, res, 401, 'APIGW.0303', SIGNATURE_IN_FUTURE('20261126T100001Z', '20261126T100000Z', 0))
  })

  t.test('X-Date comes before X-User-Id, which comes before X-Hw-Agentname, which comes before X-Traceid', async (t) => {
    const test = await startTestApp(t)
    const all = { 'x-date': undefined, 'x-user-id': undefined, 'x-hw-agentname': undefined, 'x-traceid': 'short' }
    assertKooDriveError(t, await createTask(test, all), 13000102, 'Parameter invalid: header X-Date is required')
    assertKooDriveError(t, await createTask(test, { ...all, 'x-date': formatXDate(START_MS) }), 13000102, 'Parameter invalid: header X-User-Id is required')
    assertKooDriveError(
      t,
      await createTask(test, { ...all, 'x-date': formatXDate(START_MS), 'x-user-id': 'u1' }),
      13000102,
      'Parameter invalid: header X-Hw-Agentname is required',
    )
  })

  t.test('a bad X-Traceid comes before a bad body', async (t) => {
    const test = await startTestApp(t)
    const res = await createTask(test, { 'x-traceid': 'short' }, { taskType: 3 })
    assertKooDriveError(t, res, 13000102, 'Parameter invalid: header X-Traceid must be exactly 58 characters, got 5')
  })
})

/** checkKooDriveHeaders on its own: what inject cannot send (no Host, repeated headers). */
t.test('checkKooDriveHeaders', async (t) => {
  const NOW = Date.UTC(2026, 10, 26, 10, 0, 0)
  const carrier: HeaderRules = { variant: 'carrier', xDateWindowMs: 900_000 }
  const enterprise: HeaderRules = { variant: 'enterprise', xDateWindowMs: 900_000 }
  const headers = (overrides: IncomingHttpHeaders = {}): IncomingHttpHeaders => ({
    authorization: 'Bearer tok',
    'x-user-id': 'u1',
    'x-date': formatXDate(NOW),
    'x-hw-agentname': 'carrier',
    ...overrides,
  })

  /** What a header check threw, as the fields that reach the client. */
  function failure(run: () => unknown): Record<string, unknown> {
    try {
      run()
    } catch (error) {
      if (error instanceof GatewayError) return { errorCode: error.errorCode, statusCode: error.statusCode, message: error.message }
      if (error instanceof KooDriveError) return { code: error.code, statusCode: kooDriveStatus(error.code), message: error.message }
      throw error
    }
    return { threw: false }
  }

  t.test('returns the caller with a bearer credential', async (t) => {
    t.strictSame(checkKooDriveHeaders(headers({ 'x-user-id': ' u1 ' }), NOW, carrier), {
      userId: 'u1',
      traceId: undefined,
      credential: { kind: 'bearer', token: 'tok' },
    })
  })

  t.test('returns the caller with an app credential, names and signature lowercased', async (t) => {
    const authorization = `hmac-sha256 AppId = app1 , SignedHeaders=Host;X-Date;X-User-Id;Content-Type, Signature=${SIGNATURE.toUpperCase()},junk,=x`
    t.strictSame(checkKooDriveHeaders(headers({ authorization, 'x-traceid': TRACE_ID }), NOW, carrier), {
      userId: 'u1',
      traceId: TRACE_ID,
      credential: { kind: 'app', appId: 'app1', signedHeaders: ['host', 'x-date', 'x-user-id', 'content-type'], signature: SIGNATURE },
    })
  })

  t.test('rejects app authentication with an empty AppId', async (t) => {
    const authorization = `HMAC-SHA256 AppId=,SignedHeaders=host;x-date;x-user-id,Signature=${SIGNATURE}`
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ authorization }), NOW, carrier)), {
      errorCode: 'APIGW.0301', statusCode: 401, message: APP_AUTH_PARTS,
    })
  })

  t.test('names every required header the signature leaves out', async (t) => {
    const authorization = `HMAC-SHA256 AppId=a,SignedHeaders=x-date,Signature=${SIGNATURE}`
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ authorization }), NOW, carrier)), {
      errorCode: 'APIGW.0303', statusCode: 401, message: `${APP_AUTH_FAILED}: verify signature fail: SignedHeaders must include host;x-user-id`,
    })
  })

  t.test('the enterprise variant requires Host and not X-Hw-Agentname', async (t) => {
    const hostRequired = { code: 13000102, statusCode: 400, message: 'Parameter invalid: header Host is required' }
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ 'x-hw-agentname': undefined }), NOW, enterprise)), hostRequired)
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ host: '' }), NOW, enterprise)), hostRequired)
    t.equal(checkKooDriveHeaders(headers({ host: 'drive.example.com', 'x-hw-agentname': undefined }), NOW, enterprise).userId, 'u1')
  })

  t.test('the carrier variant does not need Host', async (t) => {
    t.equal(checkKooDriveHeaders(headers({ host: undefined }), NOW, carrier).userId, 'u1')
  })

  t.test('a window of 0 accepts only an X-Date of this very millisecond', async (t) => {
    const now: HeaderRules = { variant: 'carrier', xDateWindowMs: 0 }
    t.equal(checkKooDriveHeaders(headers(), NOW, now).userId, 'u1')
    t.strictSame(failure(() => checkKooDriveHeaders(headers(), NOW + 1, now)), {
      errorCode: 'APIGW.0303', statusCode: 401, message: SIGNATURE_EXPIRED('20261126T100000Z', '20261126T100000Z'),
    })
  })

  t.test('repeated headers are read joined with ", ", as Node joins them', async (t) => {
    t.equal(checkKooDriveHeaders(headers({ 'x-user-id': ['u1', 'u2'] }), NOW, carrier).userId, 'u1, u2', 'two X-User-Id values')
    t.equal(checkKooDriveHeaders(headers({ 'x-hw-agentname': ['a', 'b'] }), NOW, carrier).userId, 'u1', 'two agent names pass')
    const xDate = formatXDate(NOW)
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ 'x-date': [xDate, xDate] }), NOW, carrier)), {
      code: 13000102, statusCode: 400, message: X_DATE_SHAPE(`${xDate}, ${xDate}`),
    }, 'two X-Date values are malformed')
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ 'x-traceid': [TRACE_ID, TRACE_ID] }), NOW, carrier)), {
      code: 13000102, statusCode: 400, message: 'Parameter invalid: header X-Traceid must be exactly 58 characters, got 118',
    }, 'two trace IDs are too long')
    t.strictSame(failure(() => checkKooDriveHeaders(headers({ 'x-user-id': [] }), NOW, carrier)), {
      code: 13000102, statusCode: 400, message: 'Parameter invalid: header X-User-Id is required',
    }, 'an empty list is missing')
  })
})
