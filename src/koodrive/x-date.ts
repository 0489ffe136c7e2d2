import { parseBasicUtc } from '../domain/time-and-ids/utc-time.js'

// Clients sign every call of a second with the same X-Date: the last one parsed is kept.
let lastValue = ''
let lastMs: number | undefined

/** Parses `yyyyMMdd'T'HHmmss'Z'` (UTC) to epoch milliseconds; undefined for a bad format or an impossible date. */
export function parseXDate(value: string): number | undefined {
  if (value !== lastValue) {
    lastMs = parseBasicUtc(value)
    lastValue = value
  }
  return lastMs
}

/** Epoch milliseconds to `yyyyMMdd'T'HHmmss'Z'`, the one formatter of that shape. */
export { formatBasicUtc as formatXDate } from '../domain/time-and-ids/utc-time.js'
