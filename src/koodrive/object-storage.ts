import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { GatewayErrorSchema, KooDriveErrorResponses } from '../../schemas/errors.js'
import { SHARE_BUCKET, type Presigner } from '../domain/objects/presigned-urls.js'
import { resolveDownloadObject, type StoredObject } from '../domain/objects/stored-objects.js'
import { requestPublicUrl } from '../public-url.js'


/** The object store's operationId: what fault rules and the journal call a download. */
export const DOWNLOAD_OBJECT_OPERATION = 'downloadObject'

/** Where the object store is mounted: presigned URLs are `${publicUrl}${OBJECT_PATH_PREFIX}<key>`. */
export const OBJECT_PATH_PREFIX = `/obs/${SHARE_BUCKET}/`

/** Where this request's download URLs point, by the address it came in on; undefined: the configured base (src/public-url.ts). */
export function requestObjectsUrl(request: FastifyRequest): string | undefined {
  const base = requestPublicUrl(request)
  return base === undefined ? undefined : `${base}${OBJECT_PATH_PREFIX}`
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] as string)
}

/** The error body OBS and S3 answer object requests with. */
export function objectErrorXml(code: string, message: string, resource: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${escapeXml(requestId)}</RequestId></Error>`
  )
}


/** One namespace's objects: what its presigned URLs name, by its clock. */
interface ObjectStore {
  presigner: Presigner
  /** The emulator's clock: URL expiry follows it, so tests expire URLs by moving the clock. */
  now: () => number
  /** The object behind a (decoded) key, or undefined when there is none. */
  resolve(objectKey: string): StoredObject | undefined
}

export interface ObjectStorageOptions {
  /** The store a request reads: its namespace's. */
  storeOf(request: FastifyRequest): ObjectStore
}

/** `filename` must be quoted ASCII: anything else becomes `_`; the real name goes in `filename*`. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  // RFC 5987 attr-char excludes ' ( ) *, which encodeURIComponent leaves as they are.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** What fault rules can make this route answer: the KooDrive routes' errors (it has no headers, so no 401 of its own). */
const { 404: _notFound, ...injectedErrorResponses } = KooDriveErrorResponses

/**
 * Documentation more than validation: no querystring schema, because a bad presigned query must get
 * OBS's XML error from the signature check, not a KooDrive JSON validation error.
 */
const xmlError = (description: string) => ({ description, content: { 'application/xml': { schema: { type: 'string', description: 'OBS\'s <Error> document' } } } })
const downloadObjectRouteSchema = {
  operationId: DOWNLOAD_OBJECT_OPERATION,
  summary: 'Download an object through a presigned URL (a shared file or a zip package)',
  params: { type: 'object', properties: { '*': { type: 'string', description: 'the object key' } }, required: ['*'] },
  // Documentation only: bytes and XML are sent as they are, never through a serializer.
  response: {
    200: { description: 'the file\'s bytes (its own Content-Type) or the zip (application/zip)', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
    403: xmlError('the signature does not match (SignatureDoesNotMatch) or the URL has expired (AccessDenied), by the emulator\'s clock'),
    404: {
      description: 'no such object (NoSuchKey, XML), or an injected APIGW.0101 (JSON)',
      content: { ...xmlError('').content, 'application/json': { schema: GatewayErrorSchema } },
    },
    ...injectedErrorResponses,
  },
}

/**
 * GET and HEAD /obs/koodrive-share/<key>: the object storage presigned download URLs point at.
 * Failures answer in OBS's XML, not a KooDrive envelope, because that is what a client of a real
 * presigned URL sees; so they are sent here rather than thrown to the app's error handler.
 */
export const objectStorageRoute: FastifyPluginAsync<ObjectStorageOptions> = async (app, opts) => {
  const sendObjectError = (request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, objectKey: string) =>
    reply
      .code(status)
      .type('application/xml')
      .send(objectErrorXml(code, message, `/${SHARE_BUCKET}/${objectKey}`, request.id))

  app.route<{ Params: { '*': string }; Querystring: Record<string, string | string[] | undefined> }>({
    // HEAD declared, not left to Fastify's automatic one, which would read the whole body to drop it.
    method: ['GET', 'HEAD'],
    url: `${OBJECT_PATH_PREFIX}*`,
    schema: downloadObjectRouteSchema,
    handler: async (request, reply) => {
      const objectKey = request.params['*']
      const store = opts.storeOf(request)
      const check = store.presigner.verify(objectKey, request.query, store.now())
      if (!check.ok) return sendObjectError(request, reply, 403, check.code, check.message, objectKey)
      const object = store.resolve(objectKey)
      if (object === undefined) return sendObjectError(request, reply, 404, 'NoSuchKey', 'The specified key does not exist.', objectKey)

      reply.type(object.contentType).header('content-disposition', contentDisposition(object.fileName))
      if (object.size !== undefined) reply.header('content-length', object.size)
      return reply.send(request.method === 'HEAD' ? undefined : object.body())
    },
  })
}

/** The object store of the emulator's own objects, each namespace's its own (download URLs name theirs). */
export const objectStorage = fp(
  async (app) => {
    await app.register(objectStorageRoute, {
      storeOf: ({ namespace: { emulator, clock } }) => ({
        presigner: emulator.presigner,
        now: () => clock.now(),
        resolve: (objectKey) => resolveDownloadObject(emulator, objectKey),
      }),
    })
  },
  { name: 'object-storage', fastify: '5.x', dependencies: ['namespaces', 'faults', 'openapi'] },
)
