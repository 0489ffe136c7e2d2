import t from 'tap'
import { RequestJournal, type JournalRecord } from '../../src/admin/request-journal.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0)

/** A record of a JSON call, numbered `n`, made `n` seconds after T0; `fields` override any part. */
function record(n: number, fields: Partial<Omit<JournalRecord, 'seq'>> = {}): JournalRecord {
  return {
    seq: 0,
    atMs: T0 + n * 1000,
    method: 'POST',
    path: '/koodrive/ose/v1/share/verify',
    query: '',
    operation: 'verifyShare',
    userId: 'u1',
    headers: { authorization: 'Bearer secret', 'x-user-id': 'u1' },
    bodyJson: JSON.stringify({ shortUrl: `s${n}`, extractCode: '12345678' }),
    status: 200,
    responseBody: JSON.stringify({ code: 0, msg: 'Success', kdstoken: 'k'.repeat(48) }),
    responseType: 'application/json; charset=utf-8',
    durationMs: n / 10,
    fault: undefined,
    ...fields,
  }
}

const ids = (journal: RequestJournal, limit = 100) => journal.list({}, limit).map((entry) => entry.id)

t.test('an entry as the admin API shows it: numbered, ISO time, secrets redacted, response parsed', async (t) => {
  const journal = new RequestJournal(10)
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
  const journal = new RequestJournal(10)
  journal.record(record(1, { userId: undefined, bodyJson: undefined, responseBody: undefined, responseType: 'application/zip', fault: 'slow' }))
  t.match(journal.list({}, 1)[0], { userId: null, body: null, responseBody: null, fault: 'slow' })
})

t.test('a response that is not JSON stays the text it was', async (t) => {
  const journal = new RequestJournal(10)
  const xml = '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'
  journal.record(record(1, { responseBody: xml, responseType: 'application/xml' }))
  journal.record(record(2, { responseBody: 'plain', responseType: undefined }))
  journal.record(record(3, { responseBody: '<html>502</html>', responseType: 'application/json; charset=utf-8' }))
  journal.record(record(4, { responseBody: '{"kdstoken":"x"}', responseType: 'text/plain' }))
  t.strictSame(
    journal.list({}, 10).map((entry) => entry.responseBody),
    ['{"kdstoken":"x"}', '<html>502</html>', 'plain', xml],
    'XML, no content type, invalid JSON under a JSON content type (a malformed fault), JSON under text/plain',
  )
})

t.test('records keep their order and numbers: newest first', async (t) => {
  const journal = new RequestJournal(10)
  for (let n = 1; n <= 4; n++) journal.record(record(n))
  t.equal(journal.size, 4)
  t.strictSame(ids(journal), [4, 3, 2, 1])
  t.strictSame(ids(journal, 2), [4, 3], 'a limit keeps the newest')
  t.strictSame(ids(journal, 0), [])
})

t.test('past its capacity the oldest go, and the ring wraps around more than once', async (t) => {
  const journal = new RequestJournal(3)
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
  const journal = new RequestJournal(1)
  journal.record(record(1))
  journal.record(record(2))
  t.strictSame(ids(journal), [2])
})

t.test('capacity 0 records nothing', async (t) => {
  const journal = new RequestJournal(0)
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
  const journal = new RequestJournal(3)
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
  const journal = new RequestJournal(10)
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
  const journal = new RequestJournal(2)
  const kept = record(1)
  journal.record(kept)
  t.match(journal.list({}, 1)[0], { headers: { authorization: '[Redacted]' }, body: { extractCode: '[Redacted]' } })
  t.strictSame(kept.headers, { authorization: 'Bearer secret', 'x-user-id': 'u1' })
  t.equal(kept.bodyJson, JSON.stringify({ shortUrl: 's1', extractCode: '12345678' }))
})
