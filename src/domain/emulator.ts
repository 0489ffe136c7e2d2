import FlatQueue from 'flatqueue'
import type { Seed } from '../../schemas/seed.js'
import type { Clock } from './time-and-ids/clock.js'
import { createFileIds, createHexTokens, createSnowflakeIds } from './time-and-ids/ids.js'
import { KdstokenStore } from './world/kdstokens.js'
import { Presigner } from './objects/presigned-urls.js'
import { RandomStream, seededStream } from './time-and-ids/random.js'
import { addSeedEntries, worldFromSeed } from './world/seed.js'
import type { AuthMode } from './world/authentication.js'
import { TokenSessions } from './world/token-sessions.js'
import { completeTask, type CompletionContext } from './tasks/task-completion.js'
import type { TaskTiming } from './tasks/task-lifecycle.js'
import { TaskStore, type ShareTask } from './tasks/task-store.js'
import { World, type PinKey } from './world/world.js'

export type WorldMode = 'lenient' | 'strict'

/** What a world mode means to the checks: the same checks run in both modes, reading these. */
export interface WorldRules {
  /** Lenient: what a request names and the world lacks is made first (src/domain/world/lenient-world.ts). */
  makeOnFirstUse: boolean
  /** Strict: a dump goes only into a space of the caller's. */
  ownSpacesOnly: boolean
  /** Strict: a dump, and a copy at completion, must fit the target space's free bytes. */
  enforceQuota: boolean
}

function worldRulesOf(mode: WorldMode): WorldRules {
  const strict = mode === 'strict'
  return { makeOnFirstUse: !strict, ownSpacesOnly: strict, enforceQuota: strict }
}

export interface EmulatorOptions {
  clock: Clock
  randomSeed: number
  /** The world document to start from (and to go back to on reset). */
  seed: Seed
  mode: WorldMode
  /** MOCK_AUTH, or what MOCK_WORLD implies. */
  auth: AuthMode
  /** MOCK_TOKEN_TTL_S in ms: how long a bearer token lives unused (strict); 0: for ever. */
  tokenTtlMs: number
  timing: TaskTiming
  maxTasks: number
  /** MOCK_MAX_TASK_FILE_IDS: file IDs the kept tasks may name in all; unbounded when absent. */
  maxTaskFileIds?: number
  kdstokenTtlMs: number
  maxFileBytes: number
  /** Where clients fetch objects (the object store's base URL). */
  objectsUrl: string
  /** MOCK_MAX_WORLD_FILES: made entries kept (lenient mode's and dumps' copies). */
  maxWorldEntries: number
  /** The namespace this emulator is (its download URLs name it); absent or `default` for none. */
  namespace?: string
  /**
   * `seed` built and frozen (World.template), shared with every other emulator made from the same
   * seed: this one copies it on its first change. Built here when absent.
   */
  worldTemplate?: World
}

/** What a live task needs kept in the world: its share, its space, its files, and a dump's target. */
function pinKeysOf(task: ShareTask): PinKey[] {
  const { request } = task
  const keys: PinKey[] = [`s:${request.shareId}`, `c:${request.containerId}`]
  for (const fileId of request.fileIds) keys.push(`f:${fileId}`)
  if (request.targetFileId !== undefined) keys.push(`c:${request.targetFileId.containerId}`, `f:${request.targetFileId.fileId}`)
  return keys
}

/** The tokens of the world's users. */
const worldTokens = (world: World) => world.userIdByToken.keys()

/** Everything the emulated KooDrive knows: the world, the tasks, the share and bearer tokens, and the ID streams. */
export class Emulator {
  world: World
  readonly rules: WorldRules
  readonly tasks: TaskStore
  readonly kdstokens: KdstokenStore
  /** Bearer tokens' sliding lives and the tokens issued through the admin API. */
  readonly tokens: TokenSessions
  readonly presigner: Presigner
  readonly newFileId: () => string
  readonly newShareId: () => string
  /**
   * Tasks not yet settled, by the time they complete: a task's world changes happen at its end.
   * The heap holds each end time once; tasks ending at the same moment wait in a bucket in creation
   * order, because the heap does not keep the order of ties.
   */
  readonly #dueTimes = new FlatQueue<number>()
  readonly #dueAt = new Map<number, ShareTask[]>()
  /** Tasks holding pins on made entries of the world, until they finish. */
  readonly #holding = new Set<ShareTask>()

  /** The world `reset` goes back to: the start seed's, or the last one PUT through the admin API. */
  #template: World

  constructor(readonly options: EmulatorOptions) {
    this.rules = worldRulesOf(options.mode)
    const stream = (id: number) => seededStream(options.randomSeed, id)
    this.#template = options.worldTemplate ?? World.template(worldFromSeed(options.seed, options.clock.now()))
    this.world = World.sharing(this.#template, this.#limits)
    this.tasks = new TaskStore(options.maxTasks, createSnowflakeIds(stream(RandomStream.TASK_IDS)), (task) => this.release(task), options.maxTaskFileIds)
    this.kdstokens = new KdstokenStore(options.kdstokenTtlMs, createHexTokens(stream(RandomStream.KDSTOKENS), 48))
    this.tokens = new TokenSessions(options.tokenTtlMs, createHexTokens(stream(RandomStream.BEARER_TOKENS), 40))
    this.tokens.start(worldTokens(this.world), options.clock.now())
    this.newFileId = createFileIds(stream(RandomStream.FILE_IDS))
    this.newShareId = createSnowflakeIds(stream(RandomStream.SHARE_IDS))
    this.presigner = new Presigner({ secret: `koodrive-mock-${options.randomSeed}`, objectsUrl: options.objectsUrl, namespace: options.namespace })
  }

  get #limits() {
    return { maxMadeEntries: this.options.maxWorldEntries }
  }

  /**
   * Back to the seed (a new one when given, with its world already built when `template` is):
   * tasks, share tokens, issued bearer tokens and pending completions go; the world's own tokens
   * begin their lives again now.
   */
  reset(seed?: Seed, template?: World): void {
    const nowMs = this.options.clock.now()
    if (seed !== undefined) this.#template = template ?? World.template(worldFromSeed(seed, nowMs))
    this.world = World.sharing(this.#template, this.#limits)
    this.#holding.clear()
    this.tasks.clear()
    this.kdstokens.clear()
    this.tokens.clear()
    this.tokens.start(worldTokens(this.world), nowMs)
    this.#dueTimes.clear()
    this.#dueAt.clear()
  }

  /** Adds checked seed entries to the live world (the admin API's addShare): new users' tokens begin their lives now. */
  addToWorld(entries: Seed, nowMs: number): void {
    addSeedEntries(this.world, entries, nowMs)
    this.tokens.start(entries.users.flatMap((user) => user.tokens), nowMs)
  }

  get clock(): Clock {
    return this.options.clock
  }

  /**
   * A new task holds on to the made entries it names until it finishes, so trimming the world
   * cannot take them from under it. When the world has nothing made, all it names is seeded and
   * never goes: no pins (the common case costs nothing).
   */
  hold(task: ShareTask): void {
    if (this.world.madeEntries === 0) return
    this.world.pin(pinKeysOf(task))
    this.#holding.add(task)
  }

  /** A task that finished (completed, cancelled, evicted) lets go of what it held. */
  release(task: ShareTask): void {
    if (this.#holding.delete(task)) this.world.unpin(pinKeysOf(task))
  }

  /** What a task's completion reads and changes. */
  get completion(): CompletionContext {
    return { world: this.world, newFileId: this.newFileId, enforceQuota: this.rules.enforceQuota }
  }

  /** Keeps a new task until it is due. A task that never ends (Infinity) is never due. */
  schedule(task: ShareTask): void {
    if (!Number.isFinite(task.endAtMs)) return
    const bucket = this.#dueAt.get(task.endAtMs)
    if (bucket !== undefined) return void bucket.push(task)
    this.#dueAt.set(task.endAtMs, [task])
    this.#dueTimes.push(task.endAtMs, task.endAtMs)
  }

  /**
   * Applies every task that has completed by `nowMs`, oldest end first. Called before anything reads
   * the world or a task, so what a client sees is as if the work had happened on time.
   */
  settle(nowMs: number): void {
    while (this.#dueTimes.length > 0 && (this.#dueTimes.peekValue() as number) <= nowMs) {
      const endAtMs = this.#dueTimes.pop() as number
      for (const task of this.#dueAt.get(endAtMs) as ShareTask[]) {
        const cancelledFirst = task.cancelledAtMs !== undefined && task.cancelledAtMs < task.endAtMs
        if (task.result === undefined && !cancelledFirst) task.result = completeTask(this.completion, task)
        this.release(task)
      }
      this.#dueAt.delete(endAtMs)
    }
    this.world.trim()
  }
}
