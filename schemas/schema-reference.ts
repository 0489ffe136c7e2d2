import { Type } from '@sinclair/typebox'

/**
 * The top-level `"$schema"` an editor reads to find a document's JSON Schema (VS Code, JetBrains):
 * taken, and ignored, in every document a user writes by hand.
 */
export function SchemaReference(file: string) {
  return Type.Optional(Type.String({ description: `the JSON Schema this document follows, for editors (${file} in the package); ignored` }))
}
