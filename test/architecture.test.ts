import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const architecture = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

t.test('ARCHITECTURE.md lists every hook the code adds, with its phase and file', async (t) => {
  const hooks = sourceFiles(join(ROOT, 'src')).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/\.addHook\('(\w+)'/g)].map((match) => ({ phase: match[1] as string, file: relative(ROOT, path) })),
  )
  t.ok(hooks.length >= 15, `${hooks.length} hooks found`)
  const rows = architecture.split('\n').filter((line) => line.startsWith('| '))
  for (const { phase, file } of hooks) {
    const row = rows.find((line) => line.startsWith(`| ${phase} `) && line.includes(`\`${file}\``))
    t.ok(row, `${phase} in ${file} has a row`)
  }
})

t.test('every file ARCHITECTURE.md names exists', async (t) => {
  const named = [...architecture.matchAll(/`((?:src|schemas|test)\/[\w./-]+\.ts)`/g)].map((match) => match[1] as string)
  t.ok(named.length > 10)
  const files = new Set(sourceFiles(join(ROOT, 'src')).map((path) => relative(ROOT, path)))
  for (const file of named.filter((name) => name.startsWith('src/'))) t.ok(files.has(file), file)
})
