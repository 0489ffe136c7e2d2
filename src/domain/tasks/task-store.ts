import type { TaskFault } from '../../../schemas/fault-rule.js'
import type { CreateShareTaskBody } from '../../../schemas/share-tasks.js'
import { ArrivalQueue } from '../arrival-queue.js'
import { isTaskFinished, type TaskSchedule } from './task-lifecycle.js'

export type FileResultStatus = '0' | '1' | '2'

export interface TaskFileResult {
  fileId: string
  status: FileResultStatus
  newFileId?: string
}

/**
 * What a task produced, fixed at the moment it completed. Kept compact, one small object a task
 * (a hundred thousand are kept): each file's status is a character of `statuses`, not an object.
 */
export interface TaskResult {
  /** One character per file of the request, in its order: '1' succeeded, '2' failed. */
  statuses: string
  /** A dump's copies: the new ID of each file copied, by its position in the request. */
  newFileIds?: (string | undefined)[]
  /** 1 all succeeded, 2 partly failed, 3 all failed. */
  resultCode: 1 | 2 | 3
  /** A package download with at least one file in its zip: taskDetail presigns its URL when read. */
  packaged?: true
}

/** A share task as the emulator keeps it: who asked, what for, its schedule, and once done its result. */
export interface ShareTask extends TaskSchedule {
  taskId: string
  ownerId: string
  request: CreateShareTaskBody
  /** Forced by a fault rule: how the task ends instead of normally. */
  outcome?: TaskFault['outcome']
  result?: TaskResult
}

/** How far from the oldest end eviction looks for a finished task before it takes the oldest anyway. */
const EVICTION_SCAN = 64
/** Distinct owner IDs whose one copy the store shares among their tasks; past it, it starts over. */
const SHARED_OWNER_IDS = 256

/**
 * In-memory share tasks, bounded: past `maxTasks` one task goes, the oldest finished one among the
 * oldest few (the oldest of all when none of those has finished), so a long-lived dev container or
 * a load test cannot grow without limit and a running task is not lost while finished ones remain.
 */
export class TaskStore {
  readonly #tasks = new Map<string, ShareTask>()
  /** The kept tasks, oldest first: where eviction looks. */
  readonly #order = new ArrivalQueue<ShareTask>()
  /** File IDs the kept tasks name, summed: what their memory grows with (a task names up to 1 000). */
  #fileIdsHeld = 0
  /**
   * One copy of each recent owner's ID: each request's X-User-Id is a string of its own, and a
   * hundred thousand tasks of one user held a hundred thousand copies (3 MB, a heap snapshot at the cap).
   */
  readonly #ownerIds = new Map<string, string>()

  constructor(
    readonly maxTasks: number,
    private readonly nextTaskId: () => string,
    /** Told of each task that goes to make room. */
    private readonly onEvict: (task: ShareTask) => void = () => {},
    /**
     * File IDs the kept tasks may name in all; past it older tasks go as past maxTasks. Tasks keep
     * the IDs they name after lenient mode's made-up files have left the world, so without it a
     * flood of thousand-file tasks of made-up 128-character IDs held ~150 KB a task.
     */
    readonly maxFileIds = Infinity,
  ) {}

  /**
   * Keeps a new task of `fields`, with its ID. Built as one literal with the fields every task has,
   * `result` (set on completion) included: an ID or result added to the caller's object afterwards
   * gave each task an out-of-object property store, ~46 bytes of each of the hundred thousand kept.
   */
  create(fields: Omit<ShareTask, 'taskId'>, nowMs: number): ShareTask {
    const { createdAtMs, startAtMs, endAtMs } = fields
    const task: ShareTask = { taskId: this.nextTaskId(), ownerId: this.#sharedOwnerId(fields.ownerId), request: fields.request, createdAtMs, startAtMs, endAtMs, result: fields.result }
    // A fault rule's, rare: one by one, not a rest spread and Object.assign (~1 µs a create in the profile).
    if (fields.cancelledAtMs !== undefined) task.cancelledAtMs = fields.cancelledAtMs
    if (fields.progressEndAtMs !== undefined) task.progressEndAtMs = fields.progressEndAtMs
    if (fields.outcome !== undefined) task.outcome = fields.outcome
    if (this.#tasks.size >= this.maxTasks) this.#evictOne(nowMs, this.#order.length)
    this.#tasks.set(task.taskId, task)
    this.#order.push(task)
    this.#fileIdsHeld += task.request.fileIds.length
    // Older tasks only: the task just made stays, whatever it names.
    while (this.#fileIdsHeld > this.maxFileIds && this.#order.length > 1) this.#evictOne(nowMs, this.#order.length - 1)
    return task
  }

  #sharedOwnerId(ownerId: string): string {
    const shared = this.#ownerIds.get(ownerId)
    if (shared !== undefined) return shared
    if (this.#ownerIds.size === SHARED_OWNER_IDS) this.#ownerIds.clear()
    this.#ownerIds.set(ownerId, ownerId)
    return ownerId
  }

  /** Removes one of the oldest `candidates` tasks: the oldest finished one among the first few, else the oldest. */
  #evictOne(nowMs: number, candidates: number): void {
    const scan = Math.min(candidates, EVICTION_SCAN)
    let victim = 0
    for (let i = 0; i < scan; i++) {
      if (isTaskFinished(this.#order.at(i), nowMs)) {
        victim = i
        break
      }
    }
    const evicted = this.#order.removeAt(victim)
    this.#tasks.delete(evicted.taskId)
    this.#fileIdsHeld -= evicted.request.fileIds.length
    this.onEvict(evicted)
  }

  get(taskId: string): ShareTask | undefined {
    return this.#tasks.get(taskId)
  }

  values(): IterableIterator<ShareTask> {
    return this.#tasks.values()
  }

  get size(): number {
    return this.#tasks.size
  }

  /** File IDs the kept tasks name, summed. */
  get fileIdsHeld(): number {
    return this.#fileIdsHeld
  }

  clear(): void {
    this.#tasks.clear()
    this.#order.clear()
    this.#ownerIds.clear()
    this.#fileIdsHeld = 0
  }
}
