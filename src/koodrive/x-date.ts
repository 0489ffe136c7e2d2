const X_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

// Clients sign every call of a second with the same X-Date: the last one parsed is kept.
let lastValue = ''
let lastMs: number | undefined

/** Parses `yyyyMMdd'T'HHmmss'Z'` (UTC) to epoch milliseconds; undefined for a bad format or an impossible date. */
export function parseXDate(value: string): number | undefined {
  if (value !== lastValue) {
    lastMs = parseUncached(value)
    lastValue = value
  }
  return lastMs
}

function parseUncached(value: string): number | undefined {
  const parts = X_DATE_PATTERN.exec(value)
  if (parts === null) return undefined
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  // Date.UTC rolls 30 February over into March, and reads years below 100 as 19xx: what went in must come back.
  const date = new Date(ms)
  return day >= 1 && date.getUTCDate() === day && date.getUTCFullYear() === year ? ms : undefined
}

/** Epoch milliseconds to `yyyyMMdd'T'HHmmss'Z'`. */
export function formatXDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}
