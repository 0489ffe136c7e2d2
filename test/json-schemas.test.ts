import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Ajv, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { jsonSchemaFiles } from '../scripts/json-schemas.js'
import { DEFAULT_WORLD } from '../src/domain/world/default-world.js'
import { checkSeed, SeedError } from '../src/domain/world/seed.js'
import { initialFaultRules } from '../src/faults/configured-faults.js'

const REPO = new URL('..', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, REPO), 'utf8')
const fixture = (name: string) => JSON.parse(read(`test/fixtures/${name}`)) as unknown

// Strict: a keyword draft-07 does not know, in the generated files, fails here as it would in an editor.
const ajv = new Ajv({ strict: true, allErrors: true })
addFormats.default(ajv)
const seedSchema = JSON.parse(read('schemas/seed.schema.json')) as Record<string, unknown>
const faultRulesSchema = JSON.parse(read('schemas/fault-rules.schema.json')) as Record<string, unknown>
const validSeed = ajv.compile(seedSchema)
const validFaultRules = ajv.compile(faultRulesSchema)
/** Where the schema says a document is wrong: `instancePath keyword`. */
const errorsOf = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((error) => `${error.instancePath} ${error.keyword}`)

t.test('schemas/*.schema.json are what the TypeBox schemas generate (run npm run openapi after changing a schema)', async (t) => {
  const files = jsonSchemaFiles()
  t.strictSame(Object.keys(files), ['seed.schema.json', 'fault-rules.schema.json'])
  for (const [name, text] of Object.entries(files)) t.equal(read(`schemas/${name}`), text, name)
})

t.test('each file is a draft-07 JSON Schema with its id, title and description', async (t) => {
  for (const schema of [seedSchema, faultRulesSchema]) {
    t.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#')
    t.ok(ajv.validateSchema(schema), `${String(schema.$id)} is valid against the draft-07 meta-schema`)
    t.match(schema, { $id: /^urn:koodrive-mock:schemas:/, title: /^koodrive-mock /, description: String })
  }
})

t.test('seed.schema.json takes the default world, the fixture and a document carrying $schema; it refuses a bad shape where the server does', async (t) => {
  t.ok(validSeed(DEFAULT_WORLD), 'the built-in world')
  t.ok(validSeed(fixture('seed-valid.json')), 'test/fixtures/seed-valid.json')
  t.ok(validSeed({ $schema: './node_modules/koodrive-mock/schemas/seed.schema.json', ...DEFAULT_WORLD }), 'with the editor\'s $schema')

  const shape = fixture('seed-invalid-shape.json')
  t.notOk(validSeed(shape))
  t.strictSame(errorsOf(validSeed.errors), ['/spaces/0/capacityBytes minimum'])
  t.throws(() => checkSeed(shape), SeedError, 'the server refuses it too')
  const cases: [string, unknown, string[]][] = [
    ['a folder type the API does not have', { ...DEFAULT_WORLD, files: [{ ...DEFAULT_WORLD.files[0], type: 'dir' }] }, ['/files/0/type const', '/files/0/type const', '/files/0/type anyOf']],
    ['a key the seed does not have', { ...DEFAULT_WORLD, groups: [] }, [' additionalProperties']],
    ['a date that is not ISO-8601', { ...DEFAULT_WORLD, shares: [{ ...DEFAULT_WORLD.shares[0], expireTime: 'tomorrow' }] }, ['/shares/0/expireTime format']],
    ['a $schema that is no string', { $schema: 1, ...DEFAULT_WORLD }, ['/$schema type']],
  ]
  for (const [name, document, errors] of cases) {
    t.notOk(validSeed(document), name)
    t.strictSame(errorsOf(validSeed.errors), errors, `${name}: the field is named`)
    t.throws(() => checkSeed(document), SeedError, `${name}: the server refuses it too`)
  }
  // What a schema cannot say: references between entries are the server's check alone.
  const dangling = fixture('seed-bad-reference.json')
  t.ok(validSeed(dangling), 'a dangling ownerId passes the schema')
  t.throws(() => checkSeed(dangling), { name: 'SeedError', message: /\n {2}spaces\[0\] \(containerId "IAAdana1"\): ownerId "dana" is not a user$/ }, 'the server names it')
})

t.test('fault-rules.schema.json takes the example rules file and the bare list the server takes; it refuses what the server refuses', async (t) => {
  const example = fixture('fault-rules.json') as { $schema: string; rules: unknown[] }
  t.ok(validFaultRules(example), `test/fixtures/fault-rules.json: ${JSON.stringify(validFaultRules.errors)}`)
  t.ok(validFaultRules(example.rules), 'the bare list')
  t.equal(initialFaultRules({ MOCK_FAULTS: JSON.stringify(example), MOCK_ERROR_RATE: 0, MOCK_ERROR: '13000201' }).length, 6, 'the server takes the file as it is')

  const cases: [string, unknown, string][] = [
    ['an operation that does not exist', [{ operation: 'createTask', error: 13000201 }], '/0/operation enum'],
    ['a connection fault that does not exist', { rules: [{ connection: 'explode' }] }, '/rules/0/connection anyOf'],
    ['a rule field that does not exist', [{ error: 13000201, chance: 0.5 }], '/0 additionalProperties'],
    ['a key the document does not have', { rules: [], comment: 'x' }, ' additionalProperties'],
    ['more than 1000 rules', Array.from({ length: 1001 }, () => ({ latencyMs: 1 })), ' maxItems'],
  ]
  for (const [name, document, error] of cases) {
    t.notOk(validFaultRules(document), name)
    t.ok(errorsOf(validFaultRules.errors).includes(error), `${name}: ${error} in ${JSON.stringify(errorsOf(validFaultRules.errors))}`)
    t.throws(() => initialFaultRules({ MOCK_FAULTS: JSON.stringify(document), MOCK_ERROR_RATE: 0, MOCK_ERROR: '13000201' }), { name: 'FaultRuleError' }, `${name}: the server refuses it too`)
  }
})

t.test('the package ships both files, and they resolve as koodrive-mock/schemas/<name>', async (t) => {
  // --ignore-scripts: the list comes from package.json's `files`; no build is needed to read it.
  const packed = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 })
  const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }]
  const paths = files.map((file) => file.path)
  for (const name of Object.keys(jsonSchemaFiles())) {
    t.ok(paths.includes(`schemas/${name}`), `npm pack lists schemas/${name}`)
    t.equal(createRequire(import.meta.url).resolve(`koodrive-mock/schemas/${name}`), fileURLToPath(new URL(`schemas/${name}`, REPO)), `package.json exports ./schemas/${name}`)
  }
  t.notOk(paths.includes('schemas/openapi.json') || paths.some((path) => path.startsWith('schemas/') && path.endsWith('.ts')), 'only the JSON Schema files of schemas/')
})
