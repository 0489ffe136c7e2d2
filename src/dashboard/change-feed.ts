import { Readable } from 'node:stream'
import { CHANGE_TOPICS, type ChangeTopic } from '../../schemas/dashboard.js'

export interface ChangeFeedOptions {
  /** Changes within this window go out as one event: a load test must not become an event storm. */
  windowMs?: number
  /** A comment this often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number
  /** How long a browser waits before it reconnects (the stream's `retry:`). */
  retryMs?: number
}

const frame = (event: string, topics: readonly ChangeTopic[]) => `event: ${event}\ndata: ${JSON.stringify({ topics })}\n\n`

/**
 * One client's event stream. It writes only while its reader keeps up; meanwhile changes gather in
 * a set of at most five topics, so a stalled reader costs a few bytes, never a growing buffer.
 */
class ChangeStream extends Readable {
  readonly #pending = new Set<ChangeTopic>()
  #wanted = false
  #ended = false

  constructor(
    retryMs: number,
    private readonly onGone: (stream: ChangeStream) => void,
  ) {
    super()
    this.push(`retry: ${retryMs}\n\n${frame('ready', CHANGE_TOPICS)}`)
  }

  notify(topics: Iterable<ChangeTopic>): void {
    for (const topic of topics) this.#pending.add(topic)
    this.#write()
  }

  heartbeat(): void {
    if (this.#wanted) this.#wanted = this.push(': keep-alive\n\n')
  }

  /** The end of the stream (the server closes): the client sees it end, not fail. */
  finish(): void {
    if (this.#ended) return
    this.#ended = true
    this.push(null)
  }

  override _read(): void {
    this.#wanted = true
    this.#write()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.onGone(this)
    callback(error)
  }

  #write(): void {
    if (!this.#wanted || this.#ended || this.#pending.size === 0) return
    this.#wanted = this.push(frame('change', [...this.#pending]))
    this.#pending.clear()
  }
}

/**
 * What changed in the emulator, for the dashboard's open pages: topics gathered over a short
 * window and sent to every stream as one `change` event. Publishing costs a size check while no
 * page is open.
 */
export class ChangeFeed {
  readonly #streams = new Set<ChangeStream>()
  readonly #pending = new Set<ChangeTopic>()
  readonly #windowMs: number
  readonly #heartbeatMs: number
  readonly #retryMs: number
  #flushTimer: NodeJS.Timeout | undefined
  #heartbeatTimer: NodeJS.Timeout | undefined
  #closed = false

  constructor(options: ChangeFeedOptions = {}) {
    this.#windowMs = options.windowMs ?? 100
    this.#heartbeatMs = options.heartbeatMs ?? 15_000
    this.#retryMs = options.retryMs ?? 2_000
  }

  /** Open streams. */
  get size(): number {
    return this.#streams.size
  }

  publish(topics: readonly ChangeTopic[]): void {
    if (this.#streams.size === 0 || topics.length === 0) return
    for (const topic of topics) this.#pending.add(topic)
    this.#flushTimer ??= setTimeout(() => this.flush(), this.#windowMs)
  }

  /** A new stream: `ready` (read everything) first, then the changes. It leaves when destroyed. */
  subscribe(): Readable {
    const stream = new ChangeStream(this.#retryMs, (gone) => this.#remove(gone))
    // A page reconnecting while the server drains gets its answer and the end, not a stream that holds the close.
    if (this.#closed) {
      stream.finish()
      return stream
    }
    this.#streams.add(stream)
    // unref: a quiet dashboard never keeps the process alive on its own.
    this.#heartbeatTimer ??= setInterval(() => {
      for (const open of this.#streams) open.heartbeat()
    }, this.#heartbeatMs).unref()
    return stream
  }

  /** Ends every stream, so a server closing is not held open by a dashboard. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    this.#pending.clear()
    clearInterval(this.#heartbeatTimer)
    this.#heartbeatTimer = undefined
    for (const stream of [...this.#streams]) stream.finish()
  }

  /** Sends what was gathered now (the window's timer calls this). */
  flush(): void {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    const topics = [...this.#pending]
    this.#pending.clear()
    for (const stream of this.#streams) stream.notify(topics)
  }

  #remove(stream: ChangeStream): void {
    this.#streams.delete(stream)
    if (this.#streams.size > 0) return
    clearInterval(this.#heartbeatTimer)
    this.#heartbeatTimer = undefined
  }
}
