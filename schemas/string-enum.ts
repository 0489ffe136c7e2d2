import { Type, type SchemaOptions, type TLiteral } from '@sinclair/typebox'

/**
 * A string enum as JSON Schema's `enum`, not TypeBox's union of constants: Ajv then reports one
 * "must be one of …" error instead of one error per constant.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/**
 * An integer constant. TypeBox's Literal(0) says `type: number`, which the API docs would pass on
 * (and generators turn into a float); this says `integer`. The check (`const`) is the same.
 */
export function IntegerLiteral<const T extends number>(value: T, options: SchemaOptions = {}): TLiteral<T> {
  return { ...Type.Literal(value, options), type: 'integer' } as TLiteral<T>
}

/** `code: 0` of every success: an integer, as the vendor's `code` is. */
export const SuccessCode = IntegerLiteral(0)
