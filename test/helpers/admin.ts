import type { Static } from '@sinclair/typebox'
import type { AdminTask, ReadyResponseSchema } from '../../schemas/admin.js'
import type { Seed, SeedFile } from '../../schemas/seed.js'
import type { App } from '../../src/app.js'

/**
 * Calls to the admin API (/__admin) through app.inject: what tests read and set state with where
 * the admin API shows it, as a frontend or a test suite would (MOCK_ADMIN_TOKEN sent when set).
 */

export const ADMIN_CLOCK_URL = '/__admin/clock'
export const ADMIN_FAULTS_URL = '/__admin/faults'

/** The Authorization the app's admin API wants, if any, and a JSON content type when there is a body. */
function adminHeaders(app: App, withBody: boolean): Record<string, string> {
  const token = app.config.MOCK_ADMIN_TOKEN
  return { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(withBody ? { 'content-type': 'application/json' } : {}) }
}

/** An admin call's JSON answer, or a thrown error with its status and body: for setting up and reading state, not for testing the admin API. */
export async function adminCall<T>({ app }: { app: App }, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T> {
  const res = await app.inject({
    method,
    url,
    headers: adminHeaders(app, payload !== undefined),
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  })
  if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
  return res.json() as T
}

type ReadyState = Static<typeof ReadyResponseSchema>

/** GET /__admin/ready: the world's counts and how many tasks the store holds. */
export const readiness = (test: { app: App }) => adminCall<ReadyState>(test, 'GET', '/__admin/ready')

/** How many tasks the store holds, as GET /__admin/ready counts them. */
export const taskCount = async (test: { app: App }) => (await readiness(test)).tasks

/** GET /__admin/world: the world as a seed document. */
export const worldSeed = (test: { app: App }) => adminCall<Seed>(test, 'GET', '/__admin/world')

/** The world's file or folder `fileId`, as GET /__admin/world lists it, or undefined. */
export const worldFile = async (test: { app: App }, fileId: string): Promise<SeedFile | undefined> =>
  (await worldSeed(test)).files.find((file) => file.fileId === fileId)

/** The world's entries a dump copied (from `sourceId`, or from anything), as GET /__admin/world lists them. */
export const dumpCopies = async (test: { app: App }, sourceId?: string): Promise<SeedFile[]> =>
  (await worldSeed(test)).files.filter((file) => file.copiedFromId !== undefined && (sourceId === undefined || file.copiedFromId === sourceId))

/** GET /__admin/tasks/:taskId, or undefined when the store holds no such task (the admin API's 13000309). */
export async function adminTask({ app }: { app: App }, taskId: string): Promise<AdminTask | undefined> {
  const res = await app.inject({ method: 'GET', url: `/__admin/tasks/${encodeURIComponent(taskId)}`, headers: adminHeaders(app, false) })
  if (res.statusCode === 400 && (res.json() as { code: number }).code === 13000309) return undefined
  if (res.statusCode !== 200) throw new Error(`GET /__admin/tasks/${taskId} answered ${res.statusCode}: ${res.body}`)
  return res.json() as AdminTask
}
