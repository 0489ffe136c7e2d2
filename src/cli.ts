import type { TSchema } from '@sinclair/typebox'
import { readFlags, settingFlags, UsageError } from './config-flags.js'
import { ConfigError, ConfigSchema, loadConfig, type Config } from './config.js'
import { VERSION } from './version.js'

/** What the command line asks for: a server with this config, or text to print and an exit code. */
export type CommandLine = { config: Config } | { exitCode: 0 | 1 | 2; stdout: string; stderr: string }

const PROGRAM = 'koodrive-mock'
const HELP_WIDTH = 80
const INDENT = '      '

/** `text` broken into lines of at most HELP_WIDTH, each starting with INDENT. */
function wrap(text: string): string[] {
  const lines: string[] = []
  let line = INDENT
  for (const word of text.split(/\s+/)) {
    if (line.length > INDENT.length && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line)
      line = INDENT
    }
    line += line.length > INDENT.length ? ` ${word}` : word
  }
  lines.push(line)
  return lines
}

/** --help: every setting's flag, what it does, its variable and its default, from ConfigSchema. */
export function helpText(): string {
  const lines = [
    `Usage: ${PROGRAM} [options]`,
    '',
    "A local emulator of Huawei Cloud KooDrive's asynchronous sharing task API.",
    'Every option is also an environment variable (named below it); an option wins over its variable.',
    '',
    'Options:',
  ]
  for (const flag of settingFlags(ConfigSchema.properties)) {
    const setting: TSchema = ConfigSchema.properties[flag.setting as keyof typeof ConfigSchema.properties]
    lines.push(`  --${flag.name} ${flag.value}`)
    lines.push(...wrap(`${String(setting.description)}.${flag.note === undefined ? '' : ` ${flag.note}`}`))
    lines.push(`${INDENT}${flag.setting}, ${setting.default === undefined ? 'unset by default' : `default ${String(setting.default)}`}`)
  }
  lines.push('  -h, --help', `${INDENT}print this help and exit`, '  --version', `${INDENT}print the version (${VERSION}) and exit`, '')
  lines.push('Once it runs: the API docs at /__admin/docs, liveness at /__admin/health, the settings in use at /__admin/config.')
  return `${lines.join('\n')}\n`
}

/**
 * Reads argv and the environment as the `koodrive-mock` command does: --help and --version print,
 * a command line it does not take exits 2, bad settings exit 1 with one message naming each.
 */
export function readCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  try {
    const flags = readFlags(argv, ConfigSchema.properties)
    if (flags.help) return { exitCode: 0, stdout: helpText(), stderr: '' }
    if (flags.version) return { exitCode: 0, stdout: `${VERSION}\n`, stderr: '' }
    return { config: loadConfig(env, argv) }
  } catch (error) {
    if (error instanceof UsageError) {
      return { exitCode: 2, stdout: '', stderr: `${PROGRAM}: ${error.message}\nRun ${PROGRAM} --help for the options.\n` }
    }
    if (error instanceof ConfigError) return { exitCode: 1, stdout: '', stderr: `${PROGRAM}: ${error.message}\n` }
    throw error
  }
}
