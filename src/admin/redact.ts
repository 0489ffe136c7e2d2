/** Keys whose values never leave the emulator: tokens and access codes, wherever they sit. */
const SECRET_KEYS = new Set(['authorization', 'kdstoken', 'extractcode'])
export const REDACTED = '[Redacted]'

/** A deep copy of `value` with every secret replaced, at any depth, in objects and arrays alike. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (typeof value !== 'object' || value === null) return value
  const copy: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(inner)
  return copy
}
