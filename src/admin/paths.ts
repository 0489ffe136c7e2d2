/** Where the admin API is mounted: every admin path starts with it. */
export const ADMIN_PREFIX = '/__admin'

/** Liveness and readiness: open to every caller (no admin token, no origin check), for probes and start-up waits. */
export const OPEN_ADMIN_ROUTES: ReadonlySet<string> = new Set([`${ADMIN_PREFIX}/health`, `${ADMIN_PREFIX}/ready`])

/** Where a 404 under the admin prefix points: the admin API's docs list every route. */
export const ADMIN_DOCS_PATH = `${ADMIN_PREFIX}/docs`

/** The hint a 404 adds for unknown `/__admin/...` paths; nothing for other paths, nor for the docs' own files. */
export function adminNotFoundHint(path: string): string {
  const underAdmin = path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)
  return underAdmin && !path.startsWith(`${ADMIN_DOCS_PATH}/`) ? `; the admin API's routes are listed at ${ADMIN_DOCS_PATH}` : ''
}
