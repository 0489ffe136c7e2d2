import t from 'tap'
import { RequestJournal, utf8Prefix, type JournalLimits, type JournalRecord } from '../../src/admin/request-journal.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0)

/** A journal holding `capacity` entries, with room enough in bytes unless `limits` say otherwise. */
const journalOf = (capacity: number, limits: Partial<JournalLimits> = {}) =>
  new RequestJournal({ capacity, maxBytes: 1024 ** 3, bodyBytes: 1024 ** 2, redact: true, ...limits })

/** A record of a JSON call, numbered `n`, made `n` seconds after T0; `fields` override any part. */
function record(n: number, fields: Partial<Omit<JournalRecord, 'seq'>> = {}): JournalRecord {
  const bodyText = fields.bodyText === undefined && 'bodyText' in fields ? undefined : (fields.bodyText ?? JSON.stringify({ shortUrl: `s${n}`, extractCode: '12345678' }))
  return {
    seq: 0,
    atMs: T0 + n * 1000,
    method: 'POST',
    path: '/koodrive/ose/v1/share/verify',
    query: '',
    operation: 'verifyShare',
    userId: 'u1',
    headers: { authorization: 'Bearer secret', 'x-user-id': 'u1' },
    bodyText,
    bodyBytes: bodyText === undefined ? 0 : Buffer.byteLength(bodyText),
    bodyTruncated: undefined,
    status: 200,
    responseText: JSON.stringify({ code: 0, msg: 'Success', kdstoken: 'k'.repeat(48) }),
    responseType: 'application/json; charset=utf-8',
    responseTruncated: undefined,
    durationMs: n / 10,
    fault: undefined,
    bytes: 0,
    ...fields,
  }
}

const ids = (journal: RequestJournal, limit = 100) => journal.list({}, limit).map((entry) => entry.id)

t.test('an entry as the admin API shows it: numbered, ISO time, secrets redacted, response parsed', async (t) => {
  const journal = journalOf(10)
  journal.record(record(1))
  t.strictSame(journal.list({}, 10), [
    {
      id: 1,
      time: '2026-11-26T10:00:01.000Z',
      method: 'POST',
      path: '/koodrive/ose/v1/share/verify',
      query: '',
      operation: 'verifyShare',
      userId: 'u1',
      headers: { authorization: '[Redacted]', 'x-user-id': 'u1' },
      body: { shortUrl: 's1', extractCode: '[Redacted]' },
      status: 200,
      responseBody: { code: 0, msg: 'Success', kdstoken: '[Redacted]' },
      durationMs: 0.1,
      fault: null,
    },
  ])
})

t.test('what is missing is null: user, body, response (streamed), fault', async (t) => {
  const journal = journalOf(10)
  journal.record(record(1, { userId: undefined, bodyText: undefined, responseText: undefined, responseType: 'application/zip', fault: 'slow' }))
  t.match(journal.list({}, 1)[0], { userId: null, body: null, responseBody: null, fault: 'slow' })
})

t.test('a response that is not JSON stays the text it was', async (t) => {
  const journal = journalOf(10)
  const xml = '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'
  journal.record(record(1, { responseText: xml, responseType: 'application/xml' }))
  journal.record(record(2, { responseText: 'plain', responseType: undefined }))
  journal.record(record(3, { responseText: '<html>502</html>', responseType: 'application/json; charset=utf-8' }))
  journal.record(record(4, { responseText: '{"kdstoken":"x"}', responseType: 'text/plain' }))
  t.strictSame(
    journal.list({}, 10).map((entry) => entry.responseBody),
    ['{"kdstoken":"x"}', '<html>502</html>', 'plain', xml],
    'XML, no content type, invalid JSON under a JSON content type (a malformed fault), JSON under text/plain',
  )
})

t.test('records keep their order and numbers: newest first', async (t) => {
  const journal = journalOf(10)
  for (let n = 1; n <= 4; n++) journal.record(record(n))
  t.equal(journal.size, 4)
  t.strictSame(ids(journal), [4, 3, 2, 1])
  t.strictSame(ids(journal, 2), [4, 3], 'a limit keeps the newest')
  t.strictSame(ids(journal, 0), [])
})

t.test('past its capacity the oldest go, and the ring wraps around more than once', async (t) => {
  const journal = journalOf(3)
  for (let n = 1; n <= 3; n++) journal.record(record(n))
  t.strictSame(ids(journal), [3, 2, 1], 'exactly full')
  journal.record(record(4))
  t.equal(journal.size, 3)
  t.strictSame(ids(journal), [4, 3, 2])
  for (let n = 5; n <= 8; n++) journal.record(record(n))
  t.equal(journal.size, 3)
  t.strictSame(ids(journal), [8, 7, 6])
  t.strictSame(journal.list({}, 3).map((entry) => entry.body), [{ shortUrl: 's8', extractCode: '[Redacted]' }, { shortUrl: 's7', extractCode: '[Redacted]' }, { shortUrl: 's6', extractCode: '[Redacted]' }])
  t.equal(journal.count({}), 3)
})

t.test('a capacity of one keeps the last record', async (t) => {
  const journal = journalOf(1)
  journal.record(record(1))
  journal.record(record(2))
  t.strictSame(ids(journal), [2])
})

t.test('capacity 0 records nothing', async (t) => {
  const journal = journalOf(0)
  journal.record(record(1))
  journal.record(record(2))
  t.equal(journal.capacity, 0)
  t.equal(journal.size, 0)
  t.equal(journal.count({}), 0)
  t.strictSame(journal.list({}, 10), [])
  journal.clear()
  t.equal(journal.size, 0)
})

t.test('clear empties it; numbering goes on and the ring starts over', async (t) => {
  const journal = journalOf(3)
  for (let n = 1; n <= 5; n++) journal.record(record(n))
  journal.clear()
  t.equal(journal.size, 0)
  t.strictSame(journal.list({}, 10), [])
  t.equal(journal.count({}), 0)
  journal.record(record(6))
  journal.record(record(7))
  t.strictSame(ids(journal), [7, 6])
})

t.test('filters: operation, status, userId, since (inclusive), together', async (t) => {
  const journal = journalOf(10)
  journal.record(record(1))
  journal.record(record(2, { operation: 'createShareTask', status: 400, userId: 'ann' }))
  journal.record(record(3, { operation: 'createShareTask', userId: undefined }))
  journal.record(record(4, { status: 500, userId: 'ann' }))
  const matching = (filter: Parameters<RequestJournal['count']>[0]) => ({ count: journal.count(filter), ids: journal.list(filter, 10).map((entry) => entry.id) })
  t.strictSame(matching({}), { count: 4, ids: [4, 3, 2, 1] })
  t.strictSame(matching({ operation: 'createShareTask' }), { count: 2, ids: [3, 2] })
  t.strictSame(matching({ status: 400 }), { count: 1, ids: [2] })
  t.strictSame(matching({ userId: 'ann' }), { count: 2, ids: [4, 2] })
  t.strictSame(matching({ userId: 'u1' }), { count: 1, ids: [1] }, 'a record without a user matches no userId')
  t.strictSame(matching({ sinceMs: T0 + 3000 }), { count: 2, ids: [4, 3] }, 'since is inclusive')
  t.strictSame(matching({ sinceMs: T0 + 3001 }), { count: 1, ids: [4] })
  t.strictSame(matching({ operation: 'verifyShare', userId: 'ann', status: 500, sinceMs: T0 }), { count: 1, ids: [4] })
  t.strictSame(matching({ operation: 'verifyShare', status: 400 }), { count: 0, ids: [] })
  t.strictSame(journal.list({ userId: 'ann' }, 1).map((entry) => entry.id), [4], 'limit applies after the filter')
})

t.test('the record is kept as it happened: redaction is on the way out and leaves the record alone', async (t) => {
  const journal = journalOf(2)
  const kept = record(1)
  journal.record(kept)
  t.match(journal.list({}, 1)[0], { headers: { authorization: '[Redacted]' }, body: { extractCode: '[Redacted]' } })
  t.strictSame(kept.headers, { authorization: 'Bearer secret', 'x-user-id': 'u1' })
  t.equal(kept.bodyText, JSON.stringify({ shortUrl: 's1', extractCode: '12345678' }))
})

t.test('a body longer than the cap is kept as its first bytes, as text, marked with both lengths', async (t) => {
  const journal = journalOf(10, { bodyBytes: 32 })
  const body = JSON.stringify({ shortUrl: 'x', junk: 'y'.repeat(100), kdstoken: 'secret' })
  journal.record(record(1, { bodyText: body, responseText: `{"code":13000102,"msg":"${'m'.repeat(60)}"}` }))
  const entry = journal.list({}, 1)[0]
  t.equal(entry?.body, body.slice(0, 32), 'the first 32 bytes, shown as the text they are (not JSON any more)')
  t.strictSame(entry?.bodyTruncated, { originalBytes: Buffer.byteLength(body), keptBytes: 32 })
  t.equal(entry?.responseBody, `{"code":13000102,"msg":"${'m'.repeat(8)}`)
  t.strictSame(entry?.responseBodyTruncated, { originalBytes: 86, keptBytes: 32 })
})

t.test('a body at the cap is kept whole and parsed; no truncation mark', async (t) => {
  const body = JSON.stringify({ shortUrl: 'abcdefghij' })
  const journal = journalOf(10, { bodyBytes: Buffer.byteLength(body) })
  journal.record(record(1, { bodyText: body, responseText: 'ok' }))
  const entry = journal.list({}, 1)[0]
  t.strictSame(entry?.body, { shortUrl: 'abcdefghij' })
  t.notOk('bodyTruncated' in (entry as object))
  t.notOk('responseBodyTruncated' in (entry as object))
})

t.test('a body cut in the middle of a character keeps only whole characters', async (t) => {
  t.equal(utf8Prefix('aé€😀', 1), 'a')
  t.equal(utf8Prefix('aé€😀', 2), 'a', 'é takes two bytes')
  t.equal(utf8Prefix('aé€😀', 3), 'aé')
  t.equal(utf8Prefix('aé€😀', 5), 'aé', '€ takes three')
  t.equal(utf8Prefix('aé€😀', 9), 'aé€', 'the emoji takes four')
  t.equal(utf8Prefix('aé€😀', 10), 'aé€😀')
  const journal = journalOf(10, { bodyBytes: 4 })
  journal.record(record(1, { bodyText: '"€€€"', bodyBytes: 11 }))
  t.strictSame(journal.list({}, 1)[0]?.bodyTruncated, { originalBytes: 11, keptBytes: 4 })
  t.equal(journal.list({}, 1)[0]?.body, '"€')
})

t.test('a byte budget: past it the oldest entries go, however few there are', async (t) => {
  const big = (n: number) => record(n, { bodyText: JSON.stringify({ junk: 'x'.repeat(10_000) }) })
  const journal = journalOf(100, { maxBytes: 40_000, bodyBytes: 20_000 })
  for (let n = 1; n <= 10; n++) journal.record(big(n))
  t.ok(journal.bytes <= 40_000, `within the budget: ${journal.bytes} bytes`)
  t.strictSame(ids(journal), [10, 9, 8], 'three ~10.7 kB entries fit in 40 000 bytes')
  journal.record(record(11))
  t.strictSame(ids(journal), [11, 10, 9, 8], 'a small one fits beside them')
  journal.clear()
  t.equal(journal.bytes, 0, 'clear gives the bytes back')
})

t.test('the newest entry stays even when it alone is over the budget', async (t) => {
  const journal = journalOf(10, { maxBytes: 100, bodyBytes: 1000 })
  journal.record(record(1))
  journal.record(record(2, { bodyText: JSON.stringify({ junk: 'x'.repeat(900) }) }))
  t.strictSame(ids(journal), [2])
})

t.test('what an entry counts: texts kept, headers, path and query, and a fixed overhead', async (t) => {
  const journal = journalOf(10)
  const kept = record(1, { headers: { a: 'bb', list: ['c', 'd'], none: undefined }, path: '/p', query: 'q=1', responseText: 'ok' })
  journal.record(kept)
  const bodyBytes = kept.bodyBytes
  t.equal(kept.bytes, 512 + (1 + 2) + (4 + 4) + 4 + 2 + 3 + bodyBytes + 2)
  t.equal(journal.bytes, kept.bytes)
})

t.test('a long response counts its bytes, not its characters', async (t) => {
  const journal = journalOf(10, { bodyBytes: 10_000 })
  const kept = record(1, { responseText: '€'.repeat(3000), bodyText: undefined, headers: {}, path: '', query: '' })
  journal.record(kept)
  t.equal(kept.bytes, 512 + 9000)
  t.equal(kept.responseTruncated, undefined)
})

t.test('MOCK_JOURNAL_REDACT=false: entries show secrets as sent, in the query too', async (t) => {
  const journal = journalOf(10, { redact: false })
  journal.record(record(1, { query: 'kdstoken=abc' }))
  t.match(journal.list({}, 1)[0], {
    query: 'kdstoken=abc',
    headers: { authorization: 'Bearer secret' },
    body: { extractCode: '12345678' },
    responseBody: { kdstoken: 'k'.repeat(48) },
  })
})

t.test('secret values in the query are redacted when read', async (t) => {
  const journal = journalOf(10)
  journal.record(record(1, { query: 'shortUrl=1&kdstoken=abc&extractCode=31945314' }))
  t.equal(journal.list({}, 1)[0]?.query, 'shortUrl=1&kdstoken=[Redacted]&extractCode=[Redacted]')
})

t.test('a body nested deeper than a view can show is shown down to the bound, never failing', async (t) => {
  const journal = journalOf(10)
  journal.record(record(1, { bodyText: `${'['.repeat(5000)}${']'.repeat(5000)}` }))
  const entry = journal.list({}, 1)[0]
  t.doesNotThrow(() => JSON.stringify(entry))
  t.match(JSON.stringify(entry?.body), /\[Nested deeper than 64 levels\]/)
})
