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
