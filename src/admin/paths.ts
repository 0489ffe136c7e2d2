/** Where the admin API is mounted: every admin path starts with it. */
export const ADMIN_PREFIX = '/__admin'

/** Liveness and readiness: open to every caller (no admin token, no origin check), for probes and start-up waits. */
export const OPEN_ADMIN_ROUTES: ReadonlySet<string> = new Set([`${ADMIN_PREFIX}/health`, `${ADMIN_PREFIX}/ready`])
