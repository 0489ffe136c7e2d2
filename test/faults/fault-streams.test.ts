import { EventEmitter, once } from 'node:events'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import t from 'tap'
import { closeWhenFlushed, dribbledBody, dribbledStream, SLOW_CHUNKS, truncatedBody, truncatedStream } from '../../src/faults/fault-streams.js'
import { bufferOf } from '../helpers/objects.js'

/** Just enough of a socket for closeWhenFlushed: what is still buffered, and whether it was destroyed. */
class FakeSocket extends EventEmitter {
  destroyed = false
  destroyCalls = 0
  constructor(public writableLength = 0) {
    super()
  }
  destroy(): this {
    this.destroyCalls++
    this.destroyed = true
    return this
  }
  asSocket(): Socket {
    return this as unknown as Socket
  }
}

/** A sleep that never waits: it records the ms asked for and resolves at once. */
function fakeSleep(): { slept: number[]; sleep: (ms: number) => Promise<void> } {
  const slept: number[] = []
  return {
    slept,
    sleep: async (ms) => {
      slept.push(ms)
    },
  }
}

/** `count` chunks of `size` bytes, chunk i filled with the byte i. */
const chunksOf = (count: number, size: number): Buffer[] => Array.from({ length: count }, (_, i) => Buffer.alloc(size, i))

/** What a stream gives before it stalls (it may never end): everything it emits until the event loop has turned a few times. */
async function bytesBeforeStall(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  for (let i = 0; i < 10; i++) await nextTurn()
  return Buffer.concat(chunks)
}

t.test('closeWhenFlushed leaves an already destroyed socket alone', async (t) => {
  const socket = new FakeSocket(100)
  socket.destroyed = true
  closeWhenFlushed(socket.asSocket())
  t.equal(socket.destroyCalls, 0, 'not destroyed twice')
  t.equal(socket.listenerCount('drain'), 0, 'no drain listener left behind')
})

t.test('closeWhenFlushed destroys a socket with nothing left to write at once', async (t) => {
  const socket = new FakeSocket(0)
  closeWhenFlushed(socket.asSocket())
  t.equal(socket.destroyCalls, 1)
})

t.test('closeWhenFlushed waits for the written bytes to drain, then destroys', async (t) => {
  const socket = new FakeSocket(4096)
  closeWhenFlushed(socket.asSocket())
  t.equal(socket.destroyCalls, 0, 'not while bytes are still buffered')
  socket.writableLength = 0
  socket.emit('drain')
  t.equal(socket.destroyCalls, 1, 'destroyed once they have left')
  socket.emit('drain')
  t.equal(socket.destroyCalls, 1, 'once only')
})

t.test('truncatedStream cuts at the exact byte inside a chunk, never ends, and closes the socket after', async (t) => {
  const socket = new FakeSocket()
  const source = Readable.from(chunksOf(3, 10))
  const cut = truncatedStream(source, 15, socket.asSocket())
  const got = await bytesBeforeStall(cut)
  t.strictSame(got, Buffer.concat([Buffer.alloc(10, 0), Buffer.alloc(5, 1)]), 'the first 15 bytes exactly')
  t.equal(cut.readableEnded, false, 'the stream never ends: the client must see a short body, not a complete one')
  t.equal(socket.destroyCalls, 1, 'the connection is closed after the cut')
})

t.test('truncatedStream cut on a chunk boundary passes the whole chunk and nothing more', async (t) => {
  const socket = new FakeSocket()
  const got = await bytesBeforeStall(truncatedStream(Readable.from(chunksOf(3, 10)), 20, socket.asSocket()))
  t.strictSame(got, Buffer.concat(chunksOf(2, 10)))
  t.equal(socket.destroyCalls, 1)
})

t.test('truncatedStream at 0 bytes sends nothing and closes', async (t) => {
  const socket = new FakeSocket()
  const got = await bytesBeforeStall(truncatedStream(Readable.from(chunksOf(2, 10)), 0, socket.asSocket()))
  t.equal(got.length, 0)
  t.equal(socket.destroyCalls, 1)
})

t.test('truncatedStream waits for the socket to flush before closing it', async (t) => {
  const socket = new FakeSocket(15)
  await bytesBeforeStall(truncatedStream(Readable.from(chunksOf(3, 10)), 15, socket.asSocket()))
  t.equal(socket.destroyCalls, 0, 'bytes still buffered: not yet')
  socket.emit('drain')
  t.equal(socket.destroyCalls, 1)
})

t.test('truncatedStream passes a source error on', async (t) => {
  const source = new Readable({ read() {} })
  const cut = truncatedStream(source, 100, new FakeSocket().asSocket())
  const failed = once(cut, 'error')
  source.destroy(new Error('disk on fire'))
  const [error] = (await failed) as [Error]
  t.equal(error.message, 'disk on fire')
})

t.test('truncatedBody sends the first half of a body (rounded down)', async (t) => {
  const socket = new FakeSocket()
  const body = Buffer.from('{"code":0,"msg":"Success"}!')
  t.equal(body.length, 27)
  const got = await bytesBeforeStall(truncatedBody(body, socket.asSocket()))
  t.strictSame(got.toString(), body.subarray(0, 13).toString())
  t.equal(socket.destroyCalls, 1)
})

t.test('dribbledBody sends the body in SLOW_CHUNKS pieces, each after a tenth of the time', async (t) => {
  t.equal(SLOW_CHUNKS, 10)
  const { slept, sleep } = fakeSleep()
  const body = Buffer.from('abcdefghijklmnopqrstuvwxy') // 25 bytes: pieces of 3
  const pieces: string[] = []
  const stream = dribbledBody(body, 1000, sleep)
  stream.on('data', (chunk: Buffer) => pieces.push(chunk.toString()))
  await once(stream, 'end')
  t.strictSame(pieces, ['abc', 'def', 'ghi', 'jkl', 'mno', 'pqr', 'stu', 'vwx', 'y'])
  t.strictSame(slept, Array(9).fill(100), 'one wait of totalMs / SLOW_CHUNKS before each piece')
})

t.test('dribbledBody of exactly 10 bytes sends 10 one-byte pieces over the whole time', async (t) => {
  const { slept, sleep } = fakeSleep()
  const stream = dribbledBody(Buffer.from('0123456789'), 60, sleep)
  const got = await bufferOf(stream)
  t.equal(got.toString(), '0123456789')
  t.strictSame(slept, Array(10).fill(6))
})

t.test('dribbledBody of an empty body ends at once, without waiting', async (t) => {
  const { slept, sleep } = fakeSleep()
  const got = await bufferOf(dribbledBody(Buffer.alloc(0), 500, sleep))
  t.equal(got.length, 0)
  t.strictSame(slept, [])
})

t.test('dribbledBody waits for sleep before each piece', async (t) => {
  const releases: (() => void)[] = []
  const sleep = (_ms: number) => new Promise<void>((resolve) => releases.push(resolve))
  const stream = dribbledBody(Buffer.from('ab'), 10, sleep)
  const pieces: string[] = []
  stream.on('data', (chunk: Buffer) => pieces.push(chunk.toString()))
  await nextTurn()
  t.strictSame(pieces, [], 'nothing before the first wait is over')
  t.equal(releases.length, 1)
  releases[0]!()
  await nextTurn()
  t.strictSame(pieces, ['a'])
  releases[1]!()
  await once(stream, 'end')
  t.strictSame(pieces, ['a', 'b'])
})

t.test('dribbledStream holds back each of the first SLOW_CHUNKS chunks, then lets the rest through', async (t) => {
  const { slept, sleep } = fakeSleep()
  const chunks = chunksOf(13, 4)
  const got = await bufferOf(dribbledStream(Readable.from(chunks), 300, sleep))
  t.strictSame(got, Buffer.concat(chunks), 'every byte, in order')
  t.strictSame(slept, Array(10).fill(30), 'ten waits of totalMs / SLOW_CHUNKS; chunks 11 to 13 wait for nothing')
})

t.test('dribbledStream of fewer bytes than SLOW_CHUNKS pieces still takes totalMs', async (t) => {
  const { slept, sleep } = fakeSleep()
  const got = await bufferOf(dribbledStream(Readable.from(chunksOf(3, 2)), 100, sleep))
  t.strictSame(got, Buffer.concat(chunksOf(3, 2)))
  t.strictSame(slept, [10, 10, 10, 10, 10, 10, 40], 'a pause per byte it could cut, then the rest at the end')
})

t.test('dribbledStream cuts a single large chunk into SLOW_CHUNKS pieces', async (t) => {
  const { slept, sleep } = fakeSleep()
  const chunk = Buffer.alloc(1000, 7)
  const got = await bufferOf(dribbledStream(Readable.from([chunk, Buffer.from('tail')]), 100, sleep))
  t.strictSame(got, Buffer.concat([chunk, Buffer.from('tail')]))
  t.strictSame(slept, Array.from({ length: 10 }, () => 10), 'the whole delay spent on the first chunk; the tail flows')
})

t.test('dribbledStream passes a source error on', async (t) => {
  const source = new Readable({ read() {} })
  const slow = dribbledStream(source, 100, fakeSleep().sleep)
  const failed = once(slow, 'error')
  source.destroy(new Error('read failed'))
  const [error] = (await failed) as [Error]
  t.equal(error.message, 'read failed')
})
