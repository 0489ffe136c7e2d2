import Fastify from 'fastify'
import { Readable } from 'node:stream'
import t from 'tap'
import { EXPIRED_MESSAGE, Presigner, SIGNATURE_MISMATCH_MESSAGE } from '../../src/domain/objects/presigned-urls.js'
import type { StoredObject } from '../../src/domain/objects/stored-objects.js'
import { contentDisposition, objectErrorXml, objectStorageRoute } from '../../src/koodrive/object-storage.js'

/** 2026-11-26T10:00:00.500Z */
const START_MS = Date.UTC(2026, 10, 26, 10, 0, 0, 500)
const REQUEST_ID = '0123456789abcdef0123456789abcdef'
const REPORT_KEY = 'files/F1/report.pdf'
const PHOTO_KEY = 'files/F2/假期 #1?.jpg'
const PACKAGE_KEY = 'packages/1689765568237837824/holiday.zip'

async function buildStorage() {
  const presigner = new Presigner({ secret: 'test-secret', objectsUrl: 'http://127.0.0.1:3000/obs/koodrive-share' })
  const clock = { nowMs: START_MS }
  const resolved: string[] = []
  const bodiesMade: string[] = []
  const objects: Record<string, Omit<StoredObject, 'body'> & { content: string }> = {
    [REPORT_KEY]: { fileName: 'report.pdf', contentType: 'application/pdf', size: 11, content: 'hello world' },
    [PHOTO_KEY]: { fileName: '假期 #1?.jpg', contentType: 'image/jpeg', size: 3, content: 'jpg' },
    [PACKAGE_KEY]: { fileName: 'holiday.zip', contentType: 'application/zip', content: 'zip bytes' },
  }
  const app = Fastify({ genReqId: () => REQUEST_ID })
  const operationIds: string[] = []
  app.addHook('onRoute', (route) => {
    operationIds.push(`${String(route.method)} ${route.url} ${(route.schema as { operationId?: string } | undefined)?.operationId}`)
  })
  await app.register(objectStorageRoute, {
    storeOf: () => ({
    presigner,
    now: () => clock.nowMs,
    resolve(objectKey) {
      resolved.push(objectKey)
      const object = objects[objectKey]
      if (object === undefined) return undefined
      const { content, ...rest } = object
      return {
        ...rest,
        body: () => {
          bodiesMade.push(objectKey)
          return Readable.from([Buffer.from(content)])
        },
      }
    },
    }),
  })
  await app.ready()
  t.teardown(() => app.close())
  /** The path and query of a presigned URL, as a client sends them. */
  const signedPath = (objectKey: string) => {
    const url = new URL(presigner.sign(objectKey, clock.nowMs))
    return url.pathname + url.search
  }
  return { app, clock, resolved, bodiesMade, operationIds, signedPath }
}

const xmlError = (code: string, message: string, objectKey: string) => objectErrorXml(code, message, `/koodrive-share/${objectKey}`, REQUEST_ID)

t.test('GET on a presigned URL streams the object as an attachment with its length', async (t) => {
  const { app, signedPath, resolved, bodiesMade } = await buildStorage()
  const res = await app.inject({ method: 'GET', url: signedPath(REPORT_KEY) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'hello world')
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['content-length'], '11')
  t.equal(res.headers['content-disposition'], `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`)
  t.strictSame(resolved, [REPORT_KEY])
  t.strictSame(bodiesMade, [REPORT_KEY])
})

t.test('the key reaches resolve decoded, so names with spaces, # and ? and non-ASCII work', async (t) => {
  const { app, signedPath, resolved } = await buildStorage()
  const res = await app.inject({ method: 'GET', url: signedPath(PHOTO_KEY) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'jpg')
  t.strictSame(resolved, [PHOTO_KEY])
  t.equal(res.headers['content-disposition'], `attachment; filename="__ #1?.jpg"; filename*=UTF-8''%E5%81%87%E6%9C%9F%20%231%3F.jpg`)
})

t.test('an object of unknown size is streamed without Content-Length', async (t) => {
  const { app, signedPath } = await buildStorage()
  const res = await app.inject({ method: 'GET', url: signedPath(PACKAGE_KEY) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'zip bytes')
  t.equal(res.headers['content-type'], 'application/zip')
  t.equal(res.headers['content-length'], undefined)
  t.equal(res.headers['transfer-encoding'], 'chunked')
})

t.test('HEAD answers the headers of GET without making the body', async (t) => {
  const { app, signedPath, bodiesMade } = await buildStorage()
  const res = await app.inject({ method: 'HEAD', url: signedPath(REPORT_KEY) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['content-length'], '11')
  t.equal(res.headers['content-disposition'], `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`)
  t.strictSame(bodiesMade, [], 'body() never called')
})

t.test('a URL past its expiry on the emulator clock gets 403 AccessDenied in XML', async (t) => {
  const { app, clock, signedPath, resolved } = await buildStorage()
  const url = signedPath(REPORT_KEY)
  // X-Amz-Date has whole seconds: signed at 10:00:00.500, the URL says 10:00:00 and lives until 11:00:00.000.
  clock.nowMs = Date.UTC(2026, 10, 26, 11, 0, 0, 0)
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, 'still valid at the end of its hour')
  clock.nowMs += 1
  const res = await app.inject({ method: 'GET', url })
  t.equal(res.statusCode, 403)
  t.equal(res.headers['content-type'], 'application/xml')
  t.equal(res.body, xmlError('AccessDenied', EXPIRED_MESSAGE, REPORT_KEY))
  t.strictSame(resolved, [REPORT_KEY], 'the expired request never looked the object up')
})

t.test('a tampered or unsigned URL gets 403 SignatureDoesNotMatch in XML', async (t) => {
  const { app, signedPath } = await buildStorage()
  const cases = {
    'another key with the same query': signedPath(REPORT_KEY).replace('report.pdf', 'other.pdf'),
    'a longer expiry': signedPath(REPORT_KEY).replace('X-Amz-Expires=3600', 'X-Amz-Expires=7200'),
    'no signature': signedPath(REPORT_KEY).replace(/&X-Amz-Signature=[0-9a-f]+/, ''),
    'no query at all': '/obs/koodrive-share/files/F1/report.pdf',
  }
  for (const [name, url] of Object.entries(cases)) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 403, name)
    t.equal(res.headers['content-type'], 'application/xml', name)
    const key = decodeURIComponent(url.split('?')[0]?.replace('/obs/koodrive-share/', '') ?? '')
    t.equal(res.body, xmlError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, key), name)
  }
})

t.test('a validly signed URL for a key nobody stored gets 404 NoSuchKey in XML', async (t) => {
  const { app, signedPath } = await buildStorage()
  const res = await app.inject({ method: 'GET', url: signedPath('files/F9/missing & gone.txt') })
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], 'application/xml')
  t.equal(res.body, xmlError('NoSuchKey', 'The specified key does not exist.', 'files/F9/missing & gone.txt'))
})

t.test('HEAD errors carry the status and no body', async (t) => {
  const { app, signedPath } = await buildStorage()
  const missing = await app.inject({ method: 'HEAD', url: signedPath('files/F9/missing.txt') })
  t.equal(missing.statusCode, 404)
  t.equal(missing.body, '')
  const unsigned = await app.inject({ method: 'HEAD', url: '/obs/koodrive-share/files/F1/report.pdf' })
  t.equal(unsigned.statusCode, 403)
  t.equal(unsigned.body, '')
})

t.test('the route serves GET and HEAD under operationId downloadObject', async (t) => {
  const { operationIds } = await buildStorage()
  t.strictSame(operationIds, ['GET,HEAD /obs/koodrive-share/* downloadObject'])
})

t.test('contentDisposition keeps a quoted ASCII fallback and the exact name in filename*', async (t) => {
  t.equal(contentDisposition('a.txt'), `attachment; filename="a.txt"; filename*=UTF-8''a.txt`)
  t.equal(
    contentDisposition(`say "hi" \\ 100%.txt`),
    `attachment; filename="say _hi_ _ 100_.txt"; filename*=UTF-8''say%20%22hi%22%20%5C%20100%25.txt`,
    'quotes, backslash and % are replaced in the fallback',
  )
  t.equal(
    contentDisposition(`Tom's (draft)*.doc`),
    `attachment; filename="Tom's (draft)*.doc"; filename*=UTF-8''Tom%27s%20%28draft%29%2A.doc`,
    "' ( ) * are percent-encoded in filename*, as RFC 5987 requires",
  )
  t.equal(contentDisposition('報告\u00e9\n.pdf'), `attachment; filename="____.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%C3%A9%0A.pdf`, 'non-ASCII and control characters')
})

t.test('objectErrorXml writes the OBS/S3 error document', async (t) => {
  t.equal(
    objectErrorXml('AccessDenied', 'Request has expired', '/koodrive-share/files/F1/a.txt', '0123456789abcdef0123456789abcdef'),
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
      '<Resource>/koodrive-share/files/F1/a.txt</Resource><RequestId>0123456789abcdef0123456789abcdef</RequestId></Error>',
  )
})

t.test('objectErrorXml escapes the five XML special characters in every value', async (t) => {
  t.equal(
    objectErrorXml('<C>', 'a & b', `/k/"Tom's" <file>.txt`, 'r&1'),
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>&lt;C&gt;</Code><Message>a &amp; b</Message>' +
      '<Resource>/k/&quot;Tom&apos;s&quot; &lt;file&gt;.txt</Resource><RequestId>r&amp;1</RequestId></Error>',
  )
})
