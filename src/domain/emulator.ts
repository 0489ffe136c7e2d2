import FlatQueue from 'flatqueue'
import type { Seed } from '../../schemas/seed.js'
import type { Clock } from './clock.js'
import { createFileIds, createHexTokens, createSnowflakeIds } from './ids.js'
import { KdstokenStore } from './kdstokens.js'
import { Presigner } from './presigned-urls.js'
import { seededStream } from './random.js'
import { worldFromSeed } from './seed.js'
import { completeTask } from './task-completion.js'
import type { TaskTiming } from './task-lifecycle.js'
import { TaskStore, type ShareTask } from './task-store.js'
import type { World } from './world.js'

export type WorldMode = 'lenient' | 'strict'

export interface EmulatorOptions {
  clock: Clock
  randomSeed: number
  /** The world document to start from (and to go back to on reset). */
  seed: Seed
  mode: WorldMode
  timing: TaskTiming
  maxTasks: number
  kdstokenTtlMs: number
  maxFileBytes: number
  publicUrl: string
}

/** Independent random streams, so drawing more of one never shifts another. */
export const RandomStream = { TASK_IDS: 0, REQUEST_IDS: 1, FILE_IDS: 2, KDSTOKENS: 3, SHARE_IDS: 4, FAULTS: 5 } as const

/** Everything the emulated KooDrive knows: the world, the tasks, the share tokens, and the ID streams. */
export class Emulator {
  world: World
  readonly tasks: TaskStore
  readonly kdstokens: KdstokenStore
  readonly presigner: Presigner
  readonly newFileId: () => string
  readonly newShareId: () => string
  /** Tasks not yet settled, by the time they complete: a task's world changes happen at its end. */
  readonly #due = new FlatQueue<ShareTask>()

  constructor(readonly options: EmulatorOptions) {
    const stream = (id: number) => seededStream(options.randomSeed, id)
    this.world = worldFromSeed(options.seed, options.clock.now())
    this.tasks = new TaskStore(options.maxTasks, createSnowflakeIds(stream(RandomStream.TASK_IDS)))
    this.kdstokens = new KdstokenStore(options.kdstokenTtlMs, createHexTokens(stream(RandomStream.KDSTOKENS), 48))
    this.newFileId = createFileIds(stream(RandomStream.FILE_IDS))
    this.newShareId = createSnowflakeIds(stream(RandomStream.SHARE_IDS))
    this.presigner = new Presigner({ secret: `koodrive-mock-${options.randomSeed}`, publicUrl: options.publicUrl })
  }

  get clock(): Clock {
    return this.options.clock
  }

  /** Keeps a new task until it is due. A task that never ends (Infinity) is never due. */
  schedule(task: ShareTask): void {
    if (Number.isFinite(task.endAtMs)) this.#due.push(task, task.endAtMs)
  }

  /**
   * Applies every task that has completed by `nowMs`, oldest end first. Called before anything reads
   * the world or a task, so what a client sees is as if the work had happened on time.
   */
  settle(nowMs: number): void {
    while ((this.#due.peekValue() ?? Infinity) <= nowMs) {
      const task = this.#due.pop() as ShareTask
      const cancelledFirst = task.cancelledAtMs !== undefined && task.cancelledAtMs < task.endAtMs
      if (task.result === undefined && !cancelledFirst) task.result = completeTask(this, task)
    }
  }
}
