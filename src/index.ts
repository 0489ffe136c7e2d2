/** koodrive-mock as a library: start it inside a test process, or build the app yourself. */
export { startMockServer, type MockServer, type MockServerOptions } from './testing/start-mock-server.js'
export { AdminClient, AdminApiError, type FaultRuleState, type JournalEntry, type JournalOperation, type NamespaceSummary, type RequestFilter, type TaskFilter } from './testing/admin-client.js'
export { buildApp, type App, type AppDependencies } from './app.js'
export { loadConfig, ConfigError, type Config } from './config.js'
export type { FaultRule } from '../schemas/fault-rule.js'
export type { Seed } from '../schemas/seed.js'
export { createKooDriveClient, type KooDriveClient, type KooDriveClientOptions, type KooDrivePaths } from './client/koodrive-client.js'
