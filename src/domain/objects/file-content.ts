import { createCipheriv, createHash } from 'node:crypto'
import { Readable } from 'node:stream'

/** The largest chunk a content stream pushes. */
export const CONTENT_CHUNK_BYTES = 64 * 1024

/** Plaintext for the keystream: read-only, shared by every stream. */
const ZEROS = Buffer.alloc(CONTENT_CHUNK_BYTES)

/** How many bytes to serve for a file of `declaredSize` when downloads are capped at `maxBytes`. */
export function contentBytes(declaredSize: number, maxBytes: number): number {
  return Math.min(declaredSize, maxBytes)
}

/**
 * The first `size` bytes of a file's content: pseudo-random bytes, the AES-128-CTR keystream under
 * SHA-256(fileId). Random rather than readable text so that compression anywhere on the path (zip,
 * gzip proxies) cannot make a download smaller or faster than a real photo or video would be; AES-CTR
 * rather than a JS PRNG because it is native (about 1.5 GB/s against 0.3 GB/s) and seekable, and a
 * shorter size always gives a prefix of a longer one, so a capped file is the start of the real one.
 * Chunks are made as the consumer reads, so a 4 GB file never sits in memory.
 */
export function fileContentStream(fileId: string, size: number): Readable {
  const key = createHash('sha256').update(fileId).digest().subarray(0, 16)
  const keystream = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  let remaining = Math.max(0, Math.floor(size))
  return new Readable({
    highWaterMark: CONTENT_CHUNK_BYTES,
    read() {
      if (remaining === 0) {
        this.push(null)
        return
      }
      const length = Math.min(remaining, CONTENT_CHUNK_BYTES)
      remaining -= length
      this.push(keystream.update(ZEROS.subarray(0, length)))
    },
  })
}
