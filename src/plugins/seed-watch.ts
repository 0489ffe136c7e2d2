import { unwatchFile, watchFile } from 'node:fs'
import { resolve } from 'node:path'
import fp from 'fastify-plugin'
import type { SeedStatus } from '../../schemas/admin.js'
import { DEFAULT_WORLD } from '../domain/world/default-world.js'
import type { SeedError } from '../domain/world/seed.js'
import { loadWorldSeed, SeedFileMissingError } from '../domain/world/seed-file.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the world came from and, for a seed file, whether its last version loaded: GET /__admin/ready's `seed`. */
    seedStatus: () => SeedStatus
    /**
     * Reads MOCK_SEED_FILE again now, as the watcher does on a change: a good version replaces the
     * world, a bad one is noted and the world stays, a removed file brings the built-in world.
     * Nothing without a seed file. Reloads run one after another, in the order they were asked for.
     */
    reloadSeed: () => Promise<void>
  }
}

/**
 * MOCK_SEED_WATCH=true: the seed file is polled (fs.watchFile, stat polling: a bind mount from macOS
 * or Windows, whose changes inotify never hears of, works too) and each change reloads it.
 */
export const seedWatch = fp(
  async (app) => {
    const { config, worldSeed } = app
    const file = config.MOCK_SEED_FILE === undefined ? undefined : resolve(config.MOCK_SEED_FILE)
    const watching = file !== undefined && config.MOCK_SEED_WATCH === 'true'
    /** Why the file's current version is not the world, while it is bad. */
    let problem: string | undefined

    app.decorate('seedStatus', () => ({
      source: worldSeed.origin,
      ...(file === undefined ? {} : { file }),
      watching,
      loadedAt: new Date(worldSeed.loadedAtMs).toISOString(),
      version: worldSeed.version,
      ...(problem === undefined ? {} : { problem }),
    }))

    const reloadOnce = async (path: string): Promise<void> => {
      try {
        const seed = await loadWorldSeed(path)
        const cameBack = worldSeed.origin === 'default'
        problem = undefined
        worldSeed.replace(seed, 'file')
        app.log.info({ seedFile: path }, cameBack ? 'seed file is back: the world is made from it again' : 'seed file changed: the world is made from it again')
      } catch (error) {
        // A SeedError names what is wrong (loadWorldSeed wraps read and parse errors in one too).
        if (error instanceof SeedFileMissingError) {
          problem = undefined
          worldSeed.replace(DEFAULT_WORLD, 'default')
          app.log.warn({ seedFile: path }, 'seed file removed: serving the built-in default world until it comes back')
          return
        }
        problem = (error as SeedError).message
        app.log.warn({ seedFile: path, problem }, 'seed file not loaded, the last good world stays: %s', problem)
      }
    }
    let reloads = Promise.resolve()
    app.decorate('reloadSeed', () => {
      if (file !== undefined) reloads = reloads.then(() => reloadOnce(file))
      return reloads
    })

    if (config.MOCK_SEED_WATCH === 'true' && file === undefined) {
      app.log.warn('MOCK_SEED_WATCH=true has nothing to watch: MOCK_SEED_FILE is unset')
    }
    if (!watching) return
    // Called when the file's stat changes: written, replaced, removed (stats of zeros), back.
    const onChange = () => void app.reloadSeed()
    watchFile(file, { interval: config.MOCK_SEED_WATCH_INTERVAL_MS }, onChange)
    // The stat timer would keep the process (and a test run) alive after the server closed.
    app.addHook('onClose', async () => {
      unwatchFile(file, onChange)
      await reloads
    })
  },
  { name: 'seed-watch', fastify: '5.x', dependencies: ['settings', 'namespaces'] },
)
