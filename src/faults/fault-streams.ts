import type { Socket } from 'node:net'
import { Readable, Transform } from 'node:stream'

/** How many pieces a `slow` body is dribbled in. */
export const SLOW_CHUNKS = 10

/** Closes `socket` once what was written to it has left: the client gets the bytes, then the close. */
export function closeWhenFlushed(socket: Socket): void {
  if (socket.destroyed) return
  if (socket.writableLength === 0) return void socket.destroy()
  socket.once('drain', () => socket.destroy())
}

/**
 * A stream of at most `maxBytes` of `source` that never ends: after the cut the connection is
 * closed, so the client sees a body shorter than its Content-Length.
 */
export function truncatedStream(source: Readable, maxBytes: number, socket: Socket): Readable {
  let sent = 0
  const cut = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const room = maxBytes - sent
      sent += chunk.length
      if (room > chunk.length) return done(null, chunk)
      done(null, chunk.subarray(0, Math.max(room, 0)))
      source.unpipe(cut)
      setImmediate(() => closeWhenFlushed(socket))
    },
  })
  source.on('error', (error) => cut.destroy(error))
  return source.pipe(cut)
}

/** The first half of `body`, then the connection closes. */
export function truncatedBody(body: Buffer, socket: Socket): Readable {
  return truncatedStream(Readable.from([body]), Math.floor(body.length / 2), socket)
}

/** `body` in SLOW_CHUNKS pieces spread over `totalMs`. */
export function dribbledBody(body: Buffer, totalMs: number, sleep: (ms: number) => Promise<void>): Readable {
  const size = Math.ceil(body.length / SLOW_CHUNKS) || 1
  let offset = 0
  return new Readable({
    read() {
      if (offset >= body.length) return void this.push(null)
      const piece = body.subarray(offset, offset + size)
      offset += size
      void sleep(totalMs / SLOW_CHUNKS).then(() => this.push(piece))
    },
  })
}

/**
 * `source` held back so it takes `totalMs`: the first SLOW_CHUNKS pieces each wait totalMs /
 * SLOW_CHUNKS, a chunk being cut into pieces when fewer chunks than that would come; the rest flows.
 */
export function dribbledStream(source: Readable, totalMs: number, sleep: (ms: number) => Promise<void>): Readable {
  let delayed = 0
  const slow = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      void (async () => {
        let offset = 0
        while (delayed < SLOW_CHUNKS && offset < chunk.length) {
          const size = Math.ceil((chunk.length - offset) / (SLOW_CHUNKS - delayed))
          await sleep(totalMs / SLOW_CHUNKS)
          this.push(chunk.subarray(offset, offset + size))
          offset += size
          delayed++
        }
        done(null, offset < chunk.length ? chunk.subarray(offset) : undefined)
      })()
    },
    // A body too short for SLOW_CHUNKS pieces still takes `totalMs` before it ends.
    flush(done) {
      const left = SLOW_CHUNKS - delayed
      if (left === 0) return done()
      void sleep((totalMs * left) / SLOW_CHUNKS).then(() => done())
    },
  })
  source.on('error', (error) => slow.destroy(error))
  return source.pipe(slow)
}
