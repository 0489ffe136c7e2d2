/**
 * `yyyyMMdd'T'HHmmss'Z'` in UTC (ISO 8601's basic format, to the second): the format of X-Date and
 * of X-Amz-Date in presigned URLs alike.
 *
 * @example
 * formatBasicUtc(Date.UTC(2025, 10, 3, 7, 1, 40)) // '20251103T070140Z'
 */
export const formatBasicUtc = bySecond((ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''))

/** `yyyyMMddHHmmss` (UTC), the vendor's format for task times. */
export const formatCompactUtc = bySecond((ms) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14))

/** Seconds a formatter keeps the text of; past them it starts again. */
const SECONDS_KEPT = 256

/**
 * A formatter to the second that formats each second once: a poll writes the same three task times
 * every time and a presigned URL the current second (formatting them afresh was ~4 % of a poll's CPU).
 */
function bySecond(format: (ms: number) => string): (ms: number) => string {
  const kept = new Map<number, string>()
  return (ms) => {
    const second = Math.floor(ms / 1000)
    let text = kept.get(second)
    if (text === undefined) {
      text = format(ms)
      if (kept.size >= SECONDS_KEPT) kept.clear()
      kept.set(second, text)
    }
    return text
  }
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
