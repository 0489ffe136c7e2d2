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

/** Each chunk of `source` held back so the first SLOW_CHUNKS chunks take `totalMs`. */
export function dribbledStream(source: Readable, totalMs: number, sleep: (ms: number) => Promise<void>): Readable {
  let chunks = 0
  const slow = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunks++ >= SLOW_CHUNKS) return done(null, chunk)
      void sleep(totalMs / SLOW_CHUNKS).then(() => done(null, chunk))
    },
  })
  source.on('error', (error) => slow.destroy(error))
  return source.pipe(slow)
}
