import { redactSecrets } from './redact.js'

/** What the journal keeps of one request, as it happened (secrets are redacted when read). */
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
  bodyJson: string | undefined
  status: number
  /** The response as sent: text for JSON and XML, absent for a streamed download. */
  responseBody: string | undefined
  responseType: string | undefined
  durationMs: number
  fault: string | undefined
}

export interface JournalFilter {
  operation?: string
  status?: number
  userId?: string
  sinceMs?: number
}

/** A journal entry as the admin API shows it. */
export interface JournalEntry {
  id: number
  time: string
  method: string
  path: string
  query: string
  operation: string
  userId: string | null
  headers: unknown
  body: unknown
  status: number
  responseBody: unknown
  durationMs: number
  fault: string | null
}

/**
 * The requests clients sent, newest last, at most `capacity`: past it the oldest go first, so a
 * load test cannot fill the memory of a long-lived container. A ring buffer: O(1) per request.
 */
export class RequestJournal {
  readonly #ring: (JournalRecord | undefined)[]
  #next = 0
  #size = 0
  #seq = 0

  constructor(readonly capacity: number) {
    this.#ring = new Array<JournalRecord | undefined>(capacity)
  }

  /** Keeps `record` (not a copy: it is made for the journal), numbering it. */
  record(record: JournalRecord): void {
    if (this.capacity === 0) return
    record.seq = ++this.#seq
    this.#ring[this.#next] = record
    this.#next = (this.#next + 1) % this.capacity
    this.#size = Math.min(this.#size + 1, this.capacity)
  }

  clear(): void {
    this.#ring.fill(undefined)
    this.#next = 0
    this.#size = 0
  }

  get size(): number {
    return this.#size
  }

  /** Matching records, newest first. */
  *#matching(filter: JournalFilter): Generator<JournalRecord> {
    for (let i = 1; i <= this.#size; i++) {
      const record = this.#ring[(this.#next - i + this.capacity) % this.capacity] as JournalRecord
      if (filter.operation !== undefined && record.operation !== filter.operation) continue
      if (filter.status !== undefined && record.status !== filter.status) continue
      if (filter.userId !== undefined && record.userId !== filter.userId) continue
      if (filter.sinceMs !== undefined && record.atMs < filter.sinceMs) continue
      yield record
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
      out.push(toEntry(record))
    }
    return out
  }
}

function parsedResponse(record: JournalRecord): unknown {
  if (record.responseBody === undefined) return null
  if (!record.responseType?.includes('json')) return record.responseBody
  try {
    return JSON.parse(record.responseBody)
  } catch {
    return record.responseBody
  }
}

function toEntry(record: JournalRecord): JournalEntry {
  return {
    id: record.seq,
    time: new Date(record.atMs).toISOString(),
    method: record.method,
    path: record.path,
    query: record.query,
    operation: record.operation,
    userId: record.userId ?? null,
    headers: redactSecrets(record.headers),
    body: record.bodyJson === undefined ? null : redactSecrets(JSON.parse(record.bodyJson)),
    status: record.status,
    responseBody: redactSecrets(parsedResponse(record)),
    durationMs: record.durationMs,
    fault: record.fault ?? null,
  }
}
