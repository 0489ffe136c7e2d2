import { ArrivalQueue } from '../arrival-queue.js'

/** Share tokens from share/verify: bound to one share and one user, valid for a while. */
interface KdstokenGrant {
  shareId: string
  userId: string
  expiresAtMs: number
}

/** Most grants kept at once; past it the oldest go (a token lives minutes, so they have expired). */
const MAX_GRANTS = 100_000

export class KdstokenStore {
  readonly #grants = new Map<string, KdstokenGrant>()
  /** The tokens, oldest first: where expired grants are found. */
  readonly #order = new ArrivalQueue<string>()

  constructor(
    private readonly ttlMs: number,
    private readonly nextToken: () => string,
  ) {}

  issue(shareId: string, userId: string, nowMs: number): string {
    const token = this.nextToken()
    this.#grants.set(token, { shareId, userId, expiresAtMs: nowMs + this.ttlMs })
    this.#order.push(token)
    // Every grant lives as long, so the expired ones are the oldest: drop them from the front, and the
    // store holds about what is still valid (at most MAX_GRANTS) however long the server runs.
    while (this.#order.length > 0) {
      const oldest = this.#grants.get(this.#order.at(0)) as KdstokenGrant
      if (oldest.expiresAtMs > nowMs && this.#grants.size <= MAX_GRANTS) break
      this.#grants.delete(this.#order.removeAt(0))
    }
    return token
  }

  /** Why `token` does not open `shareId` for `userId`, or undefined when it does. */
  problem(token: string | undefined, shareId: string, userId: string, nowMs: number): string | undefined {
    if (token === undefined) return 'this share has an access code: call share/verify and send its kdstoken'
    const grant = this.#grants.get(token)
    if (grant === undefined || grant.shareId !== shareId || grant.userId !== userId) return 'the kdstoken is not valid for this share and user'
    if (nowMs >= grant.expiresAtMs) return 'the kdstoken has expired: call share/verify again'
    return undefined
  }

  clear(): void {
    this.#grants.clear()
    this.#order.clear()
  }
}
