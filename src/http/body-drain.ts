import type { IncomingMessage } from 'node:http'

/** How long a body may pause before the drain stops waiting: a client that declared more than it sends still gets its answer. */
export const DRAIN_IDLE_MS = 1000

/**
 * Reads and throws away what is left of a request's body, at most `maxBytes` of it. Resolves true
 * once the body has all arrived, false when it is longer than that (a declared Content-Length over
 * `maxBytes` is not read at all), when nothing arrives for `idleMs`, or when the connection closes.
 *
 * Why: a server that answers and closes while the client is still sending makes the client's
 * kernel reset the connection, and the client (Node's fetch) gets EPIPE instead of the answer.
 *
 * @example
 * await discardBody(request.raw, 64 * 1024 * 1024)
 * reply.header('connection', 'close').send(tooLarge)
 */
export function discardBody(request: IncomingMessage, maxBytes: number, idleMs = DRAIN_IDLE_MS): Promise<boolean> {
  if (request.complete) return Promise.resolve(true)
  if (request.destroyed || Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(false)
  return new Promise((resolve) => {
    let received = 0
    const finish = (drained: boolean) => {
      clearTimeout(idle)
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('close', onClose)
      resolve(drained)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) finish(false)
      else idle.refresh()
    }
    const onEnd = () => finish(true)
    const onClose = () => finish(false)
    const idle = setTimeout(() => finish(false), idleMs)
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('close', onClose)
  })
}
