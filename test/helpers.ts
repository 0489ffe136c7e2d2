import { Writable } from 'node:stream'
import yauzl from 'yauzl'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { ManualClock } from '../src/domain/time-and-ids/clock.js'
import { DEFAULT_WORLD } from '../src/domain/world/default-world.js'
import { fileContentStream } from '../src/domain/objects/file-content.js'
import { objectErrorXml } from '../src/koodrive/object-storage.js'
import { formatXDate } from '../src/koodrive/x-date.js'
import type { SeedFile } from '../schemas/seed.js'
import type { ShareTask, TaskResult } from '../src/domain/tasks/task-store.js'
import { validateResponses } from './support/response-validation.js'

/** 2026-11-26T10:00:00.500Z: half a second into a second, as real calls usually are. */
export const START_MS = Date.UTC(2026, 10, 26, 10, 0, 0, 500)

export const TASKS_URL = '/koodrive/ose/v1/share/tasks'

/** app.inject() sends `Host: localhost:80`, and download URLs follow the request's Host (MOCK_PUBLIC_URL unset). */
export const INJECT_BASE_URL = 'http://localhost:80'

/** The vendor's own example request (koodrive-api.md): it must succeed against a fresh emulator. */
export const vendorExample = {
  taskType: 2,
  containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: '1689765568237837824',
  kdstoken: 'aea2968ec8cfac338cd4647f071c44644c491d0a2039cd6c',
  targetFileId: { fileId: 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob', containerId: 'IAABh_RdhS8bOg0cA1684711052660690818' },
}

export const packageExample = {
  taskType: 1,
  containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: '1689765568237837824',
  zipName: 'holiday.zip',
}

/** Headers a well-behaved carrier client sends, signed at the clock's current second. */
export function carrierHeaders(nowMs: number, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    authorization: 'Bearer test-token',
    'x-user-id': 'u1',
    'x-date': formatXDate(nowMs),
    'x-hw-agentname': 'test-carrier',
    'content-type': 'application/json',
    ...overrides,
  }
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** Collects the JSON log lines an app writes. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = []
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.lines.push(JSON.parse(line) as Record<string, unknown>)
    done()
  }
}

export interface TestApp {
  app: App
  clock: ManualClock
  logs: LogCapture
}

/** The real app, on a manual clock, with logs captured and the given environment on top of the defaults. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const clock = new ManualClock(START_MS)
  const logs = new LogCapture()
  const app = await buildApp(loadConfig({ MOCK_RANDOM_SEED: '42', ...env }), { clock, log: { stream: logs }, instrument: validateResponses })
  return { app, clock, logs }
}

/** The API gateway's request_id (and every response's X-Request-Id): 32 lowercase hex digits. */
export const REQUEST_ID_PATTERN = /^[0-9a-f]{32}$/

/** Asserts a gateway error: status, the whole envelope, and request_id equal to the X-Request-Id header. */
export function assertGatewayError(
  t: import('tap').Test,
  res: import('fastify').LightMyRequestResponse,
  statusCode: number,
  errorCode: string,
  errorMsg: string,
): void {
  const requestId = res.headers['x-request-id']
  t.match(requestId, REQUEST_ID_PATTERN, 'X-Request-Id is 32 hex digits')
  t.equal(res.statusCode, statusCode, `HTTP ${statusCode}`)
  t.strictSame(res.json(), { error_code: errorCode, error_msg: errorMsg, request_id: requestId }, 'gateway envelope')
}

/** Asserts a KooDrive business error: HTTP 400 (500 for 13000201) and exactly `{code, msg}`. */
export function assertKooDriveError(t: import('tap').Test, res: import('fastify').LightMyRequestResponse, code: number, msg: string): void {
  t.equal(res.statusCode, code === 13000201 ? 500 : 400, 'HTTP status')
  t.strictSame(res.json(), { code, msg }, 'KooDrive envelope')
  t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN, 'X-Request-Id is 32 hex digits')
}

// ---------------------------------------------------------------------------------------------
// Helpers for the HTTP-level tests of the share endpoints (userInfo, verify, files, taskDetail,
// download, cancel) and of the object storage behind download URLs.
// ---------------------------------------------------------------------------------------------

const API_PREFIX = '/koodrive/ose/v1'
export const USER_INFO_URL = `${API_PREFIX}/share/userInfo`
export const VERIFY_URL = `${API_PREFIX}/share/verify`
export const FILES_URL = `${API_PREFIX}/share/files`
export const TASK_DETAIL_URL = `${API_PREFIX}/share/taskDetail`
export const DOWNLOAD_URL = `${API_PREFIX}/share/download`
export const CANCEL_URL = `${API_PREFIX}/cancel`
export const ADMIN_CLOCK_URL = '/__admin/clock'

/** The default world's spaces (src/domain/default-world.ts). */
export const SPACES = {
  ann: 'IAABh_RdhS8bOg0cA1684711052660690818',
  bob: 'IAAsEU0Nzt5g3_SQI1701615735894016895',
  carol: 'IAACazW6JQtEKIbVc1697168336742322338',
} as const

/** The default world's shares, as the table at the top of src/domain/default-world.ts lists them. */
export const SHARES = {
  vendorExample: { shareId: '1689765568237837824', shortUrl: '1822239307136816339', ownerId: 'ann', containerId: SPACES.ann },
  launchKit: { shareId: '1842853752760486591', shortUrl: '1674809720971723086', ownerId: 'bob', containerId: SPACES.bob },
  contracts: { shareId: '1379292058976712619', shortUrl: '1983286579505944677', ownerId: 'ann', containerId: SPACES.ann, extractCode: '31945314' },
  holidayExpired: { shareId: '1534414035250655069', shortUrl: '1969498687219728097', ownerId: 'carol', containerId: SPACES.carol },
  websiteRedesign: { shareId: '1354926967719291466', shortUrl: '1757868540708121087', ownerId: 'bob', containerId: SPACES.bob },
  cameraRoll: { shareId: '1083008791388619079', shortUrl: '1701001396034384003', ownerId: 'ann', containerId: SPACES.ann },
  oldBudget: { shareId: '1779911499838975346', shortUrl: '1169461451289139040', ownerId: 'carol', containerId: SPACES.carol },
} as const

export type DefaultUser = 'ann' | 'bob' | 'carol'

/** Header overrides that call as a default-world user, with that user's own bearer token. */
export function asUser(userId: DefaultUser): Record<string, string> {
  return { authorization: `Bearer ${userId}-token`, 'x-user-id': userId }
}

/** The default world's file or folder called `name` (optionally in one space); it must be the only one. */
export function defaultWorldFile(name: string, containerId?: string): SeedFile {
  const found = DEFAULT_WORLD.files.filter((file) => file.name === name && (containerId === undefined || file.containerId === containerId))
  if (found.length !== 1) throw new Error(`the default world has ${found.length} entries called "${name}"`)
  return found[0] as SeedFile
}

/** The fileId of the default world's entry called `name`. */
export const idOf = (name: string, containerId?: string): string => defaultWorldFile(name, containerId).fileId

/** A test app that closes when the test ends. */
export async function startTestApp(t: import('tap').Test, env: Record<string, string> = {}): Promise<TestApp> {
  const test = await buildTestApp(env)
  t.teardown(() => test.app.close())
  return test
}

/** POSTs a JSON body to a KooDrive route with carrier headers signed at the clock's now. */
export function postApi({ app, clock }: TestApp, url: string, payload: unknown, headers: Record<string, string | undefined> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: carrierHeaders(clock.now(), headers),
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
}

/** GET share/userInfo?shortUrl= (any other query as given). */
export function getUserInfo({ app, clock }: TestApp, query: Record<string, string>, headers: Record<string, string | undefined> = {}) {
  return app.inject({ method: 'GET', url: USER_INFO_URL, query, headers: carrierHeaders(clock.now(), { 'content-type': undefined, ...headers }) })
}

/** A kdstoken for `shortUrl`, from share/verify, or a failed test. */
export async function kdstokenFor(test: TestApp, shortUrl: string, extractCode: string, headers: Record<string, string | undefined> = {}): Promise<string> {
  const res = await postApi(test, VERIFY_URL, { shortUrl, extractCode }, headers)
  if (res.statusCode !== 200) throw new Error(`share/verify failed: ${res.body}`)
  return (res.json() as { kdstoken: string }).kdstoken
}

/** Creates a share task and returns its ID, or throws with the error body. */
export async function createTask(test: TestApp, body: unknown, headers: Record<string, string | undefined> = {}): Promise<string> {
  const res = await postApi(test, TASKS_URL, body, headers)
  if (res.statusCode !== 200) throw new Error(`share/tasks failed: ${res.body}`)
  return (res.json() as { taskId: string }).taskId
}

/** share/taskDetail of a task, as parsed JSON (any status). */
export async function taskDetail(test: TestApp, taskId: string, shareId: string, headers: Record<string, string | undefined> = {}) {
  return postApi(test, TASK_DETAIL_URL, { taskId, shareId }, headers)
}

/** The path and query of an absolute URL: what app.inject needs to fetch a presigned download URL. */
export function pathAndQuery(url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

/** GET (or HEAD) a presigned URL through the app. */
export function fetchObject({ app }: TestApp, url: string, method: 'GET' | 'HEAD' = 'GET') {
  return app.inject({ method, url: pathAndQuery(url) })
}

/** Everything a readable stream yields, as one buffer. */
export async function bufferOf(stream: import('node:stream').Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The bytes the emulator serves for a file: the first `bytes` of its deterministic content. */
export function expectedContent(fileId: string, bytes: number): Promise<Buffer> {
  return bufferOf(fileContentStream(fileId, bytes))
}

export interface UnzippedEntry {
  name: string
  size: number
  compressionMethod: number
  mtimeMs: number
  content: Buffer
}

/** Every entry of a zip, in order, read back with yauzl (which checks the structure and each CRC). */
export async function unzip(zip: Buffer): Promise<UnzippedEntry[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, autoClose: false })
  const listed = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const found: yauzl.Entry[] = []
    file.on('entry', (entry: yauzl.Entry) => {
      found.push(entry)
      file.readEntry()
    })
    file.on('end', () => resolve(found))
    file.on('error', reject)
    file.readEntry()
  })
  const entries: UnzippedEntry[] = []
  for (const entry of listed) {
    const content = entry.fileName.endsWith('/') ? Buffer.alloc(0) : await bufferOf(await file.openReadStreamPromise(entry))
    entries.push({
      name: entry.fileName,
      size: entry.uncompressedSize,
      compressionMethod: entry.compressionMethod,
      mtimeMs: entry.getLastModDate().getTime(),
      content,
    })
  }
  file.close()
  return entries
}

/** The object-storage XML error a presigned URL answers with (see src/domain/presigned-urls.ts). */
export function objectError(code: string, message: string, objectKey: string, requestId: string | number | string[] | undefined): string {
  return objectErrorXml(code, message, `/koodrive-share/${objectKey}`, String(requestId))
}

/** `yyyyMMddHHmmss` (UTC), the vendor's task-time format, of an epoch-millisecond time. */
export function taskTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

// ---------------------------------------------------------------------------------------------
// Helpers for the fault-injection tests (test/faults/, test/admin/faults.test.ts).
// ---------------------------------------------------------------------------------------------

export const ADMIN_FAULTS_URL = '/__admin/faults'

export interface FaultTestApp extends TestApp {
  /** Every wait the app asked for, in ms, in order: injected latency never really sleeps. */
  slept: number[]
}

/** The real app (manual clock, seed 42 unless `env` says otherwise) whose injected latency is recorded instead of waited. */
export async function buildFaultTestApp(env: Record<string, string> = {}): Promise<FaultTestApp> {
  const clock = new ManualClock(START_MS)
  const logs = new LogCapture()
  const slept: number[] = []
  const sleep = async (ms: number): Promise<void> => {
    slept.push(ms)
  }
  const app = await buildApp(loadConfig({ MOCK_RANDOM_SEED: '42', ...env }), { clock, log: { stream: logs }, sleep, instrument: validateResponses })
  return { app, clock, logs, slept }
}

/** A fault test app that closes when the test ends. */
export async function startFaultTestApp(t: import('tap').Test, env: Record<string, string> = {}): Promise<FaultTestApp> {
  const test = await buildFaultTestApp(env)
  t.teardown(() => test.app.close())
  return test
}

/** The `request` log lines an app wrote, in order. */
export function requestLogLines(logs: LogCapture): Record<string, unknown>[] {
  return logs.lines.filter((line) => line.msg === 'request')
}

/**
 * A fault rule that every channel (MOCK_FAULTS, PUT and POST /__admin/faults) must refuse: `field`
 * is the path after the rule's own name (`.latencyMs`, or '' for the rule as a whole) and
 * `problem` what the message says about it.
 */
export interface BadFaultRule {
  name: string
  rule: Record<string, unknown>
  field: string
  problem: string
}

const OPERATION_LIST =
  'getShareUserInfo, verifyShare, listShareFiles, createShareTask, getShareTaskDetail, downloadShareFile, cancelJob, downloadObject'
const GATEWAY_LIST = 'APIGW.0101, APIGW.0201, APIGW.0301, APIGW.0302, APIGW.0303, APIGW.0307, APIGW.0308'
const LATENCY_EXPECTED = 'milliseconds: fixed, or [min, max] drawn uniformly (seeded)'
const ERROR_EXPECTED = 'a KooDrive code, a gateway code, or a raw {status, body}'

export const BAD_FAULT_RULES: BadFaultRule[] = [
  { name: 'an unknown field', rule: { error: 13000201, bogus: 1 }, field: '.bogus', problem: 'unexpected property' },
  { name: 'a probability above 1', rule: { error: 13000201, probability: 1.5 }, field: '.probability', problem: 'expected number to be less or equal to 1' },
  { name: 'a negative probability', rule: { error: 13000201, probability: -0.1 }, field: '.probability', problem: 'expected number to be greater or equal to 0' },
  { name: 'a probability that is text', rule: { error: 13000201, probability: 'half' }, field: '.probability', problem: 'expected number' },
  { name: 'first 0', rule: { error: 13000201, first: 0 }, field: '.first', problem: 'expected integer to be greater or equal to 1' },
  { name: 'every 0', rule: { error: 13000201, every: 0 }, field: '.every', problem: 'expected integer to be greater or equal to 1' },
  { name: 'a negative after', rule: { error: 13000201, after: -1 }, field: '.after', problem: 'expected integer to be greater or equal to 0' },
  { name: 'times 0', rule: { error: 13000201, times: 0 }, field: '.times', problem: 'expected integer to be greater or equal to 1' },
  { name: 'a latency range with min > max', rule: { latencyMs: [500, 100] }, field: '.latencyMs', problem: '[min, max] needs min <= max, got [500, 100]' },
  { name: 'a latency tuple of 3 items', rule: { latencyMs: [100, 200, 300] }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'a negative latency', rule: { latencyMs: -1 }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'a latency over 10 minutes', rule: { latencyMs: 600_001 }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'an unknown connection fault', rule: { connection: 'explode' }, field: '.connection', problem: 'one of reset, hang, empty, malformed, truncate, slow' },
  { name: 'an unknown task outcome', rule: { operation: 'createShareTask', task: { outcome: 'exploded' } }, field: '.task.outcome', problem: 'one of success, partial, failed, cancelled, stuck' },
  { name: 'an unknown operation', rule: { operation: 'deleteEverything', error: 13000201 }, field: '.operation', problem: `"deleteEverything" is not an operation; use * or one of ${OPERATION_LIST}` },
  { name: 'an admin operation', rule: { operation: 'getFaults', error: 13000201 }, field: '.operation', problem: `"getFaults" is not an operation; use * or one of ${OPERATION_LIST}` },
  { name: 'no effect at all', rule: { operation: 'createShareTask', first: 1 }, field: '', problem: 'a rule needs at least one effect: error, latencyMs, connection or task' },
  { name: 'an unknown gateway code', rule: { error: 'APIGW.9999' }, field: '.error', problem: `unknown gateway code APIGW.9999; one of ${GATEWAY_LIST}` },
  { name: 'an error that is no code at all', rule: { error: 'boom' }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a KooDrive code of 7 digits', rule: { error: 1300020 }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a raw error without a body', rule: { error: { status: 503 } }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a raw error with a status below 200', rule: { error: { status: 199, body: 'x' } }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'status with a raw error', rule: { error: { status: 503, body: 'x' }, status: 500 }, field: '.status', problem: 'goes with a KooDrive or gateway code; a raw error carries its own status and body' },
  { name: 'message with a raw error', rule: { error: { status: 503, body: 'x' }, message: 'm' }, field: '.message', problem: 'goes with a KooDrive or gateway code; a raw error carries its own status and body' },
  { name: 'status without an error', rule: { latencyMs: 5, status: 500 }, field: '.status', problem: 'needs an error' },
  { name: 'message without an error', rule: { latencyMs: 5, message: 'm' }, field: '.message', problem: 'needs an error' },
  { name: 'retryAfterS without an error', rule: { latencyMs: 5, retryAfterS: 3 }, field: '.retryAfterS', problem: 'needs an error' },
  { name: 'a status below 400', rule: { error: 13000201, status: 302 }, field: '.status', problem: 'expected integer to be greater or equal to 400' },
  { name: 'an empty message', rule: { error: 13000201, message: '' }, field: '.message', problem: 'expected string length greater or equal to 1' },
  { name: 'an error with connection reset', rule: { error: 13000201, connection: 'reset' }, field: '.connection', problem: '"reset" answers instead of the error; use one or the other' },
  { name: 'an error with connection hang', rule: { error: 'APIGW.0308', connection: 'hang' }, field: '.connection', problem: '"hang" answers instead of the error; use one or the other' },
  { name: 'an error with connection empty', rule: { error: { status: 503, body: 'x' }, connection: 'empty' }, field: '.connection', problem: '"empty" answers instead of the error; use one or the other' },
  { name: 'an error with connection malformed', rule: { error: 13000201, connection: 'malformed' }, field: '.connection', problem: '"malformed" answers instead of the error; use one or the other' },
  { name: 'a task on another operation', rule: { operation: 'getShareTaskDetail', task: { outcome: 'failed' } }, field: '.task', problem: 'only tasks made by createShareTask have an outcome; set operation to createShareTask' },
  { name: 'a task duration over a day', rule: { operation: 'createShareTask', task: { outcome: 'success', durationMs: 86_400_001 } }, field: '.task.durationMs', problem: 'expected integer to be less or equal to 86400000' },
  { name: 'an unknown match field', rule: { match: { fileId: 'F1' }, error: 13000201 }, field: '.match.fileId', problem: 'unexpected property' },
  { name: 'a match on taskType 3', rule: { match: { taskType: 3 }, error: 13000201 }, field: '.match.taskType', problem: '1 or 2' },
  {
    name: 'an id with spaces',
    rule: { id: 'my rule', error: 13000201 },
    field: '.id',
    problem: "expected string to match '^[A-Za-z0-9_.:-]+$'",
  },
]

/** An X-Mock-Fault header every request must refuse with 400 13000102, and the problem it names. */
export const BAD_FAULT_HEADERS: { header: string; problem: string }[] = [
  {
    header: 'explode=1',
    problem: 'header X-Mock-Fault: unknown key "explode"; use id, error, status, message, retryAfter, latency, connection, probability, task, taskDuration',
  },
  {
    header: 'error=13000201; first=1',
    problem: 'header X-Mock-Fault: unknown key "first"; use id, error, status, message, retryAfter, latency, connection, probability, task, taskDuration',
  },
  { header: 'error=13000201; probability=2', problem: 'header X-Mock-Fault.probability: expected number to be less or equal to 1' },
  { header: 'error=13000201; probability=often', problem: 'header X-Mock-Fault.probability: expected number' },
  { header: 'latency=500-100', problem: 'header X-Mock-Fault.latency: [min, max] needs min <= max, got [500, 100]' },
  { header: 'latency=1-2-3', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'latency=slow', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'latency=1.5', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'connection=explode', problem: 'header X-Mock-Fault.connection: one of reset, hang, empty, malformed, truncate, slow' },
  { header: 'task=exploded', problem: 'header X-Mock-Fault.task: one of success, partial, failed, cancelled, stuck' },
  { header: 'task=partial; taskDuration=soon', problem: 'header X-Mock-Fault.taskDuration: expected integer' },
  { header: 'error=APIGW.9999', problem: `header X-Mock-Fault.error: unknown gateway code APIGW.9999; one of ${GATEWAY_LIST}` },
  { header: 'error=boom', problem: `header X-Mock-Fault.error: ${ERROR_EXPECTED}` },
  { header: 'error', problem: `header X-Mock-Fault.error: ${ERROR_EXPECTED}` },
  { header: 'error=13000201; status=abc', problem: 'header X-Mock-Fault.status: expected integer' },
  { header: 'error=13000201; status=200', problem: 'header X-Mock-Fault.status: expected integer to be greater or equal to 400' },
  { header: 'error=13000201; retryAfter=-1', problem: 'header X-Mock-Fault.retryAfter: expected integer' },
  { header: 'latency=10; retryAfter=5', problem: 'header X-Mock-Fault.retryAfter: needs an error' },
  { header: 'latency=10; message=oops', problem: 'header X-Mock-Fault.message: needs an error' },
  { header: 'latency=10; status=503', problem: 'header X-Mock-Fault.status: needs an error' },
  { header: 'probability=0.5', problem: 'header X-Mock-Fault: a rule needs at least one effect: error, latency, connection or task' },
  { header: 'error=13000201; connection=reset', problem: 'header X-Mock-Fault.connection: "reset" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=hang', problem: 'header X-Mock-Fault.connection: "hang" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=empty', problem: 'header X-Mock-Fault.connection: "empty" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=malformed', problem: 'header X-Mock-Fault.connection: "malformed" answers instead of the error; use one or the other' },
]

// ---------------------------------------------------------------------------------------------
// Helpers for the hardening tests (test/hardening/): envelopes, state snapshots, property runs.
// ---------------------------------------------------------------------------------------------

/** The request headers a KooDrive route reads, as a 13000102 message names them. */
export const KOODRIVE_HEADER_NAMES = ['Authorization', 'X-User-Id', 'X-Date', 'X-Hw-Agentname', 'X-Traceid', 'Host', 'X-Mock-Fault'] as const

/** Enough of a response to judge its envelope: from app.inject or from a real socket. */
export interface ResponseLike {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

/**
 * Why an error response is not exactly one of the vendor's two envelopes (`{code, msg}` with an
 * 8-digit code, or `{error_code, error_msg, request_id}` with request_id = X-Request-Id), or
 * undefined when it is one.
 */
export function vendorEnvelopeProblem(res: ResponseLike): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(res.body)
  } catch {
    return `HTTP ${res.statusCode}: the body is not JSON: ${JSON.stringify(res.body.slice(0, 200))}`
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `HTTP ${res.statusCode}: the body is not an object: ${res.body.slice(0, 200)}`
  const body = parsed as Record<string, unknown>
  const keys = Object.keys(body).sort().join(',')
  if (keys === 'code,msg') {
    const { code, msg } = body
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 10_000_000 || code > 99_999_999) return `code is not an 8-digit integer: ${res.body}`
    if (typeof msg !== 'string' || msg === '') return `msg is not a non-empty string: ${res.body}`
    const status = code === 13000201 ? 500 : 400
    return res.statusCode === status ? undefined : `HTTP ${res.statusCode} for KooDrive code ${code} (expected ${status})`
  }
  if (keys === 'error_code,error_msg,request_id') {
    const { error_code: errorCode, error_msg: errorMsg, request_id: requestId } = body
    if (typeof errorCode !== 'string' || !/^APIGW\.\d{4}$/.test(errorCode)) return `error_code is not APIGW.xxxx: ${res.body}`
    if (typeof errorMsg !== 'string' || errorMsg === '') return `error_msg is not a non-empty string: ${res.body}`
    if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) return `request_id is not 32 hex digits: ${res.body}`
    if (requestId !== res.headers['x-request-id']) return `request_id ${requestId} is not X-Request-Id ${String(res.headers['x-request-id'])}`
    return res.statusCode >= 400 && res.statusCode < 600 ? undefined : `HTTP ${res.statusCode} for a gateway error`
  }
  return `HTTP ${res.statusCode}: not a vendor envelope (keys ${keys}): ${res.body.slice(0, 200)}`
}

/** What a request may change: the sizes of the world's maps, the shares' item lists, the tasks and the share tokens. */
export interface EmulatorState {
  tasks: number
  cancelledTasks: number
  files: number
  shares: number
  sharedItems: number
  spaces: number
  users: number
  kdstokens: number
}

/**
 * A snapshot function of `app`'s emulator state. Share tokens are private to their store, so they
 * are counted as issued: the store's `issue` is wrapped once, here.
 */
export function watchEmulatorState(app: App): () => EmulatorState {
  const store = app.emulator.kdstokens
  const issue = store.issue.bind(store)
  let kdstokens = 0
  store.issue = (shareId, userId, nowMs) => {
    kdstokens += 1
    return issue(shareId, userId, nowMs)
  }
  return () => {
    const { world } = app.emulator
    let cancelledTasks = 0
    for (const task of app.emulator.tasks.values()) if (task.cancelledAtMs !== undefined) cancelledTasks += 1
    let sharedItems = 0
    for (const share of world.shares.values()) sharedItems += share.fileIds.length
    return {
      tasks: app.emulator.tasks.size,
      cancelledTasks,
      files: world.files.size,
      shares: world.shares.size,
      sharedItems,
      spaces: world.spaces.size,
      users: world.users.size,
      kdstokens,
    }
  }
}

/**
 * Runs a fast-check property with fc.assert (seed and runs fixed by the caller) and turns the
 * outcome into ONE tap assertion; its message carries fast-check's shrunk counterexample.
 */
export async function assertProperty(t: import('tap').Test, name: string, run: () => Promise<void>): Promise<void> {
  let failure: string | undefined
  try {
    await run()
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error)
  }
  t.equal(failure, undefined, name)
}

/** A task's result with each file spelled out (as taskDetail's taskInfos list them), to compare whole. */
export function resultView(task: ShareTask, result: TaskResult | undefined = task.result) {
  if (result === undefined) return undefined
  const files = task.request.fileIds.map((fileId, i) => {
    const newFileId = result.newFileIds?.[i]
    const status = result.statuses[i]
    return newFileId === undefined ? { fileId, status } : { fileId, status, newFileId }
  })
  return { files, resultCode: result.resultCode, ...(result.packaged === true ? { packaged: true } : {}) }
}
