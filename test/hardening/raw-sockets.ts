import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { Worker } from 'node:worker_threads'

/** Rejects with `message` when `promise` takes longer than `ms`: every wait on a real socket is bounded. */
export function guard<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}

export interface RawAnswer {
  statusCode: number
  /** Header names lowercased; the last value of a repeated header. */
  headers: Record<string, string>
  body: string
}

/**
 * A client connection read as raw HTTP/1.1: the answers in order (each with a Content-Length or
 * chunked), when the server closed it, and everything it sent.
 */
export class RawConnection {
  readonly answers: RawAnswer[] = []
  readonly openedAtMs = performance.now()
  /** Milliseconds from opening to the server's close; undefined while open. */
  closedAfterMs: number | undefined
  error: string | undefined
  received: Buffer = Buffer.alloc(0)
  readonly closed: Promise<number>
  #unread: Buffer = Buffer.alloc(0)
  #waiters: (() => void)[] = []

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk])
      this.#unread = Buffer.concat([this.#unread, chunk])
      this.#parse()
      this.#wake()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error.code ?? error.message
    })
    this.closed = once(socket, 'close').then(() => {
      this.closedAfterMs = Math.round(performance.now() - this.openedAtMs)
      this.#wake()
      return this.closedAfterMs
    })
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1')
    await guard(once(socket, 'connect'), 2_000, 'could not connect')
    return new RawConnection(socket)
  }

  write(data: string | Buffer): void {
    this.socket.write(data)
  }

  /** The `n`th answer (0-based), once it is whole; rejects when the connection closes first or `ms` pass. */
  async answer(n: number, ms = 2_000): Promise<RawAnswer> {
    const deadline = performance.now() + ms
    while (this.answers.length <= n) {
      if (this.closedAfterMs !== undefined) throw new Error(`closed after ${this.answers.length} answers (${this.error ?? 'no error'}): ${this.received.toString('latin1').slice(0, 300)}`)
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`no answer ${n} within ${ms} ms`)
      await guard(new Promise<void>((resolve) => this.#waiters.push(resolve)), left, `no answer ${n} within ${ms} ms`).catch(() => undefined)
    }
    return this.answers[n] as RawAnswer
  }

  /** Milliseconds from opening until the server closed the connection; rejects after `ms`. */
  closedWithin(ms: number): Promise<number> {
    return guard(this.closed, ms, `the server did not close the connection within ${ms} ms`)
  }

  destroy(): void {
    this.socket.destroy()
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake()
  }

  #parse(): void {
    for (;;) {
      const headEnd = this.#unread.indexOf('\r\n\r\n')
      if (headEnd < 0) return
      const [statusLine = '', ...lines] = this.#unread.subarray(0, headEnd).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const statusCode = Number(statusLine.slice(9, 12))
      // 1xx answers (100 Continue) come before the real one and carry no body.
      if (statusCode < 200) {
        this.#unread = this.#unread.subarray(headEnd + 4)
        continue
      }
      let body: Buffer
      let rest: Buffer
      if (headers['transfer-encoding'] === 'chunked') {
        const end = this.#unread.indexOf('\r\n0\r\n\r\n', headEnd)
        if (end < 0) return
        body = dechunk(this.#unread.subarray(headEnd + 4, end + 2))
        rest = this.#unread.subarray(end + 7)
      } else {
        const length = Number(headers['content-length'] ?? 0)
        if (this.#unread.length < headEnd + 4 + length) return
        body = this.#unread.subarray(headEnd + 4, headEnd + 4 + length)
        rest = this.#unread.subarray(headEnd + 4 + length)
      }
      this.answers.push({ statusCode, headers, body: body.toString() })
      this.#unread = rest
    }
  }
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset)
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16)
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** A raw HTTP/1.1 request: `head` lines (request line first), then the body. */
export function rawRequest(head: string[], body = ''): string {
  const lines = body === '' ? head : [...head, `Content-Length: ${Buffer.byteLength(body)}`]
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

export const HEALTH_REQUEST = rawRequest(['GET /__admin/health HTTP/1.1', 'Host: 127.0.0.1'])

/**
 * A fetch client in a worker thread, as a separate program would be: in the server's own event
 * loop the client's writes and the server's close never race, so a reset that a real client sees
 * does not show. It POSTs `tries` bodies of `bytes` (a Buffer with a Content-Length, or a stream
 * sent chunked) one after the other and counts the outcomes: status, envelope and Connection
 * header, or fetch's error.
 */
const FETCH_CLIENT = `
const { parentPort, workerData: { url, headers, bytes, tries, chunked } } = require('node:worker_threads')
const body = Buffer.alloc(bytes, 0x20)
const stream = () => new ReadableStream({ start(c) { for (let o = 0; o < bytes; o += 65536) c.enqueue(body.subarray(o, o + 65536)); c.close() } })
;(async () => {
  const outcomes = {}
  for (let i = 0; i < tries; i++) {
    let outcome
    try {
      const res = await fetch(url, { method: 'POST', headers, body: chunked ? stream() : body, duplex: 'half' })
      const envelope = await res.json()
      const wellFormed = envelope.request_id === res.headers.get('x-request-id') ? 'request_id = X-Request-Id' : 'request_id differs'
      outcome = res.status + ' ' + envelope.error_code + ' ' + envelope.error_msg + ', ' + wellFormed + ', Connection: ' + res.headers.get('connection')
    } catch (error) {
      outcome = error.message + ': ' + (error.cause?.code ?? error.cause?.message ?? 'no cause')
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
  }
  parentPort.postMessage(outcomes)
})()
`

export interface WorkerFetch {
  url: string
  headers: Record<string, string>
  bytes: number
  tries: number
  chunked: boolean
}

export async function fetchOutcomesFromWorker(request: WorkerFetch): Promise<Record<string, number>> {
  const worker = new Worker(FETCH_CLIENT, { eval: true, workerData: request })
  try {
    const [outcomes] = (await guard(once(worker, 'message'), 20_000, 'the client worker did not finish')) as [Record<string, number>]
    return outcomes
  } finally {
    await worker.terminate()
  }
}

/** Resolves once `condition()` holds, checking every 5 ms; rejects with `message` after `ms`. */
export async function eventually(condition: () => boolean, ms: number, message: string): Promise<void> {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(message)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
