import { Writable } from 'node:stream'
import yauzl from 'yauzl'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { ManualClock } from '../src/domain/clock.js'
import { DEFAULT_WORLD } from '../src/domain/default-world.js'
import { fileContentStream } from '../src/domain/file-content.js'
import { objectErrorXml } from '../src/domain/presigned-urls.js'
import { formatXDate } from '../src/koodrive/x-date.js'
import type { SeedFile } from '../schemas/seed.js'

/** 2026-11-26T10:00:00.500Z: half a second into a second, as real calls usually are. */
export const START_MS = Date.UTC(2026, 10, 26, 10, 0, 0, 500)

export const TASKS_URL = '/koodrive/ose/v1/share/tasks'

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
  const app = await buildApp(loadConfig({ MOCK_RANDOM_SEED: '42', ...env }), { clock, log: { stream: logs } })
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

export const API_PREFIX = '/koodrive/ose/v1'
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
    entries.push({ name: entry.fileName, size: entry.uncompressedSize, content })
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
