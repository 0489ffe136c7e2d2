import t from 'tap'
import { createFileIds, createHexTokens, createRequestIds, createSnowflakeIds } from '../../../src/domain/time-and-ids/ids.js'
import { seededStream, type RandomGenerator } from '../../../src/domain/time-and-ids/random.js'

const MAX_SIGNED_LONG = 9223372036854775807n

/** A generator that yields `words` in turn, to pin how words become characters. */
function fixedWords(...words: number[]): RandomGenerator {
  let i = 0
  const rng: RandomGenerator = { next: () => words[i++ % words.length] as number, clone: () => rng, getState: () => [] }
  return rng
}

function take(next: () => string, count: number): string[] {
  return Array.from({ length: count }, next)
}

t.test('snowflake IDs are 19 decimal digits, below a signed 64-bit long, and never repeat', async (t) => {
  const ids = take(createSnowflakeIds(seededStream(42, 0)), 100_000)
  const shapeless = ids.filter((id) => !/^[1-9]\d{18}$/.test(id))
  t.strictSame(shapeless, [], 'every ID has 19 digits and no leading zero')
  const tooBig = ids.filter((id) => BigInt(id) > MAX_SIGNED_LONG)
  t.strictSame(tooBig, [], 'every ID fits a signed long')
  t.equal(new Set(ids).size, ids.length, '100000 distinct IDs')
})

t.test('snowflake IDs follow from the seed alone', async (t) => {
  t.strictSame(take(createSnowflakeIds(seededStream(42, 0)), 50), take(createSnowflakeIds(seededStream(42, 0)), 50))
  t.notSame(
    take(createSnowflakeIds(seededStream(42, 0)), 5),
    take(createSnowflakeIds(seededStream(43, 0)), 5),
    'another seed, other IDs',
  )
})

t.test('snowflake IDs do not count up visibly', async (t) => {
  const [first, second, third] = take(createSnowflakeIds(seededStream(1, 0)), 3).map(BigInt) as [bigint, bigint, bigint]
  t.not(second - first, 1n)
  t.not(third - second, second - first, 'no constant stride')
})

t.test('request IDs are 32 lowercase hex characters', async (t) => {
  const ids = take(createRequestIds(seededStream(42, 1)), 10_000)
  t.strictSame(ids.filter((id) => !/^[0-9a-f]{32}$/.test(id)), [])
  t.equal(new Set(ids).size, ids.length, 'all distinct')
})

t.test('request IDs keep leading zeros of each 32-bit word', async (t) => {
  // A generator whose words are small: each must still take 8 hex characters.
  t.equal(createRequestIds(fixedWords(0, 1, 2, 3))(), '00000000000000010000000200000003')
  // Negative words are read as unsigned, not printed with a minus sign.
  t.equal(createRequestIds(fixedWords(-1))(), 'ffffffffffffffffffffffffffffffff')
})

t.test('request IDs follow from the seed', async (t) => {
  t.strictSame(take(createRequestIds(seededStream(42, 1)), 20), take(createRequestIds(seededStream(42, 1)), 20))
  t.notSame(take(createRequestIds(seededStream(42, 1)), 5), take(createRequestIds(seededStream(43, 1)), 5))
})

t.test('file IDs are F and 32 URL-safe base64 characters', async (t) => {
  const ids = take(createFileIds(seededStream(42, 2)), 10_000)
  t.strictSame(ids.filter((id) => !/^F[A-Za-z0-9_-]{32}$/.test(id)), [])
  t.equal(new Set(ids).size, ids.length, 'all distinct')
  t.match(ids.join(''), /-/, 'the URL-safe "-" is used')
  t.match(ids.join(''), /_/, 'the URL-safe "_" is used')
})

t.test('a file ID takes the low six bits of each word, in base64url order', async (t) => {
  t.equal(createFileIds(fixedWords(...Array.from({ length: 32 }, (_, i) => i)))(), 'FABCDEFGHIJKLMNOPQRSTUVWXYZabcdef')
  t.equal(createFileIds(fixedWords(-1))(), `F${'_'.repeat(32)}`, 'a negative word still maps into the alphabet')
  t.equal(createFileIds(fixedWords(64 + 62))(), `F${'-'.repeat(32)}`)
})

t.test('file IDs follow from the seed', async (t) => {
  t.strictSame(take(createFileIds(seededStream(42, 2)), 20), take(createFileIds(seededStream(42, 2)), 20))
  t.notSame(take(createFileIds(seededStream(42, 2)), 5), take(createFileIds(seededStream(43, 2)), 5))
})

t.test('hex tokens are lowercase hex of exactly the asked length', async (t) => {
  for (const length of [48, 32, 12, 1]) {
    const tokens = take(createHexTokens(seededStream(42, 3), length), 1_000)
    t.strictSame(tokens.filter((token) => !new RegExp(`^[0-9a-f]{${length}}$`).test(token)), [], `length ${length}`)
    if (length >= 12) t.equal(new Set(tokens).size, tokens.length, `length ${length}: all distinct`)
  }
  t.equal(createHexTokens(seededStream(42, 3), 0)(), '', 'length 0 gives an empty token')
})

t.test('a hex token is its words in order, unsigned and zero-padded, cut to length', async (t) => {
  t.equal(createHexTokens(fixedWords(0x12345678, 0x9abcdef0 | 0), 12)(), '123456789abc')
  t.equal(createHexTokens(fixedWords(1), 16)(), '0000000100000001')
})

t.test('hex tokens follow from the seed', async (t) => {
  t.strictSame(take(createHexTokens(seededStream(42, 3), 48), 20), take(createHexTokens(seededStream(42, 3), 48), 20))
  t.notSame(take(createHexTokens(seededStream(42, 3), 48), 5), take(createHexTokens(seededStream(43, 3), 48), 5))
})
