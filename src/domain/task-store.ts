import type { CreateShareTaskBody } from '../../schemas/share-tasks.js'

/** A share task as the emulator keeps it: who asked, what they asked for, and when. */
export interface ShareTask {
  taskId: string
  ownerId: string
  request: CreateShareTaskBody
  createdAtMs: number
}

/**
 * In-memory share tasks, bounded: past `maxTasks` the oldest task goes, so a long-lived dev
 * container or a load test cannot grow without limit.
 */
export class TaskStore {
  readonly #tasks = new Map<string, ShareTask>()

  constructor(
    readonly maxTasks: number,
    private readonly nextTaskId: () => string,
  ) {}

  create(ownerId: string, request: CreateShareTaskBody, nowMs: number): ShareTask {
    const task: ShareTask = { taskId: this.nextTaskId(), ownerId, request, createdAtMs: nowMs }
    this.#tasks.set(task.taskId, task)
    if (this.#tasks.size > this.maxTasks) {
      // A Map iterates in insertion order: the first key is the oldest task.
      const oldest = this.#tasks.keys().next().value as string
      this.#tasks.delete(oldest)
    }
    return task
  }

  get(taskId: string): ShareTask | undefined {
    return this.#tasks.get(taskId)
  }

  get size(): number {
    return this.#tasks.size
  }
}
