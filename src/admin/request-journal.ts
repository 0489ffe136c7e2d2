import type { JournalEntry } from '../../schemas/admin.js'
import { redactQuery, redactSecrets } from '../secrets.js'

/** Set when a body was longer than the journal keeps: its whole length and what was kept, in bytes. */
interface Truncation {
  originalBytes: number
  keptBytes: number
}

/**
 * What the journal keeps of one request, as it happened (secrets are redacted when read). The
 * request pipeline makes it with the texts as they were; `record` cuts them to the cap in place.
 */
export interface JournalRecord {
  seq: number
  atMs: number
  method: string
  path: string
  query: string
  operation: string
  userId: string | undefined
  headers: Record<string, string | string[] | undefined>
  /** The body's JSON text as received, when it parsed: a flat string, cheaper to keep than the object; parsed again when read. */
  bodyText: string | undefined
  /** The body's length in bytes, as received. */
  bodyBytes: number
  bodyTruncated: Truncation | undefined
  status: number
  /** The response as sent: text for JSON and XML, absent for a streamed download. */
  responseText: string | undefined
  responseType: string | undefined
  responseTruncated: Truncation | undefined
  durationMs: number
  fault: string | undefined
  /** What this record counts against the byte budget; set by `record`. */
  bytes: number
}

export interface JournalFilter {
  operation?: string
  status?: number
  userId?: string
  sinceMs?: number
}

export interface JournalLimits {
  /** Entries kept (MOCK_JOURNAL_SIZE); 0 keeps none. */
  capacity: number
  /** Bytes all kept entries may take together (MOCK_JOURNAL_MAX_BYTES). */
  maxBytes: number
  /** Bytes kept of each request and response body; past it, the first bytes (MOCK_JOURNAL_BODY_BYTES). */
  bodyBytes: number
  /** Hide secrets when entries are read (MOCK_JOURNAL_REDACT). */
  redact: boolean
}

/** What a record costs beyond its texts: the record object, its numbers and short strings. */
const RECORD_OVERHEAD_BYTES = 512

const utf8 = new TextEncoder()
const prefixDecoder = new TextDecoder('utf-8')

/** The first `maxBytes` bytes of `text` as UTF-8, whole characters only. */
export function utf8Prefix(text: string, maxBytes: number): string {
  // stream: true holds back a character cut in half instead of turning it into U+FFFD.
  const kept = prefixDecoder.decode(utf8.encode(text).subarray(0, maxBytes), { stream: true })
  prefixDecoder.decode()
  return kept
}

const textBytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text))

function headerBytes(headers: JournalRecord['headers']): number {
  let bytes = 0
  for (const name in headers) {
    const value = headers[name]
    bytes += name.length + (typeof value === 'string' ? value.length : value === undefined ? 0 : value.join(', ').length)
  }
  return bytes
}

/**
 * The requests clients sent, newest last, bounded by count and by bytes: past either, the oldest go
 * first, so neither a load test nor a flood of huge bodies can fill the memory of a long-lived
 * container. Bodies are kept up to a cap each. A ring buffer: O(1) per request.
 */
export class RequestJournal {
  readonly #ring: (JournalRecord | undefined)[]
  readonly #limits: JournalLimits
  /** Told of each record as it is kept: what a waiting count listens to. */
  readonly #listeners = new Set<(record: JournalRecord) => void>()
  #next = 0
  #size = 0
  #seq = 0
  #bytes = 0

  constructor(limits: JournalLimits) {
    this.#limits = limits
    this.#ring = new Array<JournalRecord | undefined>(limits.capacity)
  }

  get capacity(): number {
    return this.#limits.capacity
  }

  /** Bytes the kept entries count against MOCK_JOURNAL_MAX_BYTES. */
  get bytes(): number {
    return this.#bytes
  }

  /** Keeps `record`, numbering it; its bodies are cut to the cap, and the oldest go while over the budget. */
  record(record: JournalRecord): void {
    const { capacity, maxBytes, bodyBytes: cap } = this.#limits
    if (capacity === 0) return
    let bodyBytes = record.bodyText === undefined ? 0 : record.bodyBytes
    if (bodyBytes > cap) {
      record.bodyText = utf8Prefix(record.bodyText as string, cap)
      record.bodyTruncated = { originalBytes: bodyBytes, keptBytes: (bodyBytes = Buffer.byteLength(record.bodyText)) }
    }
    let responseBytes = textBytes(record.responseText)
    if (responseBytes > cap) {
      record.responseText = utf8Prefix(record.responseText as string, cap)
      record.responseTruncated = { originalBytes: responseBytes, keptBytes: (responseBytes = Buffer.byteLength(record.responseText)) }
    }
    record.bytes = RECORD_OVERHEAD_BYTES + headerBytes(record.headers) + record.path.length + record.query.length + bodyBytes + responseBytes
    record.seq = ++this.#seq
    if (this.#size === capacity) this.#dropOldest()
    this.#ring[this.#next] = record
    this.#next = (this.#next + 1) % capacity
    this.#size++
    this.#bytes += record.bytes
    // The newest entry always stays, whatever it costs: its bodies are capped, so it is bounded too.
    while (this.#bytes > maxBytes && this.#size > 1) this.#dropOldest()
    for (const listener of this.#listeners) listener(record)
  }

  /** Calls `listener` with each record kept from now on, until the returned function is called. */
  onRecord(listener: (record: JournalRecord) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #dropOldest(): void {
    const capacity = this.#limits.capacity
    const oldest = (this.#next - this.#size + capacity) % capacity
    this.#bytes -= (this.#ring[oldest] as JournalRecord).bytes
    this.#ring[oldest] = undefined
    this.#size--
  }

  clear(): void {
    this.#ring.fill(undefined)
    this.#next = 0
    this.#size = 0
    this.#bytes = 0
  }

  get size(): number {
    return this.#size
  }

  /** Matching records, newest first. */
  *#matching(filter: JournalFilter): Generator<JournalRecord> {
    const capacity = this.#limits.capacity
    for (let i = 1; i <= this.#size; i++) {
      const record = this.#ring[(this.#next - i + capacity) % capacity] as JournalRecord
      if (matches(record, filter)) yield record
    }
  }

  count(filter: JournalFilter): number {
    let n = 0
    for (const _ of this.#matching(filter)) n++
    return n
  }

  list(filter: JournalFilter, limit: number): JournalEntry[] {
    const out: JournalEntry[] = []
    for (const record of this.#matching(filter)) {
      if (out.length >= limit) break
      out.push(toEntry(record, this.#limits.redact))
    }
    return out
  }
}

export function matches(record: JournalRecord, filter: JournalFilter): boolean {
  return (
    (filter.operation === undefined || record.operation === filter.operation) &&
    (filter.status === undefined || record.status === filter.status) &&
    (filter.userId === undefined || record.userId === filter.userId) &&
    (filter.sinceMs === undefined || record.atMs >= filter.sinceMs)
  )
}

/** A kept body as the entry shows it: parsed when whole and JSON, else the text as kept. */
function shownBody(text: string | undefined, isJson: boolean, truncated: Truncation | undefined): unknown {
  if (text === undefined) return null
  if (!isJson || truncated !== undefined) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function toEntry(record: JournalRecord, redact: boolean): JournalEntry {
  return {
    id: record.seq,
    time: new Date(record.atMs).toISOString(),
    method: record.method,
    path: record.path,
    query: redact ? redactQuery(record.query) : record.query,
    operation: record.operation,
    userId: record.userId ?? null,
    headers: redactSecrets(record.headers, redact),
    body: redactSecrets(shownBody(record.bodyText, true, record.bodyTruncated), redact),
    ...(record.bodyTruncated === undefined ? {} : { bodyTruncated: record.bodyTruncated }),
    status: record.status,
    responseBody: redactSecrets(shownBody(record.responseText, record.responseType?.includes('json') === true, record.responseTruncated), redact),
    ...(record.responseTruncated === undefined ? {} : { responseBodyTruncated: record.responseTruncated }),
    durationMs: record.durationMs,
    fault: record.fault ?? null,
  }
}
