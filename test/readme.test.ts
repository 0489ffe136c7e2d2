import { readFileSync } from 'node:fs'
import t from 'tap'
import { ConfigSchema } from '../src/config.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

t.test('the README opens with the run and test commands', async (t) => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  t.match(firstBlock, /^npm ci && npm start/m)
  t.match(firstBlock, /^npm ci && npm test/m)
})

t.test('the README documents every setting with its default', async (t) => {
  for (const [name, setting] of Object.entries(ConfigSchema.properties)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
    t.ok(row, `${name} has a row`)
    if (setting.default !== undefined) t.match(row, `\`${setting.default}\``, `${name} shows its default`)
  }
})
