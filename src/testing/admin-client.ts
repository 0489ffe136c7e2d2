import type { Static } from '@sinclair/typebox'
import type {
  AddShareBody,
  AdminTask,
  JournalEntry,
  ReadyResponseSchema,
  ResetResponseSchema,
  TaskAction,
  WorldCountsSchema,
} from '../../schemas/admin.js'
import type { ClockState } from '../../schemas/admin-clock.js'
import type { NamespaceSummary } from '../../schemas/admin-namespaces.js'
import type { IssuedToken } from '../../schemas/admin-tokens.js'
import type { FaultRuleState } from '../../schemas/admin-faults.js'
import type { HealthResponse } from '../../schemas/health.js'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { Seed } from '../../schemas/seed.js'
import type { FAULTABLE_OPERATIONS } from '../koodrive/operations.js'

export type { JournalEntry }
export type WorldCounts = Static<typeof WorldCountsSchema>
export type { FaultRuleState, IssuedToken, NamespaceSummary }

/** The operations the journal records: the emulated routes', `GET /`'s, and a preflight's or an unknown route's. */
export type JournalOperation = (typeof FAULTABLE_OPERATIONS)[number] | 'getRoot' | 'corsPreflight' | 'notFound'

export interface RequestFilter {
  operation?: JournalOperation
  status?: number
  userId?: string
  /** An ISO-8601 time or epoch milliseconds. */
  since?: string | number
  limit?: number
}

export interface TaskFilter {
  userId?: string
  shareId?: string
  taskType?: 1 | 2
  taskStatus?: 0 | 1 | 2 | 3
  limit?: number
}

/** The admin API answered with an error: its status and body. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError'
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`admin API answered ${status}: ${JSON.stringify(body)}`)
  }
}

const queryOf = (filter: object) => {
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)])
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`
}

/**
 * A small typed client of /__admin, for test suites. Every call acts on the client's namespace
 * (`default` unless made with one, or through `namespace(name)`).
 *
 * @example
 * const admin = new AdminClient('http://127.0.0.1:3000').namespace(`worker-${process.env.VITEST_POOL_ID}`)
 * await admin.reset() // this worker's namespace only
 */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    /** Sent as X-Mock-Namespace on every call; undefined is `default`. */
    readonly namespaceName?: string,
  ) {}

  /** The same client, acting on the namespace `name` (made on its first request). */
  namespace(name: string): AdminClient {
    return new AdminClient(this.baseUrl, this.token, name)
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {}
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`
    if (this.namespaceName !== undefined) headers['x-mock-namespace'] = this.namespaceName
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.baseUrl}/__admin${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // Not JSON (a proxy's error page): the error carries the text as it came.
    }
    if (!response.ok) throw new AdminApiError(response.status, parsed)
    return parsed as T
  }

  health = () => this.#call<HealthResponse>('GET', '/health')
  ready = () => this.#call<Static<typeof ReadyResponseSchema>>('GET', '/ready')
  /** World back to its seed; tasks, share tokens and journal cleared; `faults: true` resets the rules too. */
  reset = (options: { faults?: boolean } = {}) =>
    this.#call<Static<typeof ResetResponseSchema>>('POST', `/reset${options.faults ? '?faults=true' : ''}`)

  faults = {
    list: async () => (await this.#call<{ rules: FaultRuleState[] }>('GET', '/faults')).rules,
    replace: async (rules: FaultRule[]) => (await this.#call<{ rules: FaultRuleState[] }>('PUT', '/faults', rules)).rules,
    add: async (rule: FaultRule) => (await this.#call<{ rule: FaultRuleState }>('POST', '/faults', rule)).rule,
    clear: async () => {
      await this.#call('DELETE', '/faults')
    },
  }

  requests = {
    list: async (filter: RequestFilter = {}) => (await this.#call<{ total: number; requests: JournalEntry[] }>('GET', `/requests${queryOf(filter)}`)).requests,
    /**
     * How many entries match. With `atLeast`, the server waits until that many match (at most
     * `timeoutMs`, default 5000) and answers then: a test waits for a background poll without sleeping.
     *
     * @example
     * await mock.admin.requests.count({ operation: 'getShareTaskDetail', atLeast: 3, timeoutMs: 2000 }) // 3, as soon as the third poll is in
     */
    count: async (filter: Omit<RequestFilter, 'limit'> & { atLeast?: number; timeoutMs?: number } = {}) =>
      (await this.#call<{ count: number }>('GET', `/requests/count${queryOf(filter)}`)).count,
    clear: async () => {
      await this.#call('DELETE', '/requests')
    },
  }

  tasks = {
    list: async (filter: TaskFilter = {}) => (await this.#call<{ total: number; tasks: AdminTask[] }>('GET', `/tasks${queryOf(filter)}`)).tasks,
    get: (taskId: string) => this.#call<AdminTask>('GET', `/tasks/${encodeURIComponent(taskId)}`),
    act: (taskId: string, action: TaskAction) => this.#call<AdminTask>('POST', `/tasks/${encodeURIComponent(taskId)}`, { action }),
  }

  tokens = {
    /**
     * A bearer token for a user of the world, as a login would give one: it lives `ttlS` unused
     * (default MOCK_TOKEN_TTL_S) and every successful call renews it.
     *
     * @example
     * const { token } = await mock.admin.tokens.issue('ann')   // then Authorization: Bearer <token>, X-User-Id: ann
     */
    issue: (userId: string, options: { ttlS?: number } = {}) => this.#call<IssuedToken>('POST', '/tokens', { userId, ...options }),
  }

  clock = {
    get: () => this.#call<ClockState>('GET', '/clock'),
    advance: (ms: number) => this.#call<ClockState>('POST', '/clock', { advanceMs: ms }),
  }

  /** Every namespace of the server (whichever this client acts on), and dropping one. */
  namespaces = {
    list: async () => (await this.#call<{ max: number; namespaces: NamespaceSummary[] }>('GET', '/namespaces')).namespaces,
    drop: async (name: string) => {
      await this.#call('DELETE', `/namespaces/${encodeURIComponent(name)}`)
    },
  }

  world = {
    get: () => this.#call<Seed>('GET', '/world'),
    replace: (seed: Seed) => this.#call<WorldCounts>('PUT', '/world', seed),
    addShare: (body: AddShareBody) => this.#call<WorldCounts>('POST', '/world/shares', body),
  }
}
