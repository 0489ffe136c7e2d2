import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** How long a connection over the cap may take to send its request: plenty for a client that opened it to send one. */
export const OVER_CAP_IDLE_MS = 1000

export interface ConnectionEvents {
  /** The first connection past the cap, after a time under it. */
  capReached(max: number): void
  /** Well under the cap again (90 % of it), with how many connections were refused meanwhile. */
  capCleared(max: number, refused: number): void
}

/**
 * The server's open connections, each with the response to its latest request: what the
 * connection cap counts, what tells a reply it is the last one of its connection, and what
 * shutdown reads to close every connection that is not waiting for an answer.
 *
 * @example
 * const connections = new OpenConnections(1000, { capReached: () => {}, capCleared: () => {} })
 * server.on('connection', (socket) => connections.add(socket))
 */
export class OpenConnections {
  /** Every open socket, with the response to the latest request read from it (none yet: undefined). */
  readonly #latest = new Map<Socket, ServerResponse | undefined>()
  readonly #overCap = new WeakSet<Socket>()
  /** Where "cleared" is said: a little under the cap, so a server hovering at it does not log every connection. */
  readonly #clearedAt: number
  #admitted = 0
  /** Connections refused since the cap was reached; undefined while under it. */
  #refused: number | undefined

  constructor(
    readonly max: number,
    private readonly events: ConnectionEvents,
  ) {
    this.#clearedAt = Math.floor(max * 0.9)
  }

  get size(): number {
    return this.#latest.size
  }

  /** A new connection: served while fewer than `max` are, otherwise marked to be refused. */
  add(socket: Socket): void {
    this.#latest.set(socket, undefined)
    if (this.#admitted < this.max) {
      this.#admitted += 1
      socket.once('close', () => {
        this.#latest.delete(socket)
        this.#admitted -= 1
        if (this.#refused !== undefined && this.#admitted <= this.#clearedAt) {
          this.events.capCleared(this.max, this.#refused)
          this.#refused = undefined
        }
      })
      return
    }
    this.#overCap.add(socket)
    // A refused connection is answered once its request arrives; one that sends none holds a
    // descriptor for nothing. Checked after the next poll, which reads what a loaded server has
    // not read yet, so a request that arrived in time is answered, not reset.
    const unanswered = setTimeout(() => setImmediate(() => this.#latest.get(socket) === undefined && socket.destroy()), OVER_CAP_IDLE_MS)
    socket.once('close', () => {
      clearTimeout(unanswered)
      this.#latest.delete(socket)
    })
    if (this.#refused === undefined) {
      this.#refused = 0
      this.events.capReached(this.max)
    }
    this.#refused += 1
  }

  /** Called for every request, before the app sees it. */
  noteResponse(response: ServerResponse): void {
    this.#latest.set(response.req.socket, response)
  }

  isOverCap(socket: Socket): boolean {
    return this.#overCap.has(socket)
  }

  /** Whether `request` is the latest one read from its connection: no pipelined request waits behind it. */
  isLatest(request: IncomingMessage): boolean {
    return this.#latest.get(request.socket)?.req === request
  }

  /** Whether bytes written to `socket` now cannot land inside a response that is already being sent. */
  mayWriteTo(socket: Socket): boolean {
    const response = this.#latest.get(socket)
    return response === undefined || response.headersSent === false || response.writableFinished
  }

  /** Whether the connection's current request has its headers read and its body still coming. */
  isReadingBody(socket: Socket): boolean {
    const response = this.#latest.get(socket)
    return response !== undefined && !response.writableFinished && !response.req.complete
  }

  /**
   * Closes every connection with no request in progress: idle ones, and ones still sending a
   * request's headers. One whose body is still arriving keeps its chance to be answered. Returns
   * how many it closed.
   */
  closeIdle(): number {
    let closed = 0
    for (const [socket, response] of this.#latest) {
      if (response !== undefined && !response.writableFinished) continue
      socket.destroySoon()
      closed += 1
    }
    return closed
  }
}
