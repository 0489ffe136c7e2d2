import t from 'tap'
import { REDACTED, redactSecrets } from '../../src/admin/redact.js'

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
  const value = { authorizationHeader: 'x', kdstokens: ['k'], extract_code: '1', token: 't' }
  t.strictSame(redactSecrets(value), value)
})
