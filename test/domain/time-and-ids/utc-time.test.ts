import fc from 'fast-check'
import t from 'tap'
import { formatBasicUtc, formatCompactUtc } from '../../../src/domain/time-and-ids/utc-time.js'

// Each instant formatted afresh: what the formatters, which keep each second's text, must still give.
const basicByRegExp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
const compactByRegExp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)

/** Every instant a Date can hold: years -271821 to 275760, 0 to 9999 among them. */
const anyInstant = fc.integer({ min: -8.64e15, max: 8.64e15 })

t.test('formatBasicUtc writes yyyyMMddTHHmmssZ, as the regular expressions did, for any instant', async (t) => {
  t.equal(formatBasicUtc(Date.UTC(2025, 10, 3, 7, 1, 40, 999)), '20251103T070140Z')
  t.equal(formatBasicUtc(Date.UTC(10000, 0, 1)), '+0100000101T000000Z', 'a year past 9999 as before')
  fc.assert(fc.property(anyInstant, (ms) => formatBasicUtc(ms) === basicByRegExp(ms)))
  fc.assert(fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => formatBasicUtc(ms) === basicByRegExp(ms)))
})

t.test('formatCompactUtc writes yyyyMMddHHmmss, as the regular expression did, for any instant', async (t) => {
  t.equal(formatCompactUtc(Date.UTC(1999, 11, 31, 23, 59, 59, 500)), '19991231235959')
  t.equal(formatCompactUtc(Date.parse('-000001-01-01T00:00:00Z')), '00000101010000', 'a year before 0 as before')
  fc.assert(fc.property(anyInstant, (ms) => formatCompactUtc(ms) === compactByRegExp(ms)))
  fc.assert(fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => formatCompactUtc(ms) === compactByRegExp(ms)))
})

t.test('a second formatted again gives the same text, past the seconds kept too', async (t) => {
  const first = formatCompactUtc(Date.UTC(2026, 10, 26, 10, 0, 0, 100))
  t.equal(formatCompactUtc(Date.UTC(2026, 10, 26, 10, 0, 0, 900)), first, 'another millisecond of the same second')
  t.equal(formatCompactUtc(Date.UTC(2026, 10, 26, 10, 0, 1)), '20261126100001', 'the next second its own')
  for (let i = 0; i < 300; i++) formatBasicUtc(Date.UTC(2026, 0, 1) + i * 1000)
  t.equal(formatBasicUtc(Date.UTC(2026, 0, 1) + 299_500), '20260101T000459Z', 'after more seconds than are kept')
  t.equal(formatBasicUtc(-1), '19691231T235959Z', 'before 1970: the second it falls in')
  t.throws(() => formatBasicUtc(Number.NaN), RangeError, 'no date at all fails as toISOString does')
})
