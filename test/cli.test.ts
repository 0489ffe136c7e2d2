import t from 'tap'
import { helpText, readCommandLine } from '../src/cli.js'
import { ConfigSchema } from '../src/config.js'
import { settingFlags } from '../src/config-flags.js'
import { VERSION } from '../src/version.js'

t.test('--help names every flag, its variable and its default, in lines of at most 80 columns', async (t) => {
  const help = helpText()
  for (const flag of settingFlags(ConfigSchema.properties)) {
    const setting = ConfigSchema.properties[flag.setting as keyof typeof ConfigSchema.properties]
    const variableLine = `      ${flag.setting}, ${setting.default === undefined ? 'unset by default' : `default ${String(setting.default)}`}\n`
    t.ok(help.includes(`\n  --${flag.name} ${flag.value}\n`), `--${flag.name}`)
    t.ok(help.includes(variableLine), variableLine.trim())
  }
  // Words, not lines: the wrapping moves with the description.
  t.match(help.replace(/\s+/g, ' '), /--faults FILE [^-]*? takes a path to a JSON file of rules, or the JSON itself \(starting with "\[" or "\{"\)/, '--help says --faults takes a file')
  t.match(help, /\n {2}-h, --help\n/)
  t.match(help, new RegExp(`\\n {2}--version\\n {6}print the version \\(${VERSION.replaceAll('.', '\\.')}\\) and exit\\n`))
  const wide = help.split('\n').filter((line) => line.length > 80 && !line.startsWith('  --') && !line.startsWith('Every option') && !line.startsWith('Once it runs'))
  t.strictSame(wide, [], 'descriptions wrap')
})

t.test('readCommandLine: help and version print, usage errors exit 2, bad settings exit 1, else a config', async (t) => {
  t.strictSame(readCommandLine(['--port', 'x', '--help'], {}), { exitCode: 0, stdout: helpText(), stderr: '' }, '--help wins over a bad value')
  t.strictSame(readCommandLine(['--version'], {}), { exitCode: 0, stdout: `${VERSION}\n`, stderr: '' })
  t.strictSame(readCommandLine(['--help', '--nope'], {}), { exitCode: 2, stdout: '', stderr: 'koodrive-mock: unknown option --nope\nRun koodrive-mock --help for the options.\n' })
  t.strictSame(readCommandLine([], { PORT: 'x' }), { exitCode: 1, stdout: '', stderr: 'koodrive-mock: Invalid configuration (1):\n  PORT="x": expected an integer from 0 to 65535\n' })
  const run = readCommandLine(['--port', '4000'], { PORT: '5000' })
  t.ok('config' in run && run.config.PORT === 4000)
})

t.test('readCommandLine: an unexpected error is a bug and keeps its type and stack', async (t) => {
  const broken = new Proxy({}, { get: () => { throw new TypeError('environment exploded') } })
  t.throws(() => readCommandLine([], broken), new TypeError('environment exploded'))
})
