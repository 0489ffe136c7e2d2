/**
 * `yyyyMMdd'T'HHmmss'Z'` in UTC (ISO 8601's basic format, to the second): the format of X-Date and
 * of X-Amz-Date in presigned URLs alike.
 *
 * @example
 * formatBasicUtc(Date.UTC(2025, 10, 3, 7, 1, 40)) // '20251103T070140Z'
 */
export const formatBasicUtc = bySecond((ms: number): string => {
  const iso = new Date(ms).toISOString()
  // Slices of yyyy-MM-ddTHH:mm:ss.sssZ cost a fraction of the regular expressions (a presigned URL
  // is made on every poll of a finished package); they stay for years past 9999 (±yyyyyy-…).
  if (iso.length !== ISO_LENGTH) return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
})

/** `yyyyMMddHHmmss` (UTC), the vendor's format for task times; slices as formatBasicUtc's. */
export const formatCompactUtc = bySecond((ms: number): string => {
  const iso = new Date(ms).toISOString()
  if (iso.length !== ISO_LENGTH) return iso.replace(/[-:T]/g, '').slice(0, 14)
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`
})

/** Seconds a formatter keeps the text of; past them it starts again. */
const SECONDS_KEPT = 256

/**
 * A formatter to the second that formats each second once: a poll writes the same three task times
 * every time (toISOString was ~3 % of a poll's CPU), and a presigned URL the current second.
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

/** The length of toISOString's yyyy-MM-ddTHH:mm:ss.sssZ. */
const ISO_LENGTH = 24

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
