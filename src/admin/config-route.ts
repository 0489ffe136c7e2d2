import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { settingFlags } from '../config-flags.js'
import { ConfigSchema, configSources, type Config } from '../config.js'
import { isSecretName, REDACTED } from '../secrets.js'

const SettingStateSchema = Type.Object(
  {
    value: Type.Union([Type.String(), Type.Number(), Type.Null()], { description: `the value in use; null when unset; ${REDACTED} for a secret` }),
    source: Type.Union([Type.Literal('default'), Type.Literal('environment'), Type.Literal('flag'), Type.Literal('code')], {
      description: 'where the value came from: its default, its environment variable, its command-line flag, or the code that called buildApp',
    }),
    flag: Type.String({ description: 'the command-line flag that sets it' }),
  },
  { additionalProperties: false },
)

const ConfigStateSchema = Type.Object(
  { settings: Type.Record(Type.String(), SettingStateSchema, { description: 'every setting, by its environment variable (PORT, MOCK_WORLD, …)' }) },
  { additionalProperties: false },
)
type ConfigState = Static<typeof ConfigStateSchema>

/** A setting is a secret when its name ends in a secret name from the one list: MOCK_ADMIN_TOKEN ends in TOKEN. */
export const isSecretSetting = (name: string) => isSecretName(name.slice(name.lastIndexOf('_') + 1))

export function configState(config: Config): ConfigState {
  const sources = configSources(config)
  const settings = settingFlags(ConfigSchema.properties).map(({ setting, name }) => {
    const value = config[setting as keyof Config] ?? null
    return [setting, { value: value !== null && isSecretSetting(setting) ? REDACTED : value, source: sources[setting as keyof Config], flag: `--${name}` }]
  })
  return { settings: Object.fromEntries(settings) as ConfigState['settings'] }
}

/** GET /__admin/config: the settings in use, each with where it came from; secrets hidden. */
export const configRoute: FastifyPluginAsyncTypebox = async (app) => {
  const state = configState(app.config)
  app.get(
    '/config',
    { schema: { operationId: 'getConfig', summary: 'The settings in use, each with its source (default, environment, flag); secrets redacted', response: { 200: ConfigStateSchema } } },
    async () => state,
  )
}
