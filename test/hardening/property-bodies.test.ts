import fc from 'fast-check'
import t, { type Test } from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, carrierHeaders, DOWNLOAD_URL, FILES_URL, packageExample, TASK_DETAIL_URL, TASKS_URL, USER_INFO_URL, VERIFY_URL } from '../helpers/requests.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { vendorEnvelopeProblem } from '../helpers/envelopes.js'
import { assertProperty, watchEmulatorState, type EmulatorState } from '../helpers/properties.js'

/**
 * Property-based tests of every KooDrive route's body (the query, for GET share/userInfo): bodies
 * built from the route's real fields with values from the default world, then mutated (wrong types,
 * wrong lengths, fields dropped, unknown keys added), plus arbitrary JSON and arbitrary text. The
 * headers are always valid, so what the emulator answers is about the body alone.
 */

/** The request headers a KooDrive route reads, as a 13000102 message names them. */
const KOODRIVE_HEADER_NAMES = ['Authorization', 'X-User-Id', 'X-Date', 'X-Hw-Agentname', 'X-Traceid', 'Host', 'X-Mock-Fault'] as const

const SEED = 42
const RUNS = 80

// ---------------------------------------------------------------------------------------------
// Values a real client could send: the default world's IDs, IDs nobody has seen, and near misses.
// ---------------------------------------------------------------------------------------------

const worldFiles = DEFAULT_WORLD.files
/** Files and folders of every kind: shared ones, recycled ones, folders, and a sample of the 1200 photos. */
const KNOWN_FILE_IDS = [
  ...worldFiles.filter((file) => !file.name.startsWith('IMG_')).map((file) => file.fileId),
  ...worldFiles.filter((file) => file.name.startsWith('IMG_')).slice(0, 5).map((file) => file.fileId),
]
const KNOWN_SHARES = Object.values(SHARES)
const KNOWN_SPACES = Object.values(SPACES)

/** A made-up ID of the shapes the vendor uses (and a few it does not). */
const madeUpId = fc.oneof(
  fc.stringMatching(/^F[A-Za-z0-9_-]{32}$/),
  fc.stringMatching(/^[1-9][0-9]{18}$/),
  fc.stringMatching(/^IAA[A-Za-z0-9_]{10,30}$/),
  fc.string({ minLength: 1, maxLength: 20 }),
)
const fileIdValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_FILE_IDS) }, { weight: 2, arbitrary: madeUpId })
const shareIdValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_SHARES.map((share) => share.shareId)) }, { weight: 2, arbitrary: madeUpId })
const shortUrlValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_SHARES.map((share) => share.shortUrl)) }, { weight: 2, arbitrary: madeUpId })
const containerIdValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_SPACES) }, { weight: 2, arbitrary: madeUpId })
const extractCodeValue = fc.oneof(fc.constant('31945314'), fc.stringMatching(/^[0-9a-zA-Z]{8}$/), fc.string({ minLength: 1, maxLength: 64 }))

/** A value of the wrong type or the wrong length for any field. */
const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(''),
  fc.constant(null),
  fc.string({ minLength: 129, maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
)

/** Keys no route knows, including the empty key and the ones that look like prototype tricks. */
const unknownKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'TASKTYPE', 'fileids'))

type Body = Record<string, unknown>
type Mutation = { field: string; drop: true } | { field: string; drop: false; value: unknown }

/** `base` with up to 3 fields dropped or replaced by a wrong value, and up to 2 unknown keys. */
function mutated(base: fc.Arbitrary<Body>, fields: readonly string[]): fc.Arbitrary<Body> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ field: fc.constantFrom(...fields), drop: fc.constant(true as const) }),
    fc.record({ field: fc.constantFrom(...fields), drop: fc.constant(false as const), value: wrongValue }),
  )
  return fc
    .tuple(
      base,
      fc.array(mutation, { maxLength: 3 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({}) }, { weight: 1, arbitrary: fc.dictionary(unknownKey, wrongValue, { minKeys: 1, maxKeys: 2 }) }),
    )
    .map(([body, mutations, extra]) => {
      const result: Body = { ...body }
      for (const change of mutations) {
        if (change.drop) delete result[change.field]
        else result[change.field] = change.value
      }
      for (const [key, value] of Object.entries(extra)) Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true })
      return result
    })
}

/** A request body as sent: mostly a (mutated) object of the route's fields, sometimes any JSON, sometimes not JSON at all. */
function bodies(base: fc.Arbitrary<Body>, fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: base.map((body) => JSON.stringify(body)) },
    { weight: 8, arbitrary: mutated(base, fields).map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  )
}

// ---------------------------------------------------------------------------------------------
// The routes.
// ---------------------------------------------------------------------------------------------

/** What the setup made, for bodies to refer to: tasks of the calling user, live share tokens. */
interface Fixtures {
  taskIds: string[]
  kdstokens: string[]
}

interface RouteCase {
  name: string
  /** Every field (or query parameter) the route reads, as a 13000102 message may name it. */
  fields: readonly string[]
  /** The request for one generated input. */
  request: (input: string) => { method: 'GET' | 'POST'; url: string; payload?: string }
  inputs: (fixtures: Fixtures) => fc.Arbitrary<string>
}

const kdstokenValue = (fixtures: Fixtures) =>
  fc.oneof(fc.constantFrom(...fixtures.kdstokens), fc.stringMatching(/^[0-9a-f]{48}$/), fc.string({ minLength: 1, maxLength: 10 }))
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
/** A record whose optional fields are left out when undefined (JSON drops them anyway). */
const definedOnly = (body: Record<string, unknown>): Body => Object.fromEntries(Object.entries(body).filter((entry) => entry[1] !== undefined))

const post = (url: string) => (input: string) => ({ method: 'POST' as const, url, payload: input })

const ROUTES: RouteCase[] = [
  {
    name: 'GET share/userInfo',
    fields: ['shortUrl'],
    request: (query) => ({ method: 'GET', url: `${USER_INFO_URL}${query}` }),
    inputs: () =>
      fc.oneof(
        shortUrlValue.map((shortUrl) => `?shortUrl=${encodeURIComponent(shortUrl)}`),
        fc.constantFrom('', '?', '?shortUrl=', '?shortUrl', '?shortUrl=a&shortUrl=b', '?shorturl=1', '?=1', '?shortUrl=%zz', '?shortUrl=%00', '?&&&'),
        fc
          .dictionary(fc.oneof(fc.constant('shortUrl'), unknownKey), fc.oneof(madeUpId, fc.string({ minLength: 129, maxLength: 200 })), { maxKeys: 3 })
          .map((query) => `?${new URLSearchParams(query).toString()}`),
        fc.string({ maxLength: 40 }).map((raw) => `?${raw}`),
      ),
  },
  {
    name: 'POST share/verify',
    fields: ['shortUrl', 'extractCode'],
    request: post(VERIFY_URL),
    inputs: () => bodies(fc.record({ shortUrl: shortUrlValue, extractCode: extractCodeValue }), ['shortUrl', 'extractCode']),
  },
  {
    name: 'POST share/files',
    fields: ['shortUrl', 'parentFolder', 'pageSize', 'pageCursor', 'sortType', 'sortDirection', 'kdstoken', 'fileName'],
    request: post(FILES_URL),
    inputs: (fixtures) =>
      bodies(
        fc
          .record({
            shortUrl: shortUrlValue,
            parentFolder: optional(fileIdValue),
            pageSize: optional(fc.integer({ min: 1, max: 100 })),
            pageCursor: optional(fc.oneof(fc.integer({ min: 0, max: 2000 }).map((offset) => Buffer.from(`o:${offset}`).toString('base64url')), fc.string({ minLength: 1, maxLength: 20 }))),
            sortType: optional(fc.constantFrom(1, 2, 4)),
            sortDirection: optional(fc.constantFrom(1, 2)),
            kdstoken: optional(kdstokenValue(fixtures)),
            fileName: optional(fc.string({ minLength: 1, maxLength: 8 })),
          })
          .map(definedOnly),
        ['shortUrl', 'parentFolder', 'pageSize', 'pageCursor', 'sortType', 'sortDirection', 'kdstoken', 'fileName'],
      ),
  },
  {
    name: 'POST share/tasks',
    fields: ['taskType', 'containerId', 'fileIds', 'targetFileId', 'zipName', 'shareId', 'kdstoken'],
    request: post(TASKS_URL),
    inputs: (fixtures) =>
      bodies(
        fc
          .record({
            taskType: fc.constantFrom(1, 2),
            containerId: containerIdValue,
            fileIds: fc.array(fileIdValue, { minLength: 1, maxLength: 3 }),
            targetFileId: optional(fc.record({ fileId: fc.oneof(fc.constant('root'), fileIdValue), containerId: containerIdValue })),
            zipName: optional(fc.oneof(fc.constant('photos.zip'), fc.string({ minLength: 1, maxLength: 20 }))),
            shareId: shareIdValue,
            kdstoken: optional(kdstokenValue(fixtures)),
          })
          .map(definedOnly),
        ['taskType', 'containerId', 'fileIds', 'targetFileId', 'zipName', 'shareId', 'kdstoken'],
      ),
  },
  {
    name: 'POST share/taskDetail',
    fields: ['taskId', 'shareId', 'kdstoken'],
    request: post(TASK_DETAIL_URL),
    inputs: (fixtures) =>
      bodies(
        fc
          .record({
            taskId: fc.oneof(fc.constantFrom(...fixtures.taskIds), madeUpId),
            shareId: shareIdValue,
            kdstoken: optional(kdstokenValue(fixtures)),
          })
          .map(definedOnly),
        ['taskId', 'shareId', 'kdstoken'],
      ),
  },
  {
    name: 'POST share/download',
    fields: ['shareId', 'fileId', 'kdstoken'],
    request: post(DOWNLOAD_URL),
    inputs: (fixtures) =>
      bodies(
        fc.record({ shareId: shareIdValue, fileId: fileIdValue, kdstoken: optional(kdstokenValue(fixtures)) }).map(definedOnly),
        ['shareId', 'fileId', 'kdstoken'],
      ),
  },
  {
    name: 'POST cancel',
    fields: ['jobId'],
    request: post(CANCEL_URL),
    inputs: (fixtures) => bodies(fc.record({ jobId: fc.oneof(fc.constantFrom(...fixtures.taskIds), madeUpId) }), ['jobId']),
  },
]


// ---------------------------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------------------------

interface Sent {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
  before: EmulatorState
  after: EmulatorState
}

interface Context {
  test: TestApp
  state: () => EmulatorState
  send: (input: string) => Promise<Sent>
}

async function setUp(t: Test, route: RouteCase): Promise<{ context: Context; fixtures: Fixtures }> {
  const test = await startTestApp(t)
  const { app, clock } = test
  const state = watchEmulatorState(app)
  const headers = carrierHeaders(clock.now())
  const taskIds: string[] = []
  for (const zipName of ['a.zip', 'b.zip', 'c.zip']) {
    const res = await app.inject({ method: 'POST', url: TASKS_URL, headers, payload: { ...packageExample, zipName } })
    taskIds.push((res.json() as { taskId: string }).taskId)
  }
  const verified = await app.inject({ method: 'POST', url: VERIFY_URL, headers, payload: { shortUrl: SHARES.contracts.shortUrl, extractCode: '31945314' } })
  const kdstokens = [(verified.json() as { kdstoken: string }).kdstoken]
  const send = async (input: string): Promise<Sent> => {
    const request = route.request(input)
    const before = state()
    const res = await app.inject({
      method: request.method,
      url: request.url,
      headers: request.method === 'GET' ? carrierHeaders(clock.now(), { 'content-type': undefined }) : carrierHeaders(clock.now()),
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    })
    return { statusCode: res.statusCode, headers: res.headers, body: res.body, before, after: state() }
  }
  return { context: { test, state, send }, fixtures: { taskIds, kdstokens } }
}

const show = (sent: Sent) => `HTTP ${sent.statusCode} ${sent.body.slice(0, 300)}`

/** Names a 13000102 message may use: the route's fields, the headers, and the keys the body itself has (an unknown one is named). */
function namesInBody(input: string): string[] {
  try {
    const parsed: unknown = JSON.parse(input)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return []
    return Object.keys(parsed)
  } catch {
    return []
  }
}
function namesInQuery(input: string): string[] {
  return [...new URLSearchParams(input.replace(/^\?/, '')).keys()]
}

interface PropertyCase {
  name: string
  /** Throws, with what went wrong, when the response breaks the property. */
  check: (route: RouteCase, input: string, sent: Sent, context: Context) => Promise<void>
}

const PROPERTIES: PropertyCase[] = [
  {
    name: 'never a 5xx, and the app still answers health afterwards',
    check: async (_route, _input, sent, { test }) => {
      if (sent.statusCode >= 500) throw new Error(`5xx: ${show(sent)}`)
      const health = await test.app.inject({ method: 'GET', url: '/__admin/health' })
      if (health.statusCode !== 200) throw new Error(`health answered ${health.statusCode} after ${show(sent)}`)
      const errors = test.logs.lines.filter((line) => typeof line.level === 'number' && line.level >= 50)
      if (errors.length > 0) throw new Error(`error log line: ${JSON.stringify(errors[0]).slice(0, 300)}`)
    },
  },
  {
    name: 'every answer is a success or exactly one of the two vendor error envelopes',
    check: async (_route, _input, sent) => {
      if (sent.statusCode === 200) {
        const body = JSON.parse(sent.body) as Record<string, unknown>
        if (body.code !== 0 || body.msg !== 'Success') throw new Error(`200 without code 0: ${show(sent)}`)
        return
      }
      const problem = vendorEnvelopeProblem(sent)
      if (problem !== undefined) throw new Error(problem)
    },
  },
  {
    name: 'a 13000102 message names a field or a header',
    check: async (route, input, sent) => {
      if (sent.statusCode !== 400) return
      const body = JSON.parse(sent.body) as { code?: number; msg?: string }
      if (body.code !== 13000102) return
      const names = [...route.fields, ...KOODRIVE_HEADER_NAMES, ...(route.request(input).method === 'GET' ? namesInQuery(input) : namesInBody(input))]
      const msg = body.msg ?? ''
      // A key that is not a plain name ("", " ", "a b") is quoted in the message.
      const named = names.some((name) => (name.trim() !== '' && msg.includes(name)) || msg.includes(JSON.stringify(name)))
      if (!named) throw new Error(`names none of ${JSON.stringify(names)}: ${show(sent)}`)
    },
  },
  {
    name: 'a rejected request changes no state',
    check: async (_route, _input, sent) => {
      if (sent.statusCode === 200) return
      if (JSON.stringify(sent.before) !== JSON.stringify(sent.after)) {
        throw new Error(`${show(sent)} changed ${JSON.stringify(sent.before)} to ${JSON.stringify(sent.after)}`)
      }
    },
  },
]

for (const route of ROUTES) {
  t.test(route.name, async (t) => {
    // One app per route, reused by every run of its properties (building one takes ~0.4 s): what
    // earlier runs left behind is part of the test.
    const { context, fixtures } = await setUp(t, route)
    for (const property of PROPERTIES) {
      const name = `${route.name}: ${property.name}`
      await assertProperty(
        t,
        name,
        () =>
          fc.assert(
            fc.asyncProperty(route.inputs(fixtures), async (input) => {
              const sent = await context.send(input)
              await property.check(route, input, sent, context)
            }),
            { seed: SEED, numRuns: RUNS },
          ),
      )
      const health = await context.test.app.inject({ method: 'GET', url: '/__admin/health' })
      t.equal(health.statusCode, 200, `${route.name}: the app answers health after the property`)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The cases the properties found, pinned one by one so a fix can be checked case by case.
// ---------------------------------------------------------------------------------------------

t.test('an unknown field whose name is empty or blank is named in the 13000102 message', async (t) => {
  const test = await startTestApp(t)
  const { app, clock } = test
  const cases: { name: string; url: string; payload: Record<string, unknown> }[] = [
    { name: 'share/tasks, key ""', url: TASKS_URL, payload: { ...packageExample, '': {} } },
    { name: 'share/tasks, key " "', url: TASKS_URL, payload: { ...packageExample, ' ': 1 } },
    { name: 'share/verify, key ""', url: VERIFY_URL, payload: { shortUrl: SHARES.contracts.shortUrl, extractCode: '31945314', '': 'x' } },
    { name: 'cancel, key ""', url: CANCEL_URL, payload: { jobId: '1000000000000000000', '': ' ' } },
    { name: 'share/tasks, key "" in targetFileId', url: TASKS_URL, payload: { ...packageExample, taskType: 2, targetFileId: { fileId: 'root', containerId: SPACES.ann, '': 1 } } },
  ]
  for (const { name, url, payload } of cases) {
    const res = await app.inject({ method: 'POST', url, headers: carrierHeaders(clock.now()), payload })
    const body = res.json() as { code: number; msg: string }
    t.equal(body.code, 13000102, `${name}: 13000102`)
    t.notMatch(body.msg, /(^Parameter invalid:|\.)\s+is not a known field$/, `${name}: the message names the key (got ${JSON.stringify(body.msg)})`)
  }
  const query = await app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${SHARES.contracts.shortUrl}&=1`, headers: carrierHeaders(clock.now(), { 'content-type': undefined }) })
  const body = query.json() as { code: number; msg: string }
  t.equal(body.code, 13000102, 'share/userInfo?…&=1: 13000102')
  t.notMatch(body.msg, /^Parameter invalid:\s+is not a known field$/, `share/userInfo?…&=1: the message names the key (got ${JSON.stringify(body.msg)})`)
})

t.test('a rejected request leaves the lenient world as it was', async (t) => {
  const photo = DEFAULT_WORLD.files.find((file) => file.name.startsWith('IMG_'))
  const recycled = DEFAULT_WORLD.files.find((file) => file.recycled === true && file.type === 'file')
  const folder = DEFAULT_WORLD.files.find((file) => file.name === 'Contracts')
  if (photo === undefined || recycled === undefined || folder === undefined) throw new Error('the default world changed')
  const cases: { name: string; url: string; payload: Record<string, unknown>; code: number }[] = [
    {
      name: 'share/tasks: an unknown fileId of the protected share, no kdstoken',
      url: TASKS_URL,
      payload: { taskType: 1, containerId: SPACES.ann, fileIds: ['Fnot-yet-seen-1'], shareId: SHARES.contracts.shareId, zipName: 'a.zip' },
      code: 13000410,
    },
    {
      name: 'share/tasks: an unknown fileId of the expired share',
      url: TASKS_URL,
      payload: { taskType: 1, containerId: SPACES.carol, fileIds: ['Fnot-yet-seen-2'], shareId: SHARES.holidayExpired.shareId, zipName: 'a.zip' },
      code: 13000309,
    },
    {
      name: 'share/tasks: an unknown share naming a recycled file of another space',
      url: TASKS_URL,
      payload: { taskType: 1, containerId: 'IAAhardening1', fileIds: ['Fnot-yet-seen-3', recycled.fileId], shareId: '1000000000000000078', zipName: 'a.zip' },
      code: 13000302,
    },
    {
      name: 'share/tasks: a dump whose target folder is a file',
      url: TASKS_URL,
      payload: {
        taskType: 2,
        containerId: 'IAAhardening2',
        fileIds: ['Fnot-yet-seen-4'],
        shareId: '1000000000000000077',
        targetFileId: { fileId: photo.fileId, containerId: 'IAAhardening3' },
      },
      code: 13000304,
    },
    {
      name: 'share/files: an unknown shortUrl with a pageCursor this API never gave out',
      url: FILES_URL,
      payload: { shortUrl: 'hardening-short-1', pageCursor: 'garbage' },
      code: 13000102,
    },
    {
      name: 'share/files: an unknown shortUrl with a parentFolder not in it',
      url: FILES_URL,
      payload: { shortUrl: 'hardening-short-2', parentFolder: 'Fnot-in-the-share' },
      code: 13000309,
    },
    {
      name: 'share/download: an unknown share naming a folder',
      url: DOWNLOAD_URL,
      payload: { shareId: '1000000000000000079', fileId: folder.fileId },
      code: 13000302,
    },
  ]
  const { app, clock } = await startTestApp(t)
  const state = watchEmulatorState(app)
  for (const { name, url, payload, code } of cases) {
    const before = state()
    const res = await app.inject({ method: 'POST', url, headers: carrierHeaders(clock.now()), payload })
    t.equal((res.json() as { code: number }).code, code, `${name}: refused with ${code}`)
    t.strictSame(state(), before, `${name}: no file, share, space, user, task or token left behind`)
  }
})
