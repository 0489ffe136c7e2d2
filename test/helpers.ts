import { Writable } from 'node:stream'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { ManualClock } from '../src/domain/clock.js'
import { formatXDate } from '../src/koodrive/x-date.js'

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
