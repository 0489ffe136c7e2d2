import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { AddressInfo } from 'node:net'
import type { Emulator } from '../domain/emulator.js'
import type { ControllableClock } from '../domain/time-and-ids/clock.js'
import { parameterInvalid } from '../domain/errors.js'
import { SeedSource } from '../domain/world/seed-source.js'
import type { RequestJournal } from '../admin/request-journal.js'
import type { FaultPlan } from '../faults/fault-plan.js'
import { OBJECT_PATH_PREFIX } from '../koodrive/object-storage.js'
import { publicUrlOf } from '../namespaces/from-config.js'
import { NAMESPACE_NAME_RULE } from '../namespaces/namespace-name.js'
import type { Namespace } from '../namespaces/namespace.js'
import type { NamespaceRegistry } from '../namespaces/registry.js'
import { namespaceOf, refusedNamespaceOf } from '../namespaces/request-namespace.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every namespace: each its own world, tasks, share tokens, journal, fault rules and clock. */
    namespaces: NamespaceRegistry
    /** The `default` namespace's emulator (requests read their own: `request.namespace`). */
    readonly emulator: Emulator
    /** The `default` namespace's clock. */
    readonly clock: ControllableClock
    /** The `default` namespace's journal. */
    readonly journal: RequestJournal
    /** The `default` namespace's fault rules. */
    readonly faults: FaultPlan
    /** The run's seed: `default`'s IDs follow from it, every other namespace's from it and its name. */
    randomSeed: number
    /** The server's world seed in use now (what new namespaces are made from); its `replace` is the one way to change it, for every namespace. */
    worldSeed: SeedSource
  }
  interface FastifyRequest {
    /** The namespace the request is in (X-Mock-Namespace, `?namespace=` on admin and download URLs, else `default`). */
    readonly namespace: Namespace
  }
}

export interface NamespacesOptions {
  /** Made before Fastify: request IDs (genReqId) are drawn from the request's namespace. */
  registry: NamespaceRegistry
}

/**
 * The request's namespace, as genReqId worked it out: everything reads state through
 * `request.namespace`. A name that is not one is refused by this plugin's onRequest, naming where
 * it came from; the request stays in `default`, whose journal shows it.
 */
export const namespaces = fp<NamespacesOptions>(
  async (app, { registry }) => {
    const { config } = app
    app.decorate('namespaces', registry)
    app.decorate('randomSeed', registry.template.randomSeed)
    const origin = config.MOCK_SEED_FILE === undefined ? 'default' : 'file'
    const now = () => registry.default.clock.now()
    app.decorate('worldSeed', new SeedSource(registry.template.seed, origin, (seed) => registry.replaceSeed(seed, now()), now))
    app.decorate('emulator', { getter: () => registry.default.emulator })
    app.decorate('clock', { getter: () => registry.default.clock })
    app.decorate('journal', { getter: () => registry.default.journal })
    app.decorate('faults', { getter: () => registry.default.faults })
    // A getter, not a value a hook sets: contexts made before this plugin (CORS preflights) have it too.
    app.decorateRequest('namespace', {
      getter(this: FastifyRequest) {
        return namespaceOf(this.raw, registry)
      },
    })
    app.addHook('onRequest', (request, _reply, done) => {
      const refused = refusedNamespaceOf(request.raw)
      if (refused === undefined) return done()
      const where = refused.from === 'header' ? 'X-Mock-Namespace' : 'the namespace query parameter'
      done(parameterInvalid(`${where} must be ${NAMESPACE_NAME_RULE}, not ${JSON.stringify(refused.name.slice(0, 80))}`))
    })
    if (config.MOCK_PUBLIC_URL === undefined && config.PORT === 0) {
      app.addHook('onListen', async () => {
        const address = app.server.address() as AddressInfo
        registry.pointDownloadsAt(`${publicUrlOf({ ...config, PORT: address.port })}${OBJECT_PATH_PREFIX}`)
      })
    }
  },
  { name: 'namespaces', fastify: '5.x', dependencies: ['settings'] },
)
