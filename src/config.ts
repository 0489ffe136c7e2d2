import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { readFlags } from './config-flags.js'
import { isIsoDateTime } from './domain/world/seed.js'
import { configuredFaultProblems } from './faults/configured-faults.js'

/**
 * Every setting the emulator reads, from environment variables or their command-line flags. `expected` is the phrase a
 * start-up error prints for a bad value; `description` is the README's.
 */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({
    minimum: 0, maximum: 65535, default: 3000,
    expected: 'an integer from 0 to 65535', description: 'TCP port to listen on',
  }),
  HOST: Type.String({
    minLength: 1, default: '127.0.0.1',
    expected: 'a host name or IP address', description: 'address to listen on (0.0.0.0 in the Docker image)',
  }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
      Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
    {
      default: 'info',
      expected: 'one of fatal, error, warn, info, debug, trace, silent',
      description: 'pino log level; debug adds request bodies (secrets redacted)',
    },
  ),
  MOCK_API_VARIANT: Type.Union([Type.Literal('carrier'), Type.Literal('enterprise')], {
    default: 'carrier',
    expected: 'carrier or enterprise', description: 'header rules: carrier requires X-Hw-Agentname, enterprise requires Host',
  }),
  MOCK_X_DATE_WINDOW_S: Type.Integer({
    minimum: 0, maximum: 31_536_000, default: 900,
    expected: 'a whole number of seconds from 0 to 31536000', description: 'how old an X-Date may be before 401 APIGW.0303',
  }),
  MOCK_X_DATE_SKEW_S: Type.Integer({
    minimum: 0, maximum: 86_400, default: 0,
    expected: 'a whole number of seconds from 0 to 86400', description: 'how far ahead of the emulator an X-Date may be (a client clock that runs fast)',
  }),
  MOCK_BODY_LIMIT: Type.Integer({
    minimum: 1, maximum: 1024 ** 3, default: 12 * 1024 * 1024,
    expected: 'a whole number of bytes from 1 to 1073741824', description: 'largest request body in bytes; larger gets 413 APIGW.0201',
  }),
  MOCK_MAX_TASKS: Type.Integer({
    minimum: 1, maximum: 10_000_000, default: 100_000,
    expected: 'a whole number from 1 to 10000000', description: 'tasks kept in memory; past it the oldest finished ones go first',
  }),
  MOCK_MAX_TASK_FILE_IDS: Type.Integer({
    minimum: 1000, maximum: 100_000_000, default: 200_000,
    expected: 'a whole number from 1000 to 100000000',
    description: 'file IDs the kept tasks may name in all (a task names up to 1000); past it the oldest finished tasks go first, as past MOCK_MAX_TASKS',
  }),
  MOCK_MAX_NAMESPACES: Type.Integer({
    minimum: 2, maximum: 100_000, default: 100,
    expected: 'a whole number from 2 to 100000',
    description: 'namespaces kept (default included), each with its own world, tasks, journal, fault rules and clock; past it the least recently used goes, never default',
  }),
  MOCK_MAX_WORLD_FILES: Type.Integer({
    minimum: 1, maximum: 10_000_000, default: 100_000,
    expected: 'a whole number from 1 to 10000000',
    description: 'entries kept that lenient mode made up or dumps copied (files and folders, and the shares, spaces and users made with them); past it the oldest that no live task needs go first; seeded entries never',
  }),
  MOCK_WORLD: Type.Union([Type.Literal('lenient'), Type.Literal('strict')], {
    default: 'lenient',
    expected: 'lenient or strict',
    description: 'lenient: shares, spaces and files a request names are made on first use; strict: only the seeded world exists',
  }),
  MOCK_AUTH: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('lenient'), Type.Literal('strict')], {
    expected: 'off, lenient or strict',
    description:
      'header checks: off checks none; lenient checks their form and takes any bearer token; strict takes only the world\'s tokens, alive, for their X-User-Id; ' +
      'app signatures are verified in lenient and strict mode; unset: lenient in a lenient world, strict in a strict one',
  })),
  MOCK_TOKEN_TTL_S: Type.Integer({
    minimum: 0, maximum: 31_536_000, default: 1200,
    expected: 'a whole number of seconds from 0 to 31536000',
    description: 'how long a bearer token lives unused under MOCK_AUTH=strict (every successful call renews it); past it 401 APIGW.0307; 0: for ever',
  }),
  MOCK_PUBLIC_SHARES: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'false',
    expected: 'true or false',
    description: 'true: the public carrier family under share/public/ answers (it needs only X-Hw-Agentname); false: it answers 404 APIGW.0101',
  }),
  MOCK_SEED_FILE: Type.Optional(Type.String({
    minLength: 1,
    expected: 'a path to a world seed JSON file',
    description: 'world seed JSON replacing the embedded default world',
  })),
  MOCK_SEED_WATCH: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'false',
    expected: 'true or false',
    description: 'with MOCK_SEED_FILE: poll the file and replace every namespace\'s world when it changes, as a reset to it would; a bad version keeps the last good world (GET /__admin/ready shows why), a removed file serves the built-in world until it comes back',
  }),
  MOCK_SEED_WATCH_INTERVAL_MS: Type.Integer({
    minimum: 10, maximum: 600_000, default: 1000,
    expected: 'a whole number of milliseconds from 10 to 600000',
    description: 'with MOCK_SEED_WATCH=true: how often the seed file is checked for a change (stat polling, so bind mounts from macOS and Windows work)',
  }),
  MOCK_KDSTOKEN_TTL_S: Type.Integer({
    minimum: 1, maximum: 31_536_000, default: 1200,
    expected: 'a whole number of seconds from 1 to 31536000', description: 'how long a kdstoken from share/verify stays valid',
  }),
  MOCK_TASK_START_DELAY_MS: Type.Integer({
    minimum: 0, maximum: 86_400_000, default: 500,
    expected: 'a whole number of milliseconds from 0 to 86400000', description: 'how long a new task stays pending (taskStatus 0)',
  }),
  MOCK_TASK_DURATION_MS: Type.Integer({
    minimum: 0, maximum: 86_400_000, default: 3000,
    expected: 'a whole number of milliseconds from 0 to 86400000', description: 'how long after creation a task completes; 0: completed at creation',
  }),
  MOCK_CLOCK: Type.Union([Type.Literal('real'), Type.Literal('manual')], {
    default: 'real',
    expected: 'real or manual',
    description: 'manual: time stands still until POST /__admin/clock moves it',
  }),
  MOCK_CLOCK_START: Type.Optional(Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T',
    expected: 'an ISO-8601 time such as 2026-01-01T00:00:00Z, with MOCK_CLOCK=manual',
    description: 'the instant a manual clock starts at, so two runs with the same seed and requests answer byte for byte the same; unset: the time of start',
  })),
  MOCK_PUBLIC_URL: Type.Optional(Type.String({
    pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
    expected: 'an http(s) URL such as http://localhost:3000',
    description: 'base of download URLs; unset: the address each request was sent to (its Host header, or X-Forwarded-Host and X-Forwarded-Proto from a proxy), else http://<HOST>:<PORT> (localhost when HOST is 0.0.0.0)',
  })),
  MOCK_ZIP_MAX_FILE_BYTES: Type.Integer({
    minimum: 0, maximum: 1024 ** 3, default: 1024 * 1024,
    expected: 'a whole number of bytes from 0 to 1073741824', description: 'cap on the bytes generated for each file in a zip or a download',
  }),
  MOCK_FAULTS: Type.Optional(Type.String({
    expected: 'a JSON array of fault rules',
    description: 'fault rules, a JSON array, or {"$schema": …, "rules": [the array]} for an editor (see Injecting failures); checked at start',
  })),
  MOCK_FAULT_HEADER: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'true',
    expected: 'true or false',
    description: 'read the X-Mock-Fault request header',
  }),
  MOCK_ERROR_RATE: Type.Number({
    minimum: 0, maximum: 1, default: 0,
    expected: 'a number from 0 to 1', description: 'share of emulated requests that fail with MOCK_ERROR (seeded)',
  }),
  MOCK_ERROR: Type.String({
    pattern: '^(\\d{8}|APIGW\\.\\d{4})$', default: '13000201',
    expected: 'a KooDrive code (13000201) or a gateway code (APIGW.0308)', description: 'the error MOCK_ERROR_RATE injects',
  }),
  MOCK_LATENCY_MS: Type.Optional(Type.String({
    pattern: '^\\d{1,6}(-\\d{1,6})?$',
    expected: 'milliseconds, 300, or a range 100-500',
    description: 'latency added to every emulated request, fixed or drawn from a range (seeded)',
  })),
  MOCK_JOURNAL_SIZE: Type.Integer({
    minimum: 0, maximum: 1_000_000, default: 1000,
    expected: 'a whole number from 0 to 1000000', description: 'requests kept in the journal; past it the oldest go first; 0 turns it off',
  }),
  MOCK_JOURNAL_MAX_BYTES: Type.Integer({
    minimum: 0, maximum: 1024 ** 3, default: 32 * 1024 * 1024,
    expected: 'a whole number of bytes from 0 to 1073741824',
    description: 'bytes the whole journal may take (kept headers and bodies); past it the oldest entries go first',
  }),
  MOCK_JOURNAL_BODY_BYTES: Type.Integer({
    minimum: 0, maximum: 1024 ** 3, default: 16 * 1024,
    expected: 'a whole number of bytes from 0 to 1073741824',
    description: 'bytes kept of each request and response body in the journal; a longer one is kept as its first bytes, marked truncated',
  }),
  MOCK_JOURNAL_REDACT: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'true',
    expected: 'true or false',
    description: 'hide tokens and access codes in journal entries; false shows them as sent (logs stay redacted)',
  }),
  MOCK_ADMIN_TOKEN: Type.Optional(Type.String({
    minLength: 1,
    expected: 'a token', description: 'when set, every /__admin route but health and ready needs Authorization: Bearer <token>',
  })),
  MOCK_CORS_ORIGIN: Type.String({
    minLength: 1, default: '*',
    expected: '* or a comma-separated list of origins', description: 'origins whose pages may call the emulator',
  }),
  MOCK_ADMIN_CORS_ORIGIN: Type.Optional(Type.String({
    minLength: 1,
    expected: '* or a comma-separated list of origins',
    description: 'origins whose pages may call the admin API; unset: none (the emulator\'s own pages and clients that send no Origin always may)',
  })),
  MOCK_RANDOM_SEED: Type.Optional(Type.Integer({
    minimum: 0, maximum: 2 ** 32 - 1,
    expected: 'an integer from 0 to 4294967295',
    description: 'seed of every generated ID; unset, a fresh seed each start (logged, so a run can be replayed)',
  })),
  MOCK_HEADERS_TIMEOUT_MS: Type.Integer({
    minimum: 1, maximum: 600_000, default: 10_000,
    expected: 'a whole number of milliseconds from 1 to 600000',
    description: 'how long a client may take over a request\'s headers; past it: 408 APIGW.0201 and the connection closes',
  }),
  MOCK_REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1, maximum: 3_600_000, default: 30_000,
    expected: 'a whole number of milliseconds from 1 to 3600000, at least MOCK_HEADERS_TIMEOUT_MS',
    description: 'how long a client may take over a whole request, body included; past it: 408 APIGW.0201 and the connection closes',
  }),
  MOCK_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5_000,
    expected: 'a whole number of milliseconds from 1 to 600000',
    description: 'how long an idle keep-alive connection stays open (announced in Keep-Alive: timeout=; closed 1 s later)',
  }),
  MOCK_MAX_CONNECTIONS: Type.Integer({
    minimum: 1, maximum: 1_000_000, default: 1000,
    expected: 'a whole number from 1 to 1000000',
    description: 'open connections served at once; a request on one past it gets 429 APIGW.0308 with Retry-After and Connection: close',
  }),
  MOCK_HANG_MAX_MS: Type.Integer({
    minimum: 1, maximum: 86_400_000, default: 120_000,
    expected: 'a whole number of milliseconds from 1 to 86400000',
    description: 'how long a connection=hang fault holds its connection before closing it without an answer',
  }),
  MOCK_BODY_DRAIN_BYTES: Type.Integer({
    minimum: 0, maximum: 1024 ** 3, default: 64 * 1024 * 1024,
    expected: 'a whole number of bytes from 0 to 1073741824',
    description: 'how much of a body over MOCK_BODY_LIMIT is read and thrown away so the client can read its 413; a longer one is cut',
  }),
  MOCK_SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0, maximum: 600_000, default: 2000,
    expected: 'a whole number of milliseconds from 0 to 600000',
    description: 'on SIGTERM, how long answers still being sent may take before their connections are closed; exit 0 either way',
  }),
})

export type Config = Readonly<Static<typeof ConfigSchema>>
type ConfigKey = keyof Static<typeof ConfigSchema>

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/**
 * Where a setting's value came from: its default, its environment variable, its command-line flag,
 * or (a config not made by loadConfig) the code that built the config.
 */
type ConfigSource = 'default' | 'environment' | 'flag' | 'code'
export type ConfigSources = Readonly<Record<ConfigKey, ConfigSource>>
const sourcesOfConfigs = new WeakMap<Config, ConfigSources>()

/** Where each setting of `config` came from, as loadConfig recorded it. */
export function configSources(config: Config): ConfigSources {
  const recorded = sourcesOfConfigs.get(config)
  if (recorded !== undefined) return recorded
  const guessed = Object.entries(ConfigSchema.properties).map(([key, setting]) => {
    const value = config[key as ConfigKey]
    return [key, value === undefined || value === (setting as TSchema).default ? 'default' : 'code']
  })
  return Object.fromEntries(guessed) as Record<ConfigKey, ConfigSource>
}

/**
 * Reads the settings out of an environment and a command line (`--port 4000`, a flag wins over its
 * variable), converts and checks them, and reports every bad one at once. A command line that is
 * not this program's (an unknown flag) throws UsageError.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[] = []): Config {
  const flags = readFlags(argv, ConfigSchema.properties)
  const raw: Record<string, string> = {}
  const candidate: Record<string, unknown> = {}
  const sources = {} as Record<ConfigKey, ConfigSource>
  for (const [key, setting] of Object.entries(ConfigSchema.properties)) {
    const fromFlag = flags.settings[key]
    const value = (fromFlag ?? env[key])?.trim()
    sources[key as ConfigKey] = 'default'
    // An empty value (`MOCK_X=` in a compose file) means "not set", as in most twelve-factor tools.
    if (!value) continue
    raw[key] = value
    sources[key as ConfigKey] = fromFlag === undefined ? 'environment' : 'flag'
    // Only plain digits become numbers: "1.5" or "3000abc" must fail, not be truncated.
    const numeric = (setting.type === 'integer' && /^\d+$/.test(value)) || (setting.type === 'number' && /^\d+(\.\d+)?$/.test(value))
    candidate[key] = numeric ? Number(value) : value
  }
  Value.Default(ConfigSchema, candidate)
  // A bad value is named as it was given: `PORT="x"` from the environment, `--port "x" (PORT)` from a flag.
  const named = (key: ConfigKey) => (sources[key] === 'flag' ? `${flags.labels[key]} (${key})` : `${key}=${JSON.stringify(raw[key])}`)
  const problems = new Map<ConfigKey, string>()
  for (const error of Value.Errors(ConfigSchema, candidate)) {
    const key = error.path.split('/')[1] as ConfigKey
    const setting: TSchema = ConfigSchema.properties[key]
    problems.set(key, `${named(key)}: expected ${setting.expected as string}`)
  }
  for (const [key, problem] of flags.problems) problems.set(key as ConfigKey, `${flags.labels[key]} (${key}): ${problem}`)
  // What the fault settings mean, for those whose shape passed, so one message names every problem.
  for (const [key, problem] of configuredFaultProblems(candidate as Static<typeof ConfigSchema>, new Set(problems.keys()))) {
    problems.set(key as ConfigKey, sources[key as ConfigKey] === 'flag' ? `${flags.labels[key]}: ${problem}` : problem)
  }
  const clockStart = candidate.MOCK_CLOCK_START
  if (typeof clockStart === 'string' && !problems.has('MOCK_CLOCK_START') && (!isIsoDateTime(clockStart) || candidate.MOCK_CLOCK !== 'manual')) {
    problems.set('MOCK_CLOCK_START', `${named('MOCK_CLOCK_START')}: expected ${ConfigSchema.properties.MOCK_CLOCK_START.expected as string}`)
  }
  // Node refuses a headers timeout longer than the request timeout: say so here, naming both.
  const { MOCK_HEADERS_TIMEOUT_MS: headersMs, MOCK_REQUEST_TIMEOUT_MS: requestMs } = candidate
  if (!problems.has('MOCK_HEADERS_TIMEOUT_MS') && !problems.has('MOCK_REQUEST_TIMEOUT_MS') && (headersMs as number) > (requestMs as number)) {
    const request = sources.MOCK_REQUEST_TIMEOUT_MS === 'flag' ? named('MOCK_REQUEST_TIMEOUT_MS') : `MOCK_REQUEST_TIMEOUT_MS=${requestMs as number}`
    problems.set('MOCK_REQUEST_TIMEOUT_MS', `${request}: expected at least MOCK_HEADERS_TIMEOUT_MS (${headersMs as number})`)
  }
  if (problems.size > 0) {
    throw new ConfigError(`Invalid configuration (${problems.size}):\n  ${[...problems.values()].join('\n  ')}`)
  }
  const config = Object.freeze(candidate as Static<typeof ConfigSchema>)
  sourcesOfConfigs.set(config, Object.freeze(sources))
  return config
}
