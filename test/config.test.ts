import t from 'tap'
import { ConfigError, ConfigSchema, loadConfig } from '../src/config.js'

const DEFAULTS = {
  PORT: 3000,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  MOCK_API_VARIANT: 'carrier',
  MOCK_X_DATE_WINDOW_S: 900,
  MOCK_X_DATE_SKEW_S: 0,
  MOCK_BODY_LIMIT: 12 * 1024 * 1024,
  MOCK_MAX_NAMESPACES: 100,
  MOCK_MAX_TASKS: 100_000,
  MOCK_MAX_TASK_FILE_IDS: 200_000,
  MOCK_WORLD: 'lenient',
  MOCK_SEED_WATCH: 'false',
  MOCK_SEED_WATCH_INTERVAL_MS: 1000,
  MOCK_TOKEN_TTL_S: 1200,
  MOCK_PUBLIC_SHARES: 'false',
  MOCK_KDSTOKEN_TTL_S: 1200,
  MOCK_TASK_START_DELAY_MS: 500,
  MOCK_TASK_DURATION_MS: 3000,
  MOCK_CLOCK: 'real',
  MOCK_ZIP_MAX_FILE_BYTES: 1024 * 1024,
  MOCK_FAULT_HEADER: 'true',
  MOCK_ERROR_RATE: 0,
  MOCK_ERROR: '13000201',
  MOCK_JOURNAL_SIZE: 1000,
  MOCK_JOURNAL_MAX_BYTES: 32 * 1024 * 1024,
  MOCK_JOURNAL_BODY_BYTES: 16 * 1024,
  MOCK_JOURNAL_REDACT: 'true',
  MOCK_MAX_WORLD_FILES: 100_000,
  MOCK_CORS_ORIGIN: '*',
  MOCK_HEADERS_TIMEOUT_MS: 10_000,
  MOCK_REQUEST_TIMEOUT_MS: 30_000,
  MOCK_KEEP_ALIVE_TIMEOUT_MS: 5_000,
  MOCK_MAX_CONNECTIONS: 1000,
  MOCK_HANG_MAX_MS: 120_000,
  MOCK_BODY_DRAIN_BYTES: 64 * 1024 * 1024,
  MOCK_SHUTDOWN_GRACE_MS: 2000,
}

/** The message loadConfig throws for `env`, or undefined when it accepts it. */
function configErrorOf(env: Record<string, string>): ConfigError | undefined {
  try {
    loadConfig(env)
    return undefined
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
}

t.test('an empty environment gives every default and no random seed', async (t) => {
  const config = loadConfig({})
  t.strictSame(config, DEFAULTS)
  t.notOk('MOCK_RANDOM_SEED' in config, 'MOCK_RANDOM_SEED stays unset, so each start picks a fresh seed')
})

t.test('converts every variable to its type', async (t) => {
  const config = loadConfig({
    PORT: '80',
    HOST: '0.0.0.0',
    LOG_LEVEL: 'debug',
    MOCK_API_VARIANT: 'enterprise',
    MOCK_X_DATE_WINDOW_S: '0',
    MOCK_X_DATE_SKEW_S: '30',
    MOCK_BODY_LIMIT: '1',
    MOCK_MAX_NAMESPACES: '2',
    MOCK_MAX_TASKS: '3',
    MOCK_MAX_TASK_FILE_IDS: '5000',
    MOCK_WORLD: 'strict',
    MOCK_AUTH: 'off',
    MOCK_TOKEN_TTL_S: '0',
    MOCK_PUBLIC_SHARES: 'true',
    MOCK_SEED_FILE: '/data/world.json',
    MOCK_SEED_WATCH: 'true',
    MOCK_SEED_WATCH_INTERVAL_MS: '10',
    MOCK_KDSTOKEN_TTL_S: '60',
    MOCK_TASK_START_DELAY_MS: '0',
    MOCK_TASK_DURATION_MS: '10000',
    MOCK_CLOCK: 'manual',
    MOCK_CLOCK_START: '2026-01-01T00:00:00Z',
    MOCK_PUBLIC_URL: 'https://mock.example.test:8443/base',
    MOCK_ZIP_MAX_FILE_BYTES: '0',
    MOCK_FAULTS: '[{"error":13000201}]',
    MOCK_FAULT_HEADER: 'false',
    MOCK_ERROR_RATE: '0.25',
    MOCK_ERROR: 'APIGW.0308',
    MOCK_LATENCY_MS: '100-500',
    MOCK_JOURNAL_SIZE: '0',
    MOCK_JOURNAL_MAX_BYTES: '1000',
    MOCK_JOURNAL_BODY_BYTES: '0',
    MOCK_JOURNAL_REDACT: 'false',
    MOCK_MAX_WORLD_FILES: '7',
    MOCK_ADMIN_TOKEN: 'admin-secret',
    MOCK_CORS_ORIGIN: 'http://localhost:5173,http://localhost:3001',
    MOCK_ADMIN_CORS_ORIGIN: 'http://localhost:4000',
    MOCK_RANDOM_SEED: '4294967295',
    MOCK_HEADERS_TIMEOUT_MS: '200',
    MOCK_REQUEST_TIMEOUT_MS: '200',
    MOCK_KEEP_ALIVE_TIMEOUT_MS: '1',
    MOCK_MAX_CONNECTIONS: '2',
    MOCK_HANG_MAX_MS: '50',
    MOCK_BODY_DRAIN_BYTES: '0',
    MOCK_SHUTDOWN_GRACE_MS: '0',
  })
  t.strictSame(config, {
    PORT: 80,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'debug',
    MOCK_API_VARIANT: 'enterprise',
    MOCK_X_DATE_WINDOW_S: 0,
    MOCK_X_DATE_SKEW_S: 30,
    MOCK_BODY_LIMIT: 1,
    MOCK_MAX_NAMESPACES: 2,
    MOCK_MAX_TASKS: 3,
    MOCK_MAX_TASK_FILE_IDS: 5000,
    MOCK_WORLD: 'strict',
    MOCK_AUTH: 'off',
    MOCK_TOKEN_TTL_S: 0,
    MOCK_PUBLIC_SHARES: 'true',
    MOCK_SEED_FILE: '/data/world.json',
    MOCK_SEED_WATCH: 'true',
    MOCK_SEED_WATCH_INTERVAL_MS: 10,
    MOCK_KDSTOKEN_TTL_S: 60,
    MOCK_TASK_START_DELAY_MS: 0,
    MOCK_TASK_DURATION_MS: 10000,
    MOCK_CLOCK: 'manual',
    MOCK_CLOCK_START: '2026-01-01T00:00:00Z',
    MOCK_PUBLIC_URL: 'https://mock.example.test:8443/base',
    MOCK_ZIP_MAX_FILE_BYTES: 0,
    MOCK_FAULTS: '[{"error":13000201}]',
    MOCK_FAULT_HEADER: 'false',
    MOCK_ERROR_RATE: 0.25,
    MOCK_ERROR: 'APIGW.0308',
    MOCK_LATENCY_MS: '100-500',
    MOCK_JOURNAL_SIZE: 0,
    MOCK_JOURNAL_MAX_BYTES: 1000,
    MOCK_JOURNAL_BODY_BYTES: 0,
    MOCK_JOURNAL_REDACT: 'false',
    MOCK_MAX_WORLD_FILES: 7,
    MOCK_ADMIN_TOKEN: 'admin-secret',
    MOCK_CORS_ORIGIN: 'http://localhost:5173,http://localhost:3001',
    MOCK_ADMIN_CORS_ORIGIN: 'http://localhost:4000',
    MOCK_RANDOM_SEED: 4294967295,
    MOCK_HEADERS_TIMEOUT_MS: 200,
    MOCK_REQUEST_TIMEOUT_MS: 200,
    MOCK_KEEP_ALIVE_TIMEOUT_MS: 1,
    MOCK_MAX_CONNECTIONS: 2,
    MOCK_HANG_MAX_MS: 50,
    MOCK_BODY_DRAIN_BYTES: 0,
    MOCK_SHUTDOWN_GRACE_MS: 0,
  })
})

t.test('accepts the ends of every range', async (t) => {
  t.equal(loadConfig({ PORT: '0' }).PORT, 0, 'PORT 0 asks the OS for a free port')
  t.equal(loadConfig({ PORT: '65535' }).PORT, 65535)
  t.equal(loadConfig({ MOCK_RANDOM_SEED: '0' }).MOCK_RANDOM_SEED, 0)
  t.equal(loadConfig({ PORT: '080' }).PORT, 80, 'leading zeros are still decimal')
})

t.test('accepts every log level pino knows, and silent', async (t) => {
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).LOG_LEVEL, level)
  }
})

t.test('trims surrounding whitespace off a value', async (t) => {
  t.strictSame(loadConfig({ PORT: ' 8080\n', MOCK_API_VARIANT: '\tenterprise ' }), {
    ...DEFAULTS,
    PORT: 8080,
    MOCK_API_VARIANT: 'enterprise',
  })
})

t.test('an empty or whitespace-only value counts as unset', async (t) => {
  const blank = {
    PORT: '',
    HOST: '   ',
    LOG_LEVEL: '',
    MOCK_API_VARIANT: ' \t ',
    MOCK_X_DATE_WINDOW_S: '',
    MOCK_BODY_LIMIT: '\n',
    MOCK_MAX_TASKS: '',
    MOCK_RANDOM_SEED: '  ',
  }
  const config = loadConfig(blank)
  t.strictSame(config, DEFAULTS)
  t.notOk('MOCK_RANDOM_SEED' in config)
})

t.test('ignores environment variables it does not know', async (t) => {
  t.strictSame(loadConfig({ PATH: '/usr/bin', NODE_ENV: 'production', MOCK_UNKNOWN: 'x', port: '1' }), DEFAULTS)
})

t.test('rejects a number that is not plain decimal digits instead of truncating it', async (t) => {
  for (const value of ['1.5', '3000abc', '-1', '+80', '1e3', '0x50', '8 0', 'abc']) {
    t.equal(
      configErrorOf({ PORT: value })?.message,
      `Invalid configuration (1):\n  PORT=${JSON.stringify(value)}: expected an integer from 0 to 65535`,
      `PORT=${value}`,
    )
  }
})

t.test('rejects integers out of range, naming the range', async (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: '65536' }, 'PORT="65536": expected an integer from 0 to 65535'],
    [{ MOCK_BODY_LIMIT: '0' }, 'MOCK_BODY_LIMIT="0": expected a whole number of bytes from 1 to 1073741824'],
    [{ MOCK_MAX_TASKS: '0' }, 'MOCK_MAX_TASKS="0": expected a whole number from 1 to 10000000'],
    [{ MOCK_MAX_TASK_FILE_IDS: '999' }, 'MOCK_MAX_TASK_FILE_IDS="999": expected a whole number from 1000 to 100000000'],
    [{ MOCK_X_DATE_WINDOW_S: '-1' }, 'MOCK_X_DATE_WINDOW_S="-1": expected a whole number of seconds from 0 to 31536000'],
    [{ MOCK_RANDOM_SEED: '4294967296' }, 'MOCK_RANDOM_SEED="4294967296": expected an integer from 0 to 4294967295'],
  ]
  for (const [env, problem] of cases) {
    t.equal(configErrorOf(env)?.message, `Invalid configuration (1):\n  ${problem}`, problem)
  }
})

t.test('rejects a MOCK_API_VARIANT or LOG_LEVEL outside its set, case included', async (t) => {
  t.equal(
    configErrorOf({ MOCK_API_VARIANT: 'Carrier' })?.message,
    'Invalid configuration (1):\n  MOCK_API_VARIANT="Carrier": expected carrier or enterprise',
  )
  t.equal(
    configErrorOf({ LOG_LEVEL: 'verbose' })?.message,
    'Invalid configuration (1):\n  LOG_LEVEL="verbose": expected one of fatal, error, warn, info, debug, trace, silent',
  )
})

t.test('one ConfigError names every bad variable and what it expects, once each', async (t) => {
  const error = configErrorOf({
    PORT: '1.5',
    HOST: 'localhost',
    LOG_LEVEL: 'INFO',
    MOCK_API_VARIANT: 'x',
    MOCK_X_DATE_WINDOW_S: '-1',
    MOCK_BODY_LIMIT: '0',
    MOCK_MAX_TASKS: '3000abc',
    MOCK_RANDOM_SEED: '4294967296',
  })
  t.ok(error instanceof ConfigError)
  t.ok(error instanceof Error)
  t.equal(error?.name, 'ConfigError')
  t.equal(
    error?.message,
    [
      'Invalid configuration (7):',
      '  PORT="1.5": expected an integer from 0 to 65535',
      '  LOG_LEVEL="INFO": expected one of fatal, error, warn, info, debug, trace, silent',
      '  MOCK_API_VARIANT="x": expected carrier or enterprise',
      '  MOCK_X_DATE_WINDOW_S="-1": expected a whole number of seconds from 0 to 31536000',
      '  MOCK_BODY_LIMIT="0": expected a whole number of bytes from 1 to 1073741824',
      '  MOCK_MAX_TASKS="3000abc": expected a whole number from 1 to 10000000',
      '  MOCK_RANDOM_SEED="4294967296": expected an integer from 0 to 4294967295',
    ].join('\n'),
  )
})

t.test('the error quotes the trimmed value', async (t) => {
  t.equal(
    configErrorOf({ PORT: '  abc  ' })?.message,
    'Invalid configuration (1):\n  PORT="abc": expected an integer from 0 to 65535',
  )
})

t.test('the config is frozen', async (t) => {
  const config = loadConfig({ PORT: '80' })
  t.ok(Object.isFrozen(config))
  t.throws(() => {
    ;(config as { PORT: number }).PORT = 81
  }, TypeError)
  t.equal(config.PORT, 80)
})

t.test('does not modify the environment it reads', async (t) => {
  const env = { PORT: ' 80 ', LOG_LEVEL: '' }
  loadConfig(env)
  t.strictSame(env, { PORT: ' 80 ', LOG_LEVEL: '' })
})

t.test('a headers timeout longer than the request timeout is refused, naming both', async (t) => {
  t.equal(
    configErrorOf({ MOCK_HEADERS_TIMEOUT_MS: '5000', MOCK_REQUEST_TIMEOUT_MS: '4000' })?.message,
    'Invalid configuration (1):\n  MOCK_REQUEST_TIMEOUT_MS=4000: expected at least MOCK_HEADERS_TIMEOUT_MS (5000)',
  )
  t.equal(
    configErrorOf({ MOCK_HEADERS_TIMEOUT_MS: '40000' })?.message,
    'Invalid configuration (1):\n  MOCK_REQUEST_TIMEOUT_MS=30000: expected at least MOCK_HEADERS_TIMEOUT_MS (40000)',
    'against the default request timeout too',
  )
  t.throws(() => loadConfig({}, ['--headers-timeout-ms', '5000', '--request-timeout-ms', '4000']), {
    message: 'Invalid configuration (1):\n  --request-timeout-ms "4000" (MOCK_REQUEST_TIMEOUT_MS): expected at least MOCK_HEADERS_TIMEOUT_MS (5000)',
  }, 'named as the flag when it came from one')
  t.equal(
    configErrorOf({ MOCK_HEADERS_TIMEOUT_MS: '0', MOCK_REQUEST_TIMEOUT_MS: '4000' })?.message,
    'Invalid configuration (1):\n  MOCK_HEADERS_TIMEOUT_MS="0": expected a whole number of milliseconds from 1 to 600000',
    'a bad value is reported once, as itself',
  )
  t.equal(
    configErrorOf({ MOCK_HEADERS_TIMEOUT_MS: '4000', MOCK_REQUEST_TIMEOUT_MS: 'soon' })?.message,
    'Invalid configuration (1):\n  MOCK_REQUEST_TIMEOUT_MS="soon": expected a whole number of milliseconds from 1 to 3600000, at least MOCK_HEADERS_TIMEOUT_MS',
  )
})

t.test('every setting says what it expects and what it means: the start-up errors, --help and the README read them', async (t) => {
  for (const [name, setting] of Object.entries(ConfigSchema.properties)) {
    t.type(setting.expected, 'string', `${name}.expected`)
    t.type(setting.description, 'string', `${name}.description`)
  }
})
