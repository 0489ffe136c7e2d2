import fc from 'fast-check'
import t from 'tap'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, carrierHeaders, DOWNLOAD_URL, FILES_URL, packageExample, TASK_DETAIL_URL, TASKS_URL, USER_INFO_URL, VERIFY_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { vendorEnvelopeProblem } from '../helpers/envelopes.js'
import { assertProperty, watchEmulatorState, type EmulatorState } from '../helpers/properties.js'

/**
 * Property-based tests of the KooDrive request headers on every route: Authorization, X-User-Id,
 * X-Date, X-Hw-Agentname, X-Traceid and Content-Type, each present, absent, blank, well-formed or
 * garbage, plus unknown headers, with a body the route accepts. Every header value is drawn under a
 * label that says what the rules (koodrive-api.md, README "Headers") make of it, so the expected
 * answer follows from the labels, not from re-running the emulator's own parser.
 */

const SEED = 42
const RUNS = 150
const WINDOW_MS = 900_000

/** Printable ASCII without spaces: what a token, an ID or a trace ID is made of. */
const visible = (min: number, max: number) => fc.stringMatching(new RegExp(`^[!-~]{${min},${max}}$`))
/** Printable ASCII, spaces included, not blank. */
const printable = (max: number) => fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: max }).map((value) => value.replace(/[^ -~]/g, 'x')).filter((value) => value.trim() !== '')

// ---------------------------------------------------------------------------------------------
// Labelled header values.
// ---------------------------------------------------------------------------------------------

type AuthVerdict = 'ok' | 'APIGW.0301' | 'APIGW.0303'
interface Labelled<V> {
  label: string
  value: string | undefined
  verdict: V
}

const labelled = <V>(label: string, verdict: V, value: fc.Arbitrary<string | undefined>): fc.Arbitrary<Labelled<V>> =>
  value.map((v) => ({ label, value: v, verdict }))

const hex64 = fc.stringMatching(/^[0-9a-fA-F]{64}$/)
const appId = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/)
const REQUIRED_SIGNED = ['host', 'x-date', 'x-user-id']

/** Valid values five times in six, so most runs get past most headers and reach the others. */
function mostlyValid<V>(valid: fc.Arbitrary<Labelled<V>>[], invalid: fc.Arbitrary<Labelled<V>>[]): fc.Arbitrary<Labelled<V>> {
  return fc.oneof({ weight: 5, arbitrary: fc.oneof(...valid) }, { weight: 1, arbitrary: fc.oneof(...invalid) })
}

const authorization = mostlyValid<AuthVerdict>(
  [
    labelled<AuthVerdict>('Bearer <token>', 'ok', visible(1, 40).map((token) => `Bearer ${token}`)),
    labelled<AuthVerdict>('Bearer+<token>', 'ok', visible(1, 40).map((token) => `Bearer+${token}`)),
    labelled<AuthVerdict>('bearer <token> (any case)', 'ok', fc.tuple(fc.constantFrom('bearer', 'BEARER', 'BeArEr'), visible(1, 40)).map(([scheme, token]) => `${scheme} ${token}`)),
    labelled<AuthVerdict>(
      'HMAC-SHA256 signing host;x-date;x-user-id',
      'ok',
      fc
        .tuple(appId, fc.shuffledSubarray(['content-type', 'x-traceid', 'x-hw-agentname']), hex64)
        .map(([id, extra, signature]) => `HMAC-SHA256 AppId=${id},SignedHeaders=${[...REQUIRED_SIGNED, ...extra].join(';')},Signature=${signature}`),
    ),
  ],
  [
    labelled<AuthVerdict>('absent', 'APIGW.0301', fc.constant(undefined)),
    labelled<AuthVerdict>('blank', 'APIGW.0301', fc.constantFrom('', ' ', '   ')),
    labelled<AuthVerdict>('Bearer without a token', 'APIGW.0301', fc.constantFrom('Bearer', 'Bearer ', 'Bearer+', 'Bearer  +')),
    labelled<AuthVerdict>('Bearer with a token that has a space', 'APIGW.0301', fc.tuple(visible(1, 10), visible(1, 10)).map(([a, b]) => `Bearer ${a} ${b}`)),
    labelled<AuthVerdict>(
      'another scheme',
      'APIGW.0301',
      fc.tuple(fc.constantFrom('Basic', 'Token', 'Digest', 'OAuth', 'Bearer:', 'HMAC-SHA1'), visible(1, 20)).map(([scheme, rest]) => `${scheme} ${rest}`),
    ),
    labelled<AuthVerdict>(
      'HMAC-SHA256 that leaves a required header unsigned',
      'APIGW.0303',
      fc
        .tuple(appId, fc.subarray(REQUIRED_SIGNED, { maxLength: 2 }), hex64)
        .map(([id, signed, signature]) => `HMAC-SHA256 AppId=${id},SignedHeaders=${signed.length === 0 ? 'content-type' : signed.join(';')},Signature=${signature}`),
    ),
    labelled<AuthVerdict>(
      'HMAC-SHA256 with a signature that is not 64 hex digits',
      'APIGW.0301',
      fc
        .tuple(appId, fc.oneof(fc.stringMatching(/^[0-9a-f]{1,63}$/), fc.stringMatching(/^[0-9a-f]{65,80}$/), fc.stringMatching(/^[g-z]{64}$/)))
        .map(([id, signature]) => `HMAC-SHA256 AppId=${id},SignedHeaders=host;x-date;x-user-id,Signature=${signature}`),
    ),
    labelled<AuthVerdict>('HMAC-SHA256 without AppId', 'APIGW.0301', hex64.map((signature) => `HMAC-SHA256 SignedHeaders=host;x-date;x-user-id,Signature=${signature}`)),
    labelled<AuthVerdict>(
      'garbage',
      'APIGW.0301',
      printable(60).filter((value) => !/^Bearer[ +]\S+$/i.test(value.trim()) && !/^HMAC-SHA256\s/i.test(value)),
    ),
  ],
)

type DateVerdict = 'fresh' | 'missing' | 'malformed' | { signedAtMs: number }
const SECOND = 1000

/** X-Date, relative to the emulator's clock; whether a signed time is fresh is decided when the request goes out. */
function xDate(nowMs: number): fc.Arbitrary<Labelled<DateVerdict>> {
  const signedAt = (offsetMs: fc.Arbitrary<number>) => offsetMs.map((offset) => Math.floor((nowMs + offset) / SECOND) * SECOND)
  const timed = (label: string, offsetMs: fc.Arbitrary<number>) =>
    signedAt(offsetMs).map((ms): Labelled<DateVerdict> => ({ label, value: formatXDate(ms), verdict: { signedAtMs: ms } }))
  return mostlyValid<DateVerdict>([timed('fresh', fc.integer({ min: -(WINDOW_MS - 10 * SECOND), max: 0 }))], [
    labelled<DateVerdict>('absent', 'missing', fc.constant(undefined)),
    labelled<DateVerdict>('blank', 'missing', fc.constantFrom('', ' ')),
    timed('older than the window', fc.integer({ min: -30 * 86_400_000, max: -(WINDOW_MS + 10 * SECOND) })),
    timed('in the future', fc.integer({ min: 60 * SECOND, max: 86_400_000 })),
    labelled<DateVerdict>(
      'another format',
      'malformed',
      fc.constantFrom(new Date(nowMs).toISOString(), new Date(nowMs).toUTCString(), String(nowMs), formatXDate(nowMs).replace('Z', ''), formatXDate(nowMs).toLowerCase()),
    ),
    labelled<DateVerdict>('an impossible date', 'malformed', fc.constantFrom('20260230T100000Z', '20261326T100000Z', '20261126T250000Z', '20261126T106000Z', '20261100T100000Z', '00991126T100000Z')),
    labelled<DateVerdict>('garbage', 'malformed', printable(30).filter((value) => !/^\d{8}T\d{6}Z$/.test(value.trim()))),
  ])
}

type PresenceVerdict = 'ok' | 'missing'
const requiredValue = (value: fc.Arbitrary<string>): fc.Arbitrary<Labelled<PresenceVerdict>> =>
  mostlyValid<PresenceVerdict>(
    [labelled<PresenceVerdict>('value', 'ok', value)],
    [labelled<PresenceVerdict>('absent', 'missing', fc.constant(undefined)), labelled<PresenceVerdict>('blank', 'missing', fc.constantFrom('', ' ', '  '))],
  )
const userId = requiredValue(fc.oneof(fc.constantFrom('u1', 'ann', 'bob'), printable(30)))
const agentName = requiredValue(printable(30))
const traceId = mostlyValid<PresenceVerdict>(
  [labelled<PresenceVerdict>('absent', 'ok', fc.constant(undefined)), labelled<PresenceVerdict>('58 characters', 'ok', visible(58, 58))],
  [labelled<PresenceVerdict>('another length', 'missing', fc.oneof(visible(1, 57), visible(59, 120)))],
)
const contentType = mostlyValid<PresenceVerdict>(
  [labelled<PresenceVerdict>('JSON', 'ok', fc.constantFrom('application/json', 'application/json; charset=utf-8'))],
  [
    labelled<PresenceVerdict>('absent', 'missing', fc.constant(undefined)),
    labelled<PresenceVerdict>('not JSON', 'missing', fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'garbage')),
  ],
)
/** Headers no route reads, with names that are not any of the ones above. */
const unknownHeaders = fc.dictionary(fc.stringMatching(/^x-zz-[a-z0-9-]{1,15}$/), printable(40), { maxKeys: 3 })

interface HeaderSet {
  authorization: Labelled<AuthVerdict>
  xDate: Labelled<DateVerdict>
  userId: Labelled<PresenceVerdict>
  agentName: Labelled<PresenceVerdict>
  traceId: Labelled<PresenceVerdict>
  contentType: Labelled<PresenceVerdict>
  unknown: Record<string, string>
  /** Header names as the client spells them: any case. */
  upperCase: boolean
}

const headerSets = (nowMs: number): fc.Arbitrary<HeaderSet> =>
  fc.record({ authorization, xDate: xDate(nowMs), userId, agentName, traceId, contentType, unknown: unknownHeaders, upperCase: fc.boolean() })

function headersOf(set: HeaderSet, method: 'GET' | 'POST'): Record<string, string> {
  const named: [string, string | undefined][] = [
    ['Authorization', set.authorization.value],
    ['X-Date', set.xDate.value],
    ['X-User-Id', set.userId.value],
    ['X-Hw-Agentname', set.agentName.value],
    ['X-Traceid', set.traceId.value],
    ['Content-Type', method === 'POST' ? set.contentType.value : undefined],
  ]
  const headers: Record<string, string> = { ...set.unknown }
  for (const [name, value] of named) if (value !== undefined) headers[set.upperCase ? name.toUpperCase() : name] = value
  return headers
}

// ---------------------------------------------------------------------------------------------
// What the rules make of a header set.
// ---------------------------------------------------------------------------------------------

type Expected = { status: 401; errorCode: string } | { status: 400; code: number; msgIncludes: string } | { status: 200 }

/** A signed time is fresh by the emulator's clock or by the wall clock (clients sign with their own). */
const isFresh = (signedAtMs: number, nowMs: number) =>
  [nowMs, Date.now()].some((atMs) => signedAtMs <= atMs && signedAtMs >= atMs - WINDOW_MS)

/** The gateway first (token, then signature time), then the backend's header rules, then the body's Content-Type. */
function expectedAnswer(set: HeaderSet, method: 'GET' | 'POST', nowMs: number): Expected {
  if (set.authorization.verdict !== 'ok') return { status: 401, errorCode: set.authorization.verdict }
  const date = set.xDate.verdict
  if (date === 'missing' || date === 'malformed') return { status: 400, code: 13000102, msgIncludes: 'header X-Date' }
  if (date !== 'fresh' && !isFresh(date.signedAtMs, nowMs)) return { status: 401, errorCode: 'APIGW.0303' }
  if (set.userId.verdict === 'missing') return { status: 400, code: 13000102, msgIncludes: 'header X-User-Id' }
  if (set.agentName.verdict === 'missing') return { status: 400, code: 13000102, msgIncludes: 'header X-Hw-Agentname' }
  if (set.traceId.verdict === 'missing') return { status: 400, code: 13000102, msgIncludes: 'header X-Traceid' }
  if (method === 'POST' && set.contentType.verdict === 'missing') return { status: 400, code: 13000101, msgIncludes: 'Content-Type' }
  return { status: 200 }
}

// ---------------------------------------------------------------------------------------------
// The routes, each with a body it accepts from any caller.
// ---------------------------------------------------------------------------------------------

interface RouteCase {
  name: string
  method: 'GET' | 'POST'
  url: string
  /** The body for this caller; may first make what the route needs (a task of the caller's). */
  body: (test: TestApp, callerId: string) => Promise<unknown>
}

/** A pending task owned by `callerId`, made with valid headers. */
async function taskOf({ app, clock }: TestApp, callerId: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now(), { 'x-user-id': callerId }), payload: packageExample })
  return (res.json() as { taskId: string }).taskId
}

const ROUTES: RouteCase[] = [
  { name: 'GET share/userInfo', method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.vendorExample.shortUrl}`, body: async () => undefined },
  { name: 'POST share/verify', method: 'POST', url: VERIFY_URL, body: async () => ({ shortUrl: SHARES.contracts.shortUrl, extractCode: '31945314' }) },
  { name: 'POST share/files', method: 'POST', url: FILES_URL, body: async () => ({ shortUrl: SHARES.vendorExample.shortUrl }) },
  { name: 'POST share/tasks', method: 'POST', url: TASKS_URL, body: async () => packageExample },
  {
    name: 'POST share/taskDetail',
    method: 'POST',
    url: TASK_DETAIL_URL,
    body: async (test, callerId) => ({ taskId: await taskOf(test, callerId), shareId: packageExample.shareId }),
  },
  { name: 'POST share/download', method: 'POST', url: DOWNLOAD_URL, body: async () => ({ shareId: SHARES.vendorExample.shareId, fileId: packageExample.fileIds[0] }) },
  { name: 'POST cancel', method: 'POST', url: CANCEL_URL, body: async (test, callerId) => ({ jobId: await taskOf(test, callerId) }) },
]

interface Sent {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
  before: EmulatorState
  after: EmulatorState
  expected: Expected
}

const show = (sent: Sent) => `HTTP ${sent.statusCode} ${sent.body.slice(0, 300)}`

const PROPERTIES: { name: string; check: (sent: Sent, test: TestApp) => Promise<void> }[] = [
  {
    name: 'never a 5xx, and the app still answers health afterwards',
    check: async (sent, { app }) => {
      if (sent.statusCode >= 500) throw new Error(`5xx: ${show(sent)}`)
      const health = await app.inject({ method: 'GET', url: '/__admin/health' })
      if (health.statusCode !== 200) throw new Error(`health answered ${health.statusCode} after ${show(sent)}`)
    },
  },
  {
    name: 'every error is exactly one of the two vendor envelopes',
    check: async (sent) => {
      if (sent.statusCode === 200) return
      const problem = vendorEnvelopeProblem(sent)
      if (problem !== undefined) throw new Error(problem)
    },
  },
  {
    name: 'the answer is the one the header rules give (a 13000102 names the header)',
    check: async (sent) => {
      const { expected } = sent
      const body = JSON.parse(sent.body) as Record<string, unknown>
      const wrong = () => new Error(`expected ${JSON.stringify(expected)}, got ${show(sent)}`)
      if (sent.statusCode !== expected.status) throw wrong()
      if ('errorCode' in expected && body.error_code !== expected.errorCode) throw wrong()
      if ('code' in expected && (body.code !== expected.code || typeof body.msg !== 'string' || !body.msg.includes(expected.msgIncludes))) throw wrong()
    },
  },
  {
    name: 'a rejected request changes no state',
    check: async (sent) => {
      if (sent.statusCode === 200) return
      if (JSON.stringify(sent.before) !== JSON.stringify(sent.after)) throw new Error(`${show(sent)} changed ${JSON.stringify(sent.before)} to ${JSON.stringify(sent.after)}`)
    },
  },
]

const outcomeOf = (expected: Expected) =>
  'errorCode' in expected ? `401 ${expected.errorCode}` : 'code' in expected ? `400 ${expected.code} ${expected.msgIncludes}` : '200'
/** Every answer the generated header sets were expected to get, over all routes. */
const reached = new Set<string>()

for (const route of ROUTES) {
  t.test(route.name, async (t) => {
    // One app per route, reused by every run of its properties.
    const test = await startTestApp(t)
    const { app, clock } = test
    const state = watchEmulatorState(app)
    const send = async (set: HeaderSet): Promise<Sent> => {
      const callerId = set.userId.verdict === 'ok' && set.userId.value !== undefined ? set.userId.value.trim() : 'u1'
      const body = await route.body(test, callerId)
      const before = state()
      const expected = expectedAnswer(set, route.method, clock.now())
      reached.add(outcomeOf(expected))
      const res = await app.inject({
        method: route.method,
        url: route.url,
        headers: headersOf(set, route.method),
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })
      return { statusCode: res.statusCode, headers: res.headers, body: res.body, before, after: state(), expected }
    }
    for (const property of PROPERTIES) {
      await assertProperty(t, `${route.name}: ${property.name}`, () =>
        fc.assert(
          fc.asyncProperty(headerSets(clock.now()), async (set) => property.check(await send(set), test)),
          { seed: SEED, numRuns: RUNS },
        ),
      )
    }
    const health = await app.inject({ method: 'GET', url: '/__admin/health' })
    t.equal(health.statusCode, 200, `${route.name}: the app answers health after the properties`)
  })
}

t.test('the generated header sets reach every rule, and success', async (t) => {
  t.strictSame(
    [...reached].sort(),
    [
      '200',
      '400 13000101 Content-Type',
      '400 13000102 header X-Date',
      '400 13000102 header X-Hw-Agentname',
      '400 13000102 header X-Traceid',
      '400 13000102 header X-User-Id',
      '401 APIGW.0301',
      '401 APIGW.0303',
    ],
  )
})
