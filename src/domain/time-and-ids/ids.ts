import { uniformBigInt } from 'pure-rand/distribution/uniformBigInt'
import type { RandomGenerator } from './random.js'

const ID_BITS = 62
const ID_MASK = (1n << BigInt(ID_BITS)) - 1n
/** Keeps every ID at 19 digits: 10^18 + (a 62-bit value) stays below 2^63, a signed long on the vendor's side. */
const ID_OFFSET = 10n ** 18n

/**
 * 19-digit decimal IDs shaped like the vendor's (`1689765568237837824`).
 *
 * Each ID is a keyed bijection of a counter over 62 bits (odd multiply, xor-shift, xor), so IDs look
 * random, follow from the seed alone, and never repeat within a process, without remembering them.
 */
export function createSnowflakeIds(rng: RandomGenerator): () => string {
  const multiplier = uniformBigInt(rng, 0n, ID_MASK) | 1n
  const key = uniformBigInt(rng, 0n, ID_MASK)
  let counter = 0n
  // asUintN, not `& ID_MASK`: the same bits, a third less time (one BigInt fewer each).
  return () => {
    let x = BigInt.asUintN(ID_BITS, counter++ * multiplier)
    x ^= x >> 31n
    x = BigInt.asUintN(ID_BITS, (x ^ key) * multiplier)
    return (ID_OFFSET + x).toString()
  }
}

/** Two hex digits for each byte value: a request ID is 16 lookups, not 4 toString(16) and padStart. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))
const hex32 = (n: number) => (HEX_BYTES[n >>> 24] as string) + HEX_BYTES[(n >>> 16) & 255] + HEX_BYTES[(n >>> 8) & 255] + HEX_BYTES[n & 255]

/** 32 lowercase hex characters, the API gateway's request_id. */
export function createRequestIds(rng: RandomGenerator): () => string {
  return () => hex32(rng.next()) + hex32(rng.next()) + hex32(rng.next()) + hex32(rng.next())
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** File IDs shaped like the vendor's: `F` + 32 URL-safe base64 characters. */
export function createFileIds(rng: RandomGenerator): () => string {
  return () => {
    let id = 'F'
    for (let i = 0; i < 32; i++) id += BASE64URL[rng.next() & 63]
    return id
  }
}

/** Lowercase hex tokens of `length` characters (kdstoken: 48). */
export function createHexTokens(rng: RandomGenerator, length: number): () => string {
  return () => {
    let token = ''
    while (token.length < length) token += (rng.next() >>> 0).toString(16).padStart(8, '0')
    return token.slice(0, length)
  }
}
