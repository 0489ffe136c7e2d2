/**
 * `yyyyMMdd'T'HHmmss'Z'` in UTC (ISO 8601's basic format, to the second): the format of X-Date and
 * of X-Amz-Date in presigned URLs alike.
 *
 * @example
 * formatBasicUtc(Date.UTC(2025, 10, 3, 7, 1, 40)) // '20251103T070140Z'
 */
export function formatBasicUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

const BASIC_UTC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/** Parses `yyyyMMdd'T'HHmmss'Z'` (UTC) to epoch milliseconds; undefined for a bad format or an impossible date. */
export function parseBasicUtc(value: string): number | undefined {
  const parts = BASIC_UTC.exec(value)
  if (parts === null) return undefined
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  // Date.UTC rolls 30 February over into March, and reads years below 100 as 19xx: what went in must come back.
  const date = new Date(ms)
  return day >= 1 && date.getUTCDate() === day && date.getUTCFullYear() === year ? ms : undefined
}
