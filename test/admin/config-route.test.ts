import t from 'tap'
import { buildApp } from '../../src/app.js'
import { configState, isSecretSetting } from '../../src/admin/config-route.js'
import { ConfigSchema, loadConfig } from '../../src/config.js'
import { REDACTED } from '../../src/secrets.js'
import { startTestApp } from '../helpers/app.js'
import { validateResponses } from '../support/response-validation.js'

type Settings = Record<string, { value: unknown; source: string; flag: string }>

t.test('GET /__admin/config: every setting with its value, its source and its flag', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_WORLD: 'strict', MOCK_ADMIN_TOKEN: 'admin-secret' } })
  const res = await app.inject({ method: 'GET', url: '/__admin/config', headers: { authorization: 'Bearer admin-secret' } })
  t.equal(res.statusCode, 200)
  const { settings } = res.json() as { settings: Settings }
  t.strictSame(Object.keys(settings), Object.keys(ConfigSchema.properties), 'one entry per setting, in the schema\'s order')
  t.strictSame(settings.MOCK_WORLD, { value: 'strict', source: 'environment', flag: '--world' })
  t.strictSame(settings.MOCK_RANDOM_SEED, { value: 42, source: 'environment', flag: '--seed' })
  t.strictSame(settings.PORT, { value: 3000, source: 'default', flag: '--port' })
  t.strictSame(settings.MOCK_SEED_FILE, { value: null, source: 'default', flag: '--seed-file' }, 'unset: null')
  t.strictSame(settings.MOCK_ADMIN_TOKEN, { value: REDACTED, source: 'environment', flag: '--admin-token' }, 'the token is hidden')
  t.notMatch(res.body, 'admin-secret')
})

t.test('GET /__admin/config needs the admin token like every admin route but health and ready', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: 'admin-secret' } })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/config' })).statusCode, 401)
})

t.test('flags show as flags; a config built in code shows as code', async (t) => {
  t.match(configState(loadConfig({ PORT: '1' }, ['--port', '2'])).settings.PORT, { value: 2, source: 'flag' })
  // Built by hand: what is under test is a Config object made in code, which the test helpers (settings as an environment) cannot give.
  const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), MOCK_MAX_TASKS: 5 }, { instrument: validateResponses })
  t.teardown(() => app.close())
  const { settings } = (await app.inject({ method: 'GET', url: '/__admin/config' })).json() as { settings: Settings }
  t.match(settings.MOCK_MAX_TASKS, { value: 5, source: 'code' })
  t.match(settings.LOG_LEVEL, { value: 'silent', source: 'code' })
})

t.test('a setting is a secret when its name ends in a name from the one list of secrets', async (t) => {
  t.ok(isSecretSetting('MOCK_ADMIN_TOKEN'))
  t.ok(isSecretSetting('MOCK_SOME_PASSWORD'), 'a setting added later is hidden too')
  t.notOk(isSecretSetting('MOCK_KDSTOKEN_TTL_S'), 'a TTL is not a secret, though a word of it names one')
  t.strictSame(Object.keys(ConfigSchema.properties).filter(isSecretSetting), ['MOCK_ADMIN_TOKEN'])
})
