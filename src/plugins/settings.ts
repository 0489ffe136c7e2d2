import fp from 'fastify-plugin'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The settings, as loadConfig checked them: what every other plugin reads. */
    config: Config
  }
}

/** The first plugin: the checked settings, for every plugin and route after it. */
export const settings = fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorate('config', config)
  },
  { name: 'settings', fastify: '5.x' },
)
