import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readFlags, settingFlags, UsageError } from '../src/config-flags.js'
import { ConfigError, ConfigSchema, configSources, loadConfig } from '../src/config.js'

const flagOf = (setting: string) => settingFlags(ConfigSchema.properties).find((flag) => flag.setting === setting)

t.test('every setting has a flag: its name without MOCK_, lower-case, dashed, unless overridden', async (t) => {
  const flags = settingFlags(ConfigSchema.properties)
  t.strictSame(flags.map((flag) => flag.setting), Object.keys(ConfigSchema.properties), 'one per setting, in the schema\'s order')
  t.equal(new Set(flags.map((flag) => flag.name)).size, flags.length, 'no two settings share a flag')
  t.match(flagOf('PORT'), { name: 'port', value: 'N', readsFile: false })
  t.match(flagOf('MOCK_TASK_DURATION_MS'), { name: 'task-duration-ms', value: 'N' })
  t.match(flagOf('MOCK_WORLD'), { name: 'world', value: 'lenient|strict' })
  t.match(flagOf('MOCK_ERROR_RATE'), { name: 'error-rate', value: 'NUMBER' })
  t.match(flagOf('MOCK_CORS_ORIGIN'), { name: 'cors-origin', value: 'TEXT' })
  t.match(flagOf('MOCK_RANDOM_SEED'), { name: 'seed', value: 'N' })
  t.match(flagOf('MOCK_FAULTS'), { name: 'faults', value: 'FILE', readsFile: true })
})

t.test('a setting added to the schema gets a flag with no other change', async (t) => {
  const properties = { ...ConfigSchema.properties, MOCK_NEW_THING_MS: ConfigSchema.properties.MOCK_TASK_DURATION_MS }
  t.match(settingFlags(properties).at(-1), { setting: 'MOCK_NEW_THING_MS', name: 'new-thing-ms', value: 'N' })
  t.strictSame(readFlags(['--new-thing-ms', '5'], properties).settings, { MOCK_NEW_THING_MS: '5' })
})

t.test('reads --flag value and --flag=value, the last of a repeated flag, --help, -h and --version', async (t) => {
  t.match(readFlags(['--port', '4000', '--world=strict', '--port=4001'], ConfigSchema.properties), {
    help: false,
    version: false,
    settings: { PORT: '4001', MOCK_WORLD: 'strict' },
    labels: { PORT: '--port "4001"', MOCK_WORLD: '--world "strict"' },
  })
  t.match(readFlags(['-h'], ConfigSchema.properties), { help: true, version: false })
  t.match(readFlags(['--help', '--version'], ConfigSchema.properties), { help: true, version: true })
  t.match(readFlags(['--latency-ms=-5'], ConfigSchema.properties).settings, { MOCK_LATENCY_MS: '-5' }, 'a value starting with - is taken inline')
  t.strictSame(readFlags(['--'], ConfigSchema.properties).settings, {}, 'a lone -- is no setting')
})

t.test('refuses what is not this program\'s command line with a UsageError naming it', async (t) => {
  const cases: [string[], string][] = [
    [['--prot', '1'], 'unknown option --prot'],
    [['-p', '1'], 'unknown option -p'],
    [['serve'], 'unexpected argument "serve": every option is a --flag'],
    [['--', 'x'], 'unexpected argument "x": every option is a --flag'],
    [['--port'], '--port needs a value (--port N, or --port=N)'],
    [['--port='], '--port needs a value (--port N, or --port=N)'],
    [['--port', '--help'], '--port needs a value (--port N, or --port=N)'],
    [['--help=yes'], '--help takes no value'],
  ]
  for (const [argv, message] of cases) t.throws(() => readFlags(argv, ConfigSchema.properties), new UsageError(message), argv.join(' '))
})

t.test('--faults takes a file\'s text, or the JSON itself; an unreadable file is a problem of that flag', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'koodrive-flags-'))
  const rules = join(folder, 'rules.json')
  writeFileSync(rules, '[{"operation":"createShareTask","error":13000201}]')
  t.strictSame(readFlags(['--faults', rules], ConfigSchema.properties).settings, { MOCK_FAULTS: '[{"operation":"createShareTask","error":13000201}]' })
  t.strictSame(readFlags(['--faults', ' [] '], ConfigSchema.properties).settings, { MOCK_FAULTS: ' [] ' })
  t.strictSame(readFlags(['--faults', ' {"rules":[]}'], ConfigSchema.properties).settings, { MOCK_FAULTS: ' {"rules":[]}' }, 'the document form, inline')
  const missing = readFlags(['--faults', join(folder, 'none.json')], ConfigSchema.properties)
  t.strictSame(missing.settings, {})
  t.match(missing.problems.get('MOCK_FAULTS'), /^cannot read the file \(ENOENT: no such file or directory/)
  t.strictSame(readFlags(['--faults', join(folder, 'none.json'), `--faults=${rules}`], ConfigSchema.properties).problems, new Map(), 'a later good flag replaces the problem')
})

t.test('loadConfig: a flag wins over its variable, and each setting says where it came from', async (t) => {
  const config = loadConfig({ PORT: '5000', MOCK_WORLD: 'strict', MOCK_CLOCK: '' }, ['--port', '4000', '--seed', '9'])
  t.match(config, { PORT: 4000, MOCK_WORLD: 'strict', MOCK_RANDOM_SEED: 9, MOCK_CLOCK: 'real' })
  t.match(configSources(config), { PORT: 'flag', MOCK_RANDOM_SEED: 'flag', MOCK_WORLD: 'environment', MOCK_CLOCK: 'default', HOST: 'default' })
  t.strictSame(Object.keys(configSources(config)), Object.keys(ConfigSchema.properties))
  t.strictSame(configSources(loadConfig({})), Object.fromEntries(Object.keys(ConfigSchema.properties).map((key) => [key, 'default'])))
})

t.test('a config built in code says so for every value that is not its default', async (t) => {
  const built = { ...loadConfig({}), PORT: 1, MOCK_WORLD: 'lenient' as const }
  t.match(configSources(built), { PORT: 'code', MOCK_WORLD: 'default', MOCK_SEED_FILE: 'default' })
})

t.test('loadConfig: bad flag values are named as flags, bad variables as variables, in one ConfigError', async (t) => {
  const error = t.throws(() => loadConfig({ MOCK_CLOCK: 'sundial' }, ['--port', 'x', '--faults', '[{"operation":"nope","error":13000201}]', '--error', '1']))
  t.ok(error instanceof ConfigError)
  t.equal(
    (error as Error).message,
    'Invalid configuration (4):\n' +
      '  --port "x" (PORT): expected an integer from 0 to 65535\n' +
      '  MOCK_CLOCK="sundial": expected real or manual\n' +
      '  --error "1" (MOCK_ERROR): expected a KooDrive code (13000201) or a gateway code (APIGW.0308)\n' +
      '  --faults "[{\\"operation\\":\\"nope\\",\\"error\\":13000201}]": MOCK_FAULTS[0].operation: "nope" is not an operation; use * or one of getShareUserInfo, verifyShare, listShareFiles, createShareTask, getShareTaskDetail, downloadShareFile, cancelJob, getPublicShareUserInfo, verifyPublicShare, listPublicShareFiles, createPublicShareTask, getPublicShareTaskDetail, downloadPublicShareFile, downloadObject',
  )
  t.throws(() => loadConfig({}, ['--faults', '/no/such/file.json']), { message: /^Invalid configuration \(1\):\n {2}--faults "\/no\/such\/file.json" \(MOCK_FAULTS\): cannot read the file/ })
  t.throws(() => loadConfig({}, ['--nope']), new UsageError('unknown option --nope'))
})
