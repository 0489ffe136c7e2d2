import { ArrivalQueue } from '../arrival-queue.js'

/** A bearer token issued through the admin API, as a login would issue one. */
interface IssuedToken {
  userId: string
  /** How long it lives unused; 0: for ever. */
  ttlMs: number
}

/** Most issued tokens kept at once; past it the oldest go, so the admin API cannot grow memory without bound. */
export const MAX_ISSUED_TOKENS = 100_000

/**
 * Bearer tokens' sliding lives: when each was last used successfully, by the emulator's clock, and
 * the tokens issued on top of the world's own. A token unused for its life has expired; every
 * successful call renews it. The world's tokens begin their lives when the world gets them (start,
 * reset, a user added through the admin API). Plain state, no HTTP: one per emulator.
 */
export class TokenSessions {
  readonly #lastUseMs = new Map<string, number>()
  readonly #issued = new Map<string, IssuedToken>()
  /** Issued tokens, oldest first: where room is made. */
  readonly #issuedOrder = new ArrivalQueue<string>()

  constructor(
    /** MOCK_TOKEN_TTL_S in ms: how long a token lives unused unless issued with its own; 0: for ever. */
    readonly defaultTtlMs: number,
    private readonly nextToken: () => string,
  ) {}

  /** The world's own tokens begin their lives at `nowMs`. */
  start(tokens: Iterable<string>, nowMs: number): void {
    for (const token of tokens) this.#lastUseMs.set(token, nowMs)
  }

  /** A new token for `userId`, living `ttlMs` unused (the default when undefined). */
  issue(userId: string, ttlMs: number | undefined, nowMs: number): { token: string; ttlMs: number } {
    const token = this.nextToken()
    const life = ttlMs ?? this.defaultTtlMs
    this.#issued.set(token, { userId, ttlMs: life })
    this.#issuedOrder.push(token)
    this.#lastUseMs.set(token, nowMs)
    // Expired tokens at the front go, and the oldest past the cap: the store holds about what is alive.
    while (this.#issuedOrder.length > 0) {
      const oldest = this.#issuedOrder.at(0)
      if (this.#issued.size <= MAX_ISSUED_TOKENS && nowMs < this.expiresAtMs(oldest)) break
      this.#issuedOrder.removeAt(0)
      this.#issued.delete(oldest)
      this.#lastUseMs.delete(oldest)
    }
    return { token, ttlMs: life }
  }

  /** The user an issued token is for; undefined for any other token (the world's own are the world's). */
  issuedTo(token: string): string | undefined {
    return this.#issued.get(token)?.userId
  }

  /** How long `token` lives unused: its own life if issued with one, else the default; 0: for ever. */
  ttlMsOf(token: string): number {
    return this.#issued.get(token)?.ttlMs ?? this.defaultTtlMs
  }

  /** When the token was last used successfully (or began its life); undefined for a token this store never saw. */
  lastUseMsOf(token: string): number | undefined {
    return this.#lastUseMs.get(token)
  }

  /** The moment `token` expires if it is not used before: Infinity for a life of 0, or for a token never started. */
  expiresAtMs(token: string): number {
    const ttlMs = this.ttlMsOf(token)
    const lastUseMs = this.#lastUseMs.get(token)
    return ttlMs === 0 || lastUseMs === undefined ? Number.POSITIVE_INFINITY : lastUseMs + ttlMs
  }

  /** A successful call: the token's life starts again. */
  renew(token: string, nowMs: number): void {
    if (this.#lastUseMs.has(token)) this.#lastUseMs.set(token, nowMs)
  }

  /** Back to no token at all (reset): the world's tokens are started again by the caller. */
  clear(): void {
    this.#lastUseMs.clear()
    this.#issued.clear()
    this.#issuedOrder.clear()
  }
}
