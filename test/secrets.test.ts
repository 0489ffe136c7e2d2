import t from 'tap'
import { isSecretName, MAX_VIEW_DEPTH, REDACTED, redactQuery, redactSecrets, redactUrl, SECRET_NAMES, TOO_DEEP } from '../src/secrets.js'

t.test('REDACTED is the marker pino uses too', async (t) => {
  t.equal(REDACTED, '[Redacted]')
})

t.test('values that are not objects come back as they are', async (t) => {
  for (const value of [null, undefined, 0, 42, '', 'kdstoken', true, false]) t.equal(redactSecrets(value), value, String(value))
})

t.test('Authorization, kdstoken and extractCode are redacted, nothing else', async (t) => {
  t.strictSame(redactSecrets({ authorization: 'Bearer x', kdstoken: 'k', extractCode: '12345678', shortUrl: 's', taskId: '1' }), {
    authorization: REDACTED,
    kdstoken: REDACTED,
    extractCode: REDACTED,
    shortUrl: 's',
    taskId: '1',
  })
})

t.test('keys match whatever their case', async (t) => {
  t.strictSame(redactSecrets({ Authorization: 'a', AUTHORIZATION: 'b', KdsToken: 'c', extractcode: 'd', EXTRACTCODE: 'e' }), {
    Authorization: REDACTED,
    AUTHORIZATION: REDACTED,
    KdsToken: REDACTED,
    extractcode: REDACTED,
    EXTRACTCODE: REDACTED,
  })
})

t.test('secrets are found at any depth, in objects and arrays', async (t) => {
  const value = {
    request: { body: { kdstoken: 'k', fileIds: ['F1', 'F2'] } },
    list: [{ extractCode: '1' }, [{ authorization: 'x' }], 'kdstoken', 7, null],
    empty: {},
    nothing: null,
  }
  t.strictSame(redactSecrets(value), {
    request: { body: { kdstoken: REDACTED, fileIds: ['F1', 'F2'] } },
    list: [{ extractCode: REDACTED }, [{ authorization: REDACTED }], 'kdstoken', 7, null],
    empty: {},
    nothing: null,
  })
  t.strictSame(redactSecrets([{ kdstoken: 'a' }, { kdstoken: 'b' }]), [{ kdstoken: REDACTED }, { kdstoken: REDACTED }], 'a top-level array')
})

t.test('a secret key is redacted whatever its value: an object, an array, a number, null', async (t) => {
  t.strictSame(redactSecrets({ authorization: { scheme: 'Bearer' }, kdstoken: ['a'], extractCode: 12345678, Authorization: null }), {
    authorization: REDACTED,
    kdstoken: REDACTED,
    extractCode: REDACTED,
    Authorization: REDACTED,
  })
})

t.test('the result is a copy: the input is not changed', async (t) => {
  const input = { headers: { authorization: 'Bearer x' }, list: [{ kdstoken: 'k' }] }
  const output = redactSecrets(input) as typeof input
  t.strictSame(input, { headers: { authorization: 'Bearer x' }, list: [{ kdstoken: 'k' }] })
  t.not(output, input)
  t.not(output.headers, input.headers)
  t.not(output.list, input.list)
})

t.test('similar names are not secrets', async (t) => {
  const value = { authorizationHeader: 'x', kdstokens: ['k'], extract_code: '1', appId: 'a', apps: [{ appId: 'a' }] }
  t.strictSame(redactSecrets(value), value)
})

t.test('what authentication brings is hidden: a seed user\'s tokens and app secrets, an issued token, a signature', async (t) => {
  const seedUser = { userId: 'ann', name: 'Ann', tokens: ['ann-token'], apps: [{ appId: 'ann-app', appSecret: 'ann-app-secret' }] }
  t.strictSame(redactSecrets({ users: [seedUser] }), { users: [{ userId: 'ann', name: 'Ann', tokens: REDACTED, apps: [{ appId: 'ann-app', appSecret: REDACTED }] }] })
  t.strictSame(redactSecrets({ token: 't', userId: 'ann', ttlS: 60 }), { token: REDACTED, userId: 'ann', ttlS: 60 }, 'POST /__admin/tokens\'s answer')
  t.strictSame(redactSecrets({ Authorization: 'HMAC-SHA256 AppId=a,SignedHeaders=host;x-date;x-user-id,Signature=ab' }), { Authorization: REDACTED })
})

t.test('the one list holds every secret the emulator sees, lower-case', async (t) => {
  for (const name of ['authorization', 'kdstoken', 'extractcode', 'token', 'tokens', 'appsecret']) t.ok(SECRET_NAMES.has(name), name)
  for (const name of SECRET_NAMES) t.equal(name, name.toLowerCase(), `${name} is lower-case`)
  t.ok(isSecretName('KdsToken'))
  t.notOk(isSecretName('shareId'))
})

t.test('a nesting far deeper than the call stack is copied without overflowing', async (t) => {
  let deep: unknown = { kdstoken: 'k' }
  for (let i = 0; i < 100_000; i++) deep = [deep]
  const copy = redactSecrets({ body: deep })
  t.doesNotThrow(() => JSON.stringify(copy), 'the copy serialises')
  // Down to the bound the shape is kept; below it, one marker.
  let level: unknown = (copy as { body: unknown }).body
  let depth = 2
  while (Array.isArray(level)) {
    level = level[0]
    depth++
  }
  t.equal(level, TOO_DEEP)
  t.equal(depth, MAX_VIEW_DEPTH + 1, 'arrays are kept down to MAX_VIEW_DEPTH levels')
})

t.test('a value exactly MAX_VIEW_DEPTH deep is copied whole', async (t) => {
  let deep: unknown = 'leaf'
  for (let i = 0; i < MAX_VIEW_DEPTH; i++) deep = [deep]
  t.strictSame(redactSecrets(deep), deep)
})

t.test('a key named __proto__ is copied as a plain key, not as a prototype', async (t) => {
  const input = JSON.parse('{"__proto__":{"polluted":true},"kdstoken":"k"}') as Record<string, unknown>
  const copy = redactSecrets(input) as Record<string, unknown>
  t.equal(Object.getPrototypeOf(copy), Object.prototype)
  t.strictSame(Object.keys(copy), ['__proto__', 'kdstoken'])
  t.equal((copy as { polluted?: boolean }).polluted, undefined)
  t.equal(copy.kdstoken, REDACTED)
})

t.test('redact false copies everything as it is (MOCK_JOURNAL_REDACT=false)', async (t) => {
  const input = { authorization: 'Bearer x', list: [{ kdstoken: 'k' }] }
  t.strictSame(redactSecrets(input, false), input)
  t.not(redactSecrets(input, false), input)
})

t.test('query strings: secret values hidden, everything else kept as sent', async (t) => {
  t.equal(redactQuery(''), '')
  t.equal(redactQuery('shortUrl=1&kdstoken=abc&ExtractCode=31945314'), `shortUrl=1&kdstoken=${REDACTED}&ExtractCode=${REDACTED}`)
  t.equal(redactQuery('token=s3cret&flag&a=%20b'), `token=${REDACTED}&flag&a=%20b`)
  t.equal(redactQuery('kds%74oken=abc'), `kds%74oken=${REDACTED}`, 'a percent-encoded name is decoded before it is compared')
  t.equal(redactQuery('%E0%A4%A=x&kdstoken=y'), `%E0%A4%A=x&kdstoken=${REDACTED}`, 'a name that does not decode is kept')
  t.equal(redactUrl('/koodrive/ose/v1/share/userInfo'), '/koodrive/ose/v1/share/userInfo')
  t.equal(redactUrl('/a?shortUrl=1&kdstoken=x'), `/a?shortUrl=1&kdstoken=${REDACTED}`)
})
