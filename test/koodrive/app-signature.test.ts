import { execFileSync } from 'node:child_process'
import t from 'tap'
import {
  appSignature,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  signedHeaderNames,
  signRequest,
  stringToSign,
  uriEncode,
} from '../../src/koodrive/app-signature.js'
import { vendorExample } from '../helpers/requests.js'

/** `openssl dgst` over `input`: the independent check of every hash and MAC below. */
function openssl(args: string[], input: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', ...args], { input }).toString().trim().split('= ').at(-1) as string
}

const BODY = JSON.stringify(vendorExample)
const SECRET = 'ann-app-secret'

/**
 * The worked example, written out by hand from koodrive-api.md's rules: a sorted, encoded query;
 * the URI with its trailing slash; one line per signed header, then a blank line; the names; the
 * body's SHA-256.
 */
const CANONICAL = [
  'POST',
  '/koodrive/ose/v1/share/tasks/',
  'a=1&b=%21&b=x%20y',
  'host:127.0.0.1:3000\nx-date:20251103T070140Z\nx-user-id:ann\n',
  'host;x-date;x-user-id',
  openssl([], BODY),
].join('\n')

t.test('the worked example: canonical request, string to sign and signature, checked with openssl', async (t) => {
  const canonical = canonicalRequest({
    method: 'post',
    path: '/koodrive/ose/v1/share/tasks',
    query: 'b=x%20y&a=1&b=!',
    headers: { Host: '127.0.0.1:3000', 'X-Date': '20251103T070140Z', 'x-user-id': '  ann ', 'x-hw-agentname': 'not signed' },
    signedHeaders: ['host', 'x-date', 'x-user-id'],
    body: BODY,
  })
  t.equal(canonical, CANONICAL)
  const toSign = `HMAC-SHA256\n${openssl([], CANONICAL)}`
  t.equal(stringToSign(canonical), toSign)
  const expected = openssl(['-hmac', SECRET], toSign)
  t.match(expected, /^[0-9a-f]{64}$/)
  t.equal(appSignature(canonical, SECRET), expected, 'the signature openssl computes')
})

t.test('signRequest signs host (from the URL), x-date (made now when absent) and x-user-id', async (t) => {
  const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'c', 'content-type': 'application/json' }
  const nowMs = Date.UTC(2025, 10, 3, 7, 1, 40)
  const signed = signRequest({ method: 'POST', url: 'http://127.0.0.1:3000/koodrive/ose/v1/share/tasks?b=x%20y&a=1&b=!', headers, body: BODY, appId: 'ann-app', appSecret: SECRET, nowMs })
  t.equal(signed['x-date'], '20251103T070140Z')
  const signature = openssl(['-hmac', SECRET], `HMAC-SHA256\n${openssl([], CANONICAL)}`)
  t.equal(signed.authorization, `HMAC-SHA256 AppId=ann-app,SignedHeaders=host;x-date;x-user-id,Signature=${signature}`)
})

t.test('signRequest keeps a given X-Date and Host, signs extra headers, and signs an empty body', async (t) => {
  const signed = signRequest({
    method: 'GET',
    url: 'http://localhost/koodrive/ose/v1/share/userInfo?shortUrl=1',
    headers: { 'X-Date': '20251103T070140Z', 'X-User-Id': 'ann', Host: 'drive.example', 'X-Hw-Agentname': 'carrier' },
    appId: 'a',
    appSecret: 's',
    signHeaders: ['X-Hw-Agentname', 'host'],
  })
  t.equal(signed['x-date'], undefined, 'no X-Date to add')
  const canonical = [
    'GET',
    '/koodrive/ose/v1/share/userInfo/',
    'shortUrl=1',
    'host:drive.example\nx-date:20251103T070140Z\nx-hw-agentname:carrier\nx-user-id:ann\n',
    'host;x-date;x-hw-agentname;x-user-id',
    openssl([], ''),
  ].join('\n')
  t.equal(signed.authorization, `HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-hw-agentname;x-user-id,Signature=${openssl(['-hmac', 's'], stringToSign(canonical))}`)
  t.throws(() => signRequest({ method: 'GET', url: 'http://h/', headers: {}, appId: 'a', appSecret: 's' }), /X-User-Id/)
})

t.test('the pieces: RFC 3986 encoding, the URI, the query, the header names', async (t) => {
  t.equal(uriEncode("a b!'()*~-_.é"), "a%20b%21%27%28%29%2A~-_.%C3%A9")
  t.equal(canonicalUri('/'), '/')
  t.equal(canonicalUri(''), '/')
  t.equal(canonicalUri('/a b/c%20d/'), '/a%20b/c%20d/', 'a segment is decoded then encoded: sent encoded or not, it signs the same')
  t.equal(canonicalUri('/bad%E0%A4%A'), '/bad%25E0%25A4%25A/', 'a segment that does not decode is encoded as sent')
  t.equal(canonicalQuery(''), '')
  t.equal(canonicalQuery('b=2&a=&a=0&c'), 'a=&a=0&b=2&c=')
  t.equal(canonicalQuery('k=a+b'), 'k=a%20b', '+ in a query is a space')
  t.strictSame(signedHeaderNames(['X-User-Id', 'host', 'X-Date', 'HOST']), ['host', 'x-date', 'x-user-id'])
  const repeated = canonicalRequest({ method: 'GET', path: '/', query: '', headers: { 'x-user-id': ['a', 'b'] }, signedHeaders: ['host', 'x-user-id'], body: Buffer.alloc(0) })
  t.match(repeated, /\nhost:\nx-user-id:a,b\n\n/, 'a missing header signs as empty; repeated values join with a comma')
  const unset = canonicalRequest({ method: 'GET', path: '/', query: '', headers: { 'x-user-id': undefined }, signedHeaders: ['x-user-id'], body: '' })
  t.match(unset, /\nx-user-id:\n\n/, 'a header present but unset signs as empty')
})
