import type { App } from '../../src/app.js'
import type { Clock } from '../../src/domain/time-and-ids/clock.js'
import { formatXDate } from '../../src/koodrive/x-date.js'

/** The KooDrive API's URLs, and the requests a well-behaved carrier client sends to them through app.inject. */

const API_PREFIX = '/koodrive/ose/v1'
export const USER_INFO_URL = `${API_PREFIX}/share/userInfo`
export const VERIFY_URL = `${API_PREFIX}/share/verify`
export const FILES_URL = `${API_PREFIX}/share/files`
export const TASKS_URL = `${API_PREFIX}/share/tasks`
export const TASK_DETAIL_URL = `${API_PREFIX}/share/taskDetail`
export const DOWNLOAD_URL = `${API_PREFIX}/share/download`
export const CANCEL_URL = `${API_PREFIX}/cancel`

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

type DefaultUser = 'ann' | 'bob' | 'carol'

/** Header overrides that call as a default-world user, with that user's own bearer token. */
export function asUser(userId: DefaultUser): Record<string, string> {
  return { authorization: `Bearer ${userId}-token`, 'x-user-id': userId }
}

/** What the request helpers need of a test app: the app, and the clock its headers are signed by. */
interface Caller {
  app: App
  clock: Clock
}

/** POSTs a JSON body to a KooDrive route with carrier headers signed at the clock's now. */
export function postApi({ app, clock }: Caller, url: string, payload: unknown, headers: Record<string, string | undefined> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: carrierHeaders(clock.now(), headers),
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
}

/** GET share/userInfo?shortUrl= (any other query as given). */
export function getUserInfo({ app, clock }: Caller, query: Record<string, string>, headers: Record<string, string | undefined> = {}) {
  return app.inject({ method: 'GET', url: USER_INFO_URL, query, headers: carrierHeaders(clock.now(), { 'content-type': undefined, ...headers }) })
}

/** A kdstoken for `shortUrl`, from share/verify, or a failed test. */
export async function kdstokenFor(test: Caller, shortUrl: string, extractCode: string, headers: Record<string, string | undefined> = {}): Promise<string> {
  const res = await postApi(test, VERIFY_URL, { shortUrl, extractCode }, headers)
  if (res.statusCode !== 200) throw new Error(`share/verify failed: ${res.body}`)
  return (res.json() as { kdstoken: string }).kdstoken
}

/** Creates a share task and returns its ID, or throws with the error body. */
export async function createTask(test: Caller, body: unknown, headers: Record<string, string | undefined> = {}): Promise<string> {
  const res = await postApi(test, TASKS_URL, body, headers)
  if (res.statusCode !== 200) throw new Error(`share/tasks failed: ${res.body}`)
  return (res.json() as { taskId: string }).taskId
}

/** share/taskDetail of a task (any status). */
export async function taskDetail(test: Caller, taskId: string, shareId: string, headers: Record<string, string | undefined> = {}) {
  return postApi(test, TASK_DETAIL_URL, { taskId, shareId }, headers)
}

/** The path and query of an absolute URL: what app.inject needs to fetch a presigned download URL. */
export function pathAndQuery(url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

/** GET (or HEAD) a presigned URL through the app. */
export function fetchObject({ app }: { app: App }, url: string, method: 'GET' | 'HEAD' = 'GET') {
  return app.inject({ method, url: pathAndQuery(url) })
}
