import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { resolve } from 'node:path'
import type { App } from './app.js'
import type { Config } from './config.js'
import { ADMIN_DOCS_PATH, ADMIN_PREFIX } from './admin/paths.js'
import { DASHBOARD_PATH } from './dashboard/index.js'
import { KOODRIVE_PREFIX } from './koodrive/route.js'
import { localUrlOf } from './public-url.js'
import { VERSION } from './version.js'

/** What a user needs once the server listens: where to point a client, where the docs are, which world it serves. */
export interface ReadyFacts {
  version: string
  variant: Config['MOCK_API_VARIANT']
  randomSeed: number
  urls: { api: string; dashboard: string; docs: string; health: string }
  /** `default` (the embedded world) or the seed file's absolute path, and lenient or strict. */
  world: { seed: string; mode: Config['MOCK_WORLD'] }
}

export function readyFacts(config: Config, address: AddressInfo, randomSeed: number): ReadyFacts {
  const base = localUrlOf(config.HOST, address.port)
  return {
    version: VERSION,
    variant: config.MOCK_API_VARIANT,
    randomSeed,
    urls: { api: `${base}${KOODRIVE_PREFIX}`, dashboard: `${base}${DASHBOARD_PATH}`, docs: `${base}${ADMIN_DOCS_PATH}`, health: `${base}${ADMIN_PREFIX}/health` },
    world: { seed: config.MOCK_SEED_FILE === undefined ? 'default' : resolve(config.MOCK_SEED_FILE), mode: config.MOCK_WORLD },
  }
}

/** The same facts as a few lines for a person at a terminal. */
export function bannerText(facts: ReadyFacts): string {
  const world = facts.world.seed === 'default' ? 'the built-in default world' : facts.world.seed
  return [
    `koodrive-mock ${facts.version} ready (${facts.variant} API)`,
    `  API       ${facts.urls.api}`,
    `  dashboard ${facts.urls.dashboard}`,
    `  API docs  ${facts.urls.docs}`,
    `  health    ${facts.urls.health}`,
    `  world     ${world} (${facts.world.mode})`,
    `  replay    MOCK_RANDOM_SEED=${facts.randomSeed} (or --seed ${facts.randomSeed}) gives this run's IDs again`,
    '',
  ].join('\n')
}

/**
 * Says the server is ready: on a terminal (`out` is one) the banner, beside the pretty log; in
 * JSON logs one line with the same facts. Nothing when the log level hides info lines.
 */
export function announceReady(app: App, out: { isTTY?: boolean; write(text: string): unknown }): void {
  if (!(app.log as Logger).isLevelEnabled('info')) return
  const facts = readyFacts(app.config, app.server.address() as AddressInfo, app.randomSeed)
  if (out.isTTY === true) out.write(bannerText(facts))
  else app.log.info(facts, 'koodrive-mock ready, dashboard at %s (set MOCK_RANDOM_SEED=%d to replay this run)', facts.urls.dashboard, facts.randomSeed)
}
