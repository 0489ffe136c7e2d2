import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import t from 'tap'
import { CONTENT_CHUNK_BYTES, contentBytes, fileContentStream } from '../../../src/domain/objects/file-content.js'

async function chunksOf(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return chunks
}

async function bytesOf(fileId: string, size: number): Promise<Buffer> {
  return Buffer.concat(await chunksOf(fileContentStream(fileId, size)))
}

t.test('fileContentStream gives exactly size bytes, in chunks of at most 64 KiB', async (t) => {
  for (const size of [0, 1, 15, 16, 17, CONTENT_CHUNK_BYTES - 1, CONTENT_CHUNK_BYTES, CONTENT_CHUNK_BYTES + 1, 200_000]) {
    const chunks = await chunksOf(fileContentStream('F1', size))
    t.equal(Buffer.concat(chunks).length, size, `${size} bytes`)
    t.equal(chunks.length, Math.ceil(size / CONTENT_CHUNK_BYTES), `${size} bytes in ${Math.ceil(size / CONTENT_CHUNK_BYTES)} chunks`)
    t.ok(chunks.every((chunk) => chunk.length <= CONTENT_CHUNK_BYTES), 'no chunk over 64 KiB')
  }
})

t.test('fileContentStream gives the same bytes for the same fileId every time', async (t) => {
  t.same(await bytesOf('Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI', 100_000), await bytesOf('Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI', 100_000))
})

t.test('content is the AES-128-CTR keystream under SHA-256(fileId), pinned so downloads stay comparable across versions', async (t) => {
  const bytes = await bytesOf('Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI', 1000)
  // The same 16 bytes as: head -c 16 /dev/zero | openssl enc -aes-128-ctr -K <first 32 hex of sha256(fileId)> -iv 0…0
  t.equal(bytes.subarray(0, 16).toString('hex'), '871952ef87e4c9fef5b6c4da96baff86', 'first block')
  t.equal(createHash('sha256').update(bytes).digest('hex'), 'b572fd1202922a04690461ab50593f4dca51d119531d23d21769ac1d00966714', 'sha256 of 1000 bytes')
})

t.test('different fileIds give different content', async (t) => {
  const contents = await Promise.all(['F1', 'F2', 'F3', 'f1'].map((fileId) => bytesOf(fileId, 64)))
  t.equal(new Set(contents.map((bytes) => bytes.toString('hex'))).size, 4)
})

t.test('a shorter size gives the start of a longer one, so a capped file is a prefix of the whole', async (t) => {
  const whole = await bytesOf('F1', 150_000)
  for (const size of [1, 100, CONTENT_CHUNK_BYTES, 70_000]) t.same(await bytesOf('F1', size), whole.subarray(0, size), `${size} bytes`)
})

t.test('content looks random: no long runs, all byte values used, incompressible', async (t) => {
  const bytes = await bytesOf('F1', CONTENT_CHUNK_BYTES)
  t.equal(new Set(bytes).size, 256, 'every byte value occurs')
  t.not(bytes.subarray(0, 16).toString('hex'), bytes.subarray(16, 32).toString('hex'), 'no repeating 16-byte block')
})

t.test('content is made as it is read: a terabyte file costs one chunk to start', async (t) => {
  const stream = fileContentStream('F1', 2 ** 40)
  const iterator = stream[Symbol.asyncIterator]()
  const first = await iterator.next()
  t.equal((first.value as Buffer).length, CONTENT_CHUNK_BYTES, 'first chunk')
  t.ok(stream.readableLength <= 2 * CONTENT_CHUNK_BYTES, `buffered ${stream.readableLength} bytes`)
  stream.destroy()
})

t.test('a negative or fractional size is read as the whole bytes below it', async (t) => {
  t.equal((await bytesOf('F1', -5)).length, 0)
  t.equal((await bytesOf('F1', 10.9)).length, 10)
})

t.test('contentBytes is the declared size, capped at maxBytes', async (t) => {
  t.equal(contentBytes(100, 1000), 100, 'under the cap')
  t.equal(contentBytes(1000, 1000), 1000, 'at the cap')
  t.equal(contentBytes(5_000_000_000, 1_048_576), 1_048_576, 'over the cap')
  t.equal(contentBytes(0, 10), 0, 'empty file')
})
