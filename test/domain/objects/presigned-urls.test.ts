import t from 'tap'
import {
  encodeObjectKey,
  EXPIRED_MESSAGE,
  Presigner,
  SIGNATURE_MISMATCH_MESSAGE,
} from '../../../src/domain/objects/presigned-urls.js'

/** 2026-11-26T10:00:00.500Z */
const NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0, 500)
const SIGNED_AT_MS = Date.UTC(2026, 10, 26, 10, 0, 0)
const KEY = 'files/Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI/report.pdf'

const presigner = new Presigner({ secret: 'test-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' })

/** What a server hands verify: the query as a record, and the decoded key from the path. */
function parse(url: string): { key: string; query: Record<string, string> } {
  const parsed = new URL(url)
  const key = decodeURIComponent(parsed.pathname.replace(/^\/obs\/koodrive-share\//, ''))
  return { key, query: Object.fromEntries(parsed.searchParams) }
}

const mismatch = { ok: false, code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH_MESSAGE }
const expired = { ok: false, code: 'AccessDenied', message: EXPIRED_MESSAGE }

t.test('sign gives an OBS-style presigned URL with every X-Amz parameter, in order', async (t) => {
  const url = presigner.sign(KEY, NOW_MS)
  t.match(
    url,
    /^http:\/\/127\.0\.0\.1:3000\/obs\/koodrive-share\/files\/Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI\/report\.pdf\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=KOODRIVEMOCKACCESSID%2F20261126%2Fcn-north-4%2Fs3%2Faws4_request&X-Amz-Date=20261126T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/,
  )
})

t.test('sign is deterministic: the same key, time and secret give the same URL', async (t) => {
  t.equal(presigner.sign(KEY, NOW_MS), presigner.sign(KEY, NOW_MS))
  t.equal(presigner.sign(KEY, NOW_MS), new Presigner({ secret: 'test-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' }).sign(KEY, NOW_MS))
  t.not(presigner.sign(KEY, NOW_MS), new Presigner({ secret: 'other-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' }).sign(KEY, NOW_MS))
})

t.test('sign percent-encodes each key segment and keeps the slashes between them', async (t) => {
  const url = presigner.sign('packages/1689765568237837824/假期 #1?.zip', NOW_MS)
  t.match(url, /\/obs\/koodrive-share\/packages\/1689765568237837824\/%E5%81%87%E6%9C%9F%20%231%3F\.zip\?X-Amz-Algorithm=/)
  t.equal(encodeObjectKey('a b/c%d/e&f'), 'a%20b/c%25d/e%26f')
})

t.test('sign drops a trailing slash from objectsUrl and uses the configured expiry', async (t) => {
  const url = new Presigner({ secret: 's', objectsUrl: 'https://mock.example:8443/obs/koodrive-share/', expiresS: 60 }).sign(KEY, NOW_MS)
  t.ok(url.startsWith('https://mock.example:8443/obs/koodrive-share/files/'), url)
  t.equal(new URL(url).searchParams.get('X-Amz-Expires'), '60')
})

t.test('verify accepts a URL it signed, with an encoded key, until the last millisecond of its life', async (t) => {
  const { key, query } = parse(presigner.sign('files/F1/假期 #1?.jpg', NOW_MS))
  t.equal(key, 'files/F1/假期 #1?.jpg', 'the path decodes back to the key')
  t.strictSame(presigner.verify(key, query, NOW_MS), { ok: true }, 'at once')
  t.strictSame(presigner.verify(key, query, SIGNED_AT_MS + 3_600_000), { ok: true }, 'exactly X-Amz-Date + X-Amz-Expires')
})

t.test('verify answers AccessDenied "Request has expired" once X-Amz-Date + X-Amz-Expires has passed', async (t) => {
  const { key, query } = parse(presigner.sign(KEY, NOW_MS))
  t.strictSame(presigner.verify(key, query, SIGNED_AT_MS + 3_600_001), expired)
  t.strictSame(presigner.verify(key, query, NOW_MS + 86_400_000), expired)
})

t.test('verify follows a short expiry', async (t) => {
  const short = new Presigner({ secret: 'test-secret', objectsUrl: 'http://h/obs/koodrive-share', expiresS: 1 })
  const { key, query } = parse(short.sign(KEY, SIGNED_AT_MS))
  t.strictSame(short.verify(key, query, SIGNED_AT_MS + 1000), { ok: true })
  t.strictSame(short.verify(key, query, SIGNED_AT_MS + 1001), expired)
})

t.test('verify answers SignatureDoesNotMatch for a URL of another key or another secret', async (t) => {
  const { query } = parse(presigner.sign(KEY, NOW_MS))
  t.strictSame(presigner.verify('files/F2/report.pdf', query, NOW_MS), mismatch, 'another key')
  t.strictSame(new Presigner({ secret: 'other', objectsUrl: 'http://h/obs/koodrive-share' }).verify(KEY, query, NOW_MS), mismatch, 'another secret')
})

t.test('verify answers SignatureDoesNotMatch when any signed parameter is changed', async (t) => {
  const { query } = parse(presigner.sign(KEY, NOW_MS))
  const changes: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA1',
    'X-Amz-Credential': 'OTHERACCESSKEY000000/20261126/cn-north-4/s3/aws4_request',
    'X-Amz-Date': '20261126T100001Z',
    'X-Amz-Expires': '3601',
    'X-Amz-SignedHeaders': 'host;x-amz-date',
    'X-Amz-Signature': (query['X-Amz-Signature'] as string).replace(/^./, (c) => (c === '0' ? '1' : '0')),
  }
  for (const [name, value] of Object.entries(changes)) {
    t.strictSame(presigner.verify(KEY, { ...query, [name]: value }, NOW_MS), mismatch, name)
  }
})

t.test('a forged X-Amz-Expires cannot bring an expired URL back to life', async (t) => {
  const { query } = parse(presigner.sign(KEY, NOW_MS))
  t.strictSame(presigner.verify(KEY, { ...query, 'X-Amz-Expires': '999999999' }, NOW_MS + 7_200_000), mismatch)
})

t.test('verify answers SignatureDoesNotMatch when a parameter is missing, repeated or malformed', async (t) => {
  const { query } = parse(presigner.sign(KEY, NOW_MS))
  for (const name of Object.keys(query)) {
    const { [name]: _dropped, ...rest } = query
    t.strictSame(presigner.verify(KEY, rest, NOW_MS), mismatch, `without ${name}`)
    t.strictSame(presigner.verify(KEY, { ...query, [name]: [query[name] as string, query[name] as string] }, NOW_MS), mismatch, `${name} twice`)
  }
  const malformed: Record<string, string> = {
    'X-Amz-Date': '2026-11-26T10:00:00Z',
    'X-Amz-Expires': '1e3',
    'X-Amz-Signature': (query['X-Amz-Signature'] as string).toUpperCase(),
  }
  for (const [name, value] of Object.entries(malformed)) {
    t.strictSame(presigner.verify(KEY, { ...query, [name]: value }, NOW_MS), mismatch, `${name}=${value}`)
  }
  t.strictSame(presigner.verify(KEY, {}, NOW_MS), mismatch, 'no query at all')
})

t.test('a URL signed again in the same second is the one a fresh presigner signs, whatever was signed between', async (t) => {
  const kept = new Presigner({ secret: 'test-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' })
  const fresh = () => new Presigner({ secret: 'test-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' })
  const first = kept.sign(KEY, NOW_MS)
  t.equal(kept.sign(KEY, NOW_MS + 400), first, 'later in the same second: the same URL')
  t.equal(kept.sign(KEY, NOW_MS, 'http://localhost:4000/obs/koodrive-share'), fresh().sign(KEY, NOW_MS, 'http://localhost:4000/obs/koodrive-share'), 'another base is signed for that base')
  t.equal(kept.sign(`${KEY}.zip`, NOW_MS), fresh().sign(`${KEY}.zip`, NOW_MS), 'another key for that key')
  const nextSecond = kept.sign(KEY, NOW_MS + 1000)
  t.equal(nextSecond, fresh().sign(KEY, NOW_MS + 1000), 'the next second: a URL of that second')
  t.not(nextSecond, first)
  t.match(nextSecond, /X-Amz-Date=20261126T100001Z/)
  // More keys in one second than are kept: the first is signed again, the same as before.
  for (let i = 0; i < 300; i++) kept.sign(`files/${i}/x`, NOW_MS + 1000)
  t.equal(kept.sign(KEY, NOW_MS + 1000), nextSecond, 'past the cap: signed again, identically')
  const { key, query } = parse(kept.sign(KEY, NOW_MS + 1000))
  t.same(kept.verify(key, query, NOW_MS + 1000), { ok: true })
})
