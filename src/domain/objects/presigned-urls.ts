import { createHmac, timingSafeEqual } from 'node:crypto'
import { formatBasicUtc, parseBasicUtc } from '../time-and-ids/utc-time.js'

/** The bucket every presigned URL points into: files and zip packages alike. */
export const SHARE_BUCKET = 'koodrive-share'

const DEFAULT_PRESIGNED_EXPIRES_S = 3600
/** URLs kept for the current second at most: past it the cache starts again (a flood of distinct keys costs no memory). */
const SIGNED_PER_SECOND_KEPT = 256

const ALGORITHM = 'AWS4-HMAC-SHA256'
/** A fixed, obviously fake access key: the credential only has to look like OBS's, 20 upper-case characters. */
const ACCESS_KEY_ID = 'KOODRIVEMOCKACCESSID'
const REGION = 'cn-north-4'
const SIGNED_HEADERS = 'host'

const EXPIRES_PATTERN = /^\d{1,9}$/
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/

export const SIGNATURE_MISMATCH_MESSAGE = 'The request signature we calculated does not match the signature you provided'
export const EXPIRED_MESSAGE = 'Request has expired'

export type PresignedCheck = { ok: true } | { ok: false; code: 'AccessDenied' | 'SignatureDoesNotMatch'; message: string }

export interface PresignerOptions {
  /** HMAC-SHA256 key the URLs are signed with. */
  secret: string
  /** Where clients fetch objects: scheme, host, port and the object store's path, e.g. `http://127.0.0.1:3000/obs/koodrive-share`. */
  objectsUrl: string
  /** How long a URL stays valid; OBS and the vendor's downloadUrl use 3600. */
  expiresS?: number
  /**
   * The namespace the objects live in, named by a `namespace` parameter of every URL (a proxy in
   * front of several emulators routes on it) and signed, so it cannot be changed; `default` is left out.
   */
  namespace?: string | undefined
}

/** Object keys are `/`-separated; each segment is percent-encoded so names with spaces, `#` or `?` survive. */
export function encodeObjectKey(objectKey: string): string {
  return objectKey.split('/').map(encodeURIComponent).join('/')
}

const SIGNATURE_FAILURE: PresignedCheck = { ok: false, code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH_MESSAGE }

/**
 * Presigned URLs in the shape of OBS's (and S3's) query-string authentication. The signature is
 * HMAC-SHA256 over the decoded key and every X-Amz-* parameter, not real SigV4: the Host header is
 * left out on purpose, so a URL stays valid when a client reaches the emulator under another name
 * (localhost vs a Docker service name).
 */
export class Presigner {
  readonly #secret: string
  #objectsUrl: string
  readonly #expiresS: number
  readonly #namespace: string | undefined
  /**
   * The URLs signed in the current second (X-Amz-Date's resolution), by base and key: a URL is a
   * function of those and the second, and a client polling a finished package gets the same one
   * again, signed once (an HMAC and a URLSearchParams were ~8 % of a poll's CPU).
   */
  readonly #signedThisSecond = new Map<string, string>()
  #signedSecond = ''

  constructor(opts: PresignerOptions) {
    this.#secret = opts.secret
    this.#objectsUrl = opts.objectsUrl.replace(/\/+$/, '')
    this.#expiresS = opts.expiresS ?? DEFAULT_PRESIGNED_EXPIRES_S
    this.#namespace = opts.namespace === 'default' ? undefined : opts.namespace
  }

  /** Where URLs point from now on: set once the server knows its port (PORT=0 picks a free one). */
  set objectsUrl(url: string) {
    this.#objectsUrl = url.replace(/\/+$/, '')
  }

  /**
   * A URL for `objectKey` (decoded, `/`-separated) that is valid for expiresS from `nowMs`, under
   * `objectsUrl` (where the request came in, by its Host) or else the configured one.
   */
  sign(objectKey: string, nowMs: number, objectsUrl: string = this.#objectsUrl): string {
    const date = formatBasicUtc(nowMs)
    if (date !== this.#signedSecond) {
      this.#signedThisSecond.clear()
      this.#signedSecond = date
    }
    const cacheKey = `${objectsUrl}\n${objectKey}`
    const signed = this.#signedThisSecond.get(cacheKey)
    if (signed !== undefined) return signed
    const url = this.#signNow(objectKey, date, objectsUrl)
    if (this.#signedThisSecond.size >= SIGNED_PER_SECOND_KEPT) this.#signedThisSecond.clear()
    this.#signedThisSecond.set(cacheKey, url)
    return url
  }

  #signNow(objectKey: string, date: string, objectsUrl: string): string {
    const params = {
      'X-Amz-Algorithm': ALGORITHM,
      'X-Amz-Credential': `${ACCESS_KEY_ID}/${date.slice(0, 8)}/${REGION}/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': String(this.#expiresS),
      'X-Amz-SignedHeaders': SIGNED_HEADERS,
    }
    const signature = this.#signature(objectKey, params['X-Amz-Credential'], date, params['X-Amz-Expires'])
    const query = new URLSearchParams(this.#namespace === undefined ? {} : { namespace: this.#namespace })
    for (const [name, value] of Object.entries(params)) query.append(name, value)
    query.append('X-Amz-Signature', signature)
    return `${objectsUrl.replace(/\/+$/, '')}/${encodeObjectKey(objectKey)}?${query.toString()}`
  }

  /** Checks a presigned request for the decoded `objectKey`: signature first, so a forged X-Amz-Expires cannot extend a URL. */
  verify(objectKey: string, query: Record<string, string | string[] | undefined>, nowMs: number): PresignedCheck {
    const single = (name: string) => {
      const value = query[name]
      return typeof value === 'string' ? value : undefined
    }
    const algorithm = single('X-Amz-Algorithm')
    const credential = single('X-Amz-Credential')
    const date = single('X-Amz-Date')
    const expires = single('X-Amz-Expires')
    const signedHeaders = single('X-Amz-SignedHeaders')
    const signature = single('X-Amz-Signature')
    if (
      algorithm !== ALGORITHM ||
      signedHeaders !== SIGNED_HEADERS ||
      credential === undefined ||
      date === undefined ||
      parseBasicUtc(date) === undefined ||
      expires === undefined ||
      !EXPIRES_PATTERN.test(expires) ||
      signature === undefined ||
      !SIGNATURE_PATTERN.test(signature)
    ) {
      return SIGNATURE_FAILURE
    }
    const expected = Buffer.from(this.#signature(objectKey, credential, date, expires), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return SIGNATURE_FAILURE

    const signedAtMs = parseBasicUtc(date) as number
    if (nowMs > signedAtMs + Number(expires) * 1000) return { ok: false, code: 'AccessDenied', message: EXPIRED_MESSAGE }
    return { ok: true }
  }

  #signature(objectKey: string, credential: string, date: string, expires: string): string {
    const signed = [ALGORITHM, credential, date, expires, SIGNED_HEADERS, `/${SHARE_BUCKET}/${objectKey}`]
    if (this.#namespace !== undefined) signed.push(`namespace=${this.#namespace}`)
    const stringToSign = signed.join('\n')
    return createHmac('sha256', this.#secret).update(stringToSign).digest('hex')
  }
}
