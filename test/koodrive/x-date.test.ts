import t from 'tap'
import { formatXDate, parseXDate } from '../../src/koodrive/x-date.js'

t.test('formatXDate writes UTC as yyyyMMddTHHmmssZ, dropping milliseconds', async (t) => {
  t.equal(formatXDate(Date.UTC(2025, 10, 3, 7, 1, 40)), '20251103T070140Z', 'the vendor\'s example')
  t.equal(formatXDate(Date.UTC(2026, 10, 26, 10, 0, 0, 999)), '20261126T100000Z', 'milliseconds are truncated, not rounded')
  t.equal(formatXDate(0), '19700101T000000Z')
})

t.test('parseXDate reads the vendor\'s example as UTC', async (t) => {
  t.equal(parseXDate('20251103T070140Z'), Date.UTC(2025, 10, 3, 7, 1, 40))
})

t.test('parseXDate and formatXDate round-trip every whole second', async (t) => {
  for (const ms of [0, Date.UTC(2024, 1, 29, 23, 59, 59), Date.UTC(2026, 11, 31, 23, 59, 59), Date.UTC(2000, 0, 1)]) {
    t.equal(parseXDate(formatXDate(ms)), ms, formatXDate(ms))
  }
})

t.test('parseXDate accepts a leap day in a leap year', async (t) => {
  t.equal(parseXDate('20240229T120000Z'), Date.UTC(2024, 1, 29, 12))
})

t.test('parseXDate rejects anything not shaped yyyyMMddTHHmmssZ', async (t) => {
  for (const bad of [
    '',
    '2025-11-03T07:01:40Z',
    '20251103T070140',
    '20251103 070140Z',
    '20251103t070140z',
    '20251103T0701Z',
    '202511030T70140Z',
    '20251103T070140.000Z',
    ' 20251103T070140Z',
    '20251103T070140Z ',
    'Mon, 03 Nov 2025 07:01:40 GMT',
    '１２３４1103T070140Z',
  ]) {
    t.equal(parseXDate(bad), undefined, JSON.stringify(bad))
  }
})

t.test('parseXDate rejects impossible dates that Date.UTC would roll over', async (t) => {
  for (const impossible of [
    '20251332T070140Z', // month 13, day 32
    '20251301T000000Z', // month 13
    '20250001T000000Z', // month 0
    '20251100T000000Z', // day 0
    '20251131T000000Z', // 31 November
    '20250229T000000Z', // 29 February outside a leap year
    '20251103T240000Z', // hour 24
    '20251103T076000Z', // minute 60
    '20251231T235960Z', // second 60 (a leap second)
    '00500101T000000Z', // Date.UTC maps years 0-99 to 1900-1999
  ]) {
    t.equal(parseXDate(impossible), undefined, impossible)
  }
})
