import { Type, type SchemaOptions } from '@sinclair/typebox'

/**
 * A string enum as JSON Schema's `enum`, not TypeBox's union of constants: Ajv then reports one
 * "must be one of …" error instead of one error per constant.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}
