import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { TSchema } from '@sinclair/typebox'

/** One setting's command-line flag, derived from its entry in ConfigSchema. */
export interface SettingFlag {
  /** The environment variable, e.g. MOCK_RANDOM_SEED. */
  setting: string
  /** The flag without its dashes, e.g. `seed`. */
  name: string
  /** What --help shows after the flag: `N`, `lenient|strict`, `FILE`. */
  value: string
  /** The flag names a file whose text becomes the setting (the variable takes the text itself). */
  readsFile: boolean
  /** A sentence --help adds to the setting's description, when the flag differs from its variable. */
  note?: string
}

type FlagOverride = Partial<Pick<SettingFlag, 'name' | 'value' | 'readsFile' | 'note'>>

/**
 * Where the derived flag would be awkward. Every other setting gets its name without `MOCK_`,
 * lower-case, with dashes (MOCK_TASK_DURATION_MS → --task-duration-ms), so a new setting gets a flag
 * without touching this file.
 */
const OVERRIDES: Readonly<Record<string, FlagOverride>> = {
  HOST: { value: 'HOST' },
  MOCK_RANDOM_SEED: { name: 'seed' },
  MOCK_SEED_FILE: { value: 'FILE' },
  MOCK_PUBLIC_URL: { value: 'URL' },
  MOCK_ADMIN_TOKEN: { value: 'TOKEN' },
  MOCK_FAULTS: {
    value: 'FILE',
    readsFile: true,
    note: 'The flag takes a path to a JSON file of rules, or the JSON itself (starting with "[" or "{").',
  },
}

/** What --help shows after a flag whose override names nothing: the schema's literals, or the kind of value. */
function valueHint(schema: TSchema): string {
  const literals = (schema.anyOf as TSchema[] | undefined)?.map((member) => String(member.const))
  if (literals !== undefined) return literals.join('|')
  return schema.type === 'integer' ? 'N' : schema.type === 'number' ? 'NUMBER' : 'TEXT'
}

/** Every setting's flag, in the schema's order. */
export function settingFlags(properties: Readonly<Record<string, TSchema>>): SettingFlag[] {
  return Object.entries(properties).map(([setting, schema]) => ({
    setting,
    name: setting.replace(/^MOCK_/, '').toLowerCase().replaceAll('_', '-'),
    value: valueHint(schema),
    readsFile: false,
    ...OVERRIDES[setting],
  }))
}

/** The command line is not one this program takes (an unknown flag, a flag without its value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface FlagValues {
  help: boolean
  version: boolean
  /** Setting name → the text its flag gave (a file's text for flags that read one). */
  settings: Record<string, string>
  /** Setting name → the flag as it is named in a message: `--faults "rules.json"`. */
  labels: Record<string, string>
  /** Setting name → why its flag's value could not be read (a missing file): reported like a bad value. */
  problems: Map<string, string>
}

/**
 * Reads a command line: every token must be a known flag with a value (`--port 4000` or
 * `--port=4000`), or --help / --version. Throws UsageError for anything else.
 */
export function readFlags(argv: readonly string[], properties: Readonly<Record<string, TSchema>>): FlagValues {
  const flags = new Map(settingFlags(properties).map((flag) => [flag.name, flag]))
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...Object.fromEntries([...flags.keys()].map((name) => [name, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    // Not strict: the checks below give this program's own messages.
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  const values: FlagValues = { help: false, version: false, settings: {}, labels: {}, problems: new Map() }
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}: every option is a --flag`)
    if (token.name === 'help' || token.name === 'version') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`)
      values[token.name] = true
      continue
    }
    const flag = flags.get(token.name)
    if (flag === undefined) throw new UsageError(`unknown option ${token.rawName}`)
    // `--port --help`: parseArgs would take "--help" as the port; a value starting with - must be inline.
    if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${flag.value}, or ${token.rawName}=${flag.value})`)
    }
    values.labels[flag.setting] = `--${flag.name} ${JSON.stringify(token.value)}`
    values.problems.delete(flag.setting)
    if (!flag.readsFile || /^\s*[[{]/.test(token.value)) {
      values.settings[flag.setting] = token.value
      continue
    }
    try {
      values.settings[flag.setting] = readFileSync(token.value, 'utf8')
    } catch (error) {
      delete values.settings[flag.setting]
      values.problems.set(flag.setting, `cannot read the file (${(error as Error).message})`)
    }
  }
  return values
}
