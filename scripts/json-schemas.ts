// The JSON Schema files of the documents people write by hand, from the TypeBox schemas the server
// checks them with: schemas/seed.schema.json (MOCK_SEED_FILE, PUT /__admin/world) and
// schemas/fault-rules.schema.json (MOCK_FAULTS, --faults). An editor given one (`"$schema"`) checks
// and completes the document. npm run openapi writes them, and a test fails when they are stale.
import type { TSchema } from '@sinclair/typebox'
import { FaultRuleSchema, FaultRulesFileSchema } from '../schemas/fault-rule.js'
import { SeedSchema } from '../schemas/seed.js'
import { FAULTABLE_OPERATIONS } from '../src/koodrive/operations.js'

/** Draft-07: what TypeBox's output is (`const`, `examples`, no `prefixItems`) and what editors know best. */
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** A TypeBox schema as plain JSON: its symbol keys (Kind, Optional) left behind. */
const plain = (schema: TSchema): { [key: string]: Json } => JSON.parse(JSON.stringify(schema)) as { [key: string]: Json }

/** `document` with every copy of `part` replaced by a reference to `#/definitions/<name>`. */
function referring(document: Json, name: string, part: Json): Json {
  const text = JSON.stringify(part)
  const walk = (node: Json): Json => {
    if (JSON.stringify(node) === text) return { $ref: `#/definitions/${name}` }
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]))
  }
  return walk(document)
}

function seedSchema(): Json {
  return {
    $schema: DRAFT_07,
    $id: 'urn:koodrive-mock:schemas:seed',
    title: 'koodrive-mock world seed',
    description:
      'The world koodrive-mock starts from (MOCK_SEED_FILE, --seed-file) or is given (PUT /__admin/world): users, their spaces, the files in them and the shares of those files. ' +
      'The server also checks what a schema cannot: unique IDs, and that every reference points at something.',
    ...plain(SeedSchema),
  }
}

function faultRulesSchema(): Json {
  const rule = plain(FaultRuleSchema)
  // The operations a rule may name: the server refuses any other, so an editor can offer these.
  const operation = (rule.properties as { [key: string]: { [key: string]: Json } }).operation as { [key: string]: Json }
  const withOperations = { ...rule, properties: { ...(rule.properties as object), operation: { ...operation, enum: ['*', ...FAULTABLE_OPERATIONS] } } }
  const { description: _union, ...file } = plain(FaultRulesFileSchema)
  return {
    $schema: DRAFT_07,
    $id: 'urn:koodrive-mock:schemas:fault-rules',
    title: 'koodrive-mock fault rules',
    description:
      'Fault rules as MOCK_FAULTS and --faults take them: a list, or {"$schema": …, "rules": [the list]} so an editor finds this schema. ' +
      'The server also checks what a schema cannot: a rule has an effect, a latency range runs upwards, a gateway code is known.',
    definitions: { faultRule: withOperations },
    ...(referring(file, 'faultRule', rule) as { [key: string]: Json }),
  }
}

/** Each generated file's name under schemas/ and its text. */
export function jsonSchemaFiles(): Record<string, string> {
  const text = (document: Json) => `${JSON.stringify(document, null, 2)}\n`
  return { 'seed.schema.json': text(seedSchema()), 'fault-rules.schema.json': text(faultRulesSchema()) }
}
