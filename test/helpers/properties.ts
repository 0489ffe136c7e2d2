import type { Test } from 'tap'
import type { App } from '../../src/app.js'

/** For the property tests (test/hardening/property-*.test.ts): what a request may change, and a fast-check run as one assertion. */

/** What a request may change: the sizes of the world's maps, the shares' item lists, the tasks and the share tokens. */
export interface EmulatorState {
  tasks: number
  cancelledTasks: number
  files: number
  shares: number
  sharedItems: number
  spaces: number
  users: number
  kdstokens: number
}

/**
 * A snapshot function of `app`'s emulator state. Share tokens are private to their store, so they
 * are counted as issued: the store's `issue` is wrapped once, here.
 */
export function watchEmulatorState(app: App): () => EmulatorState {
  const store = app.emulator.kdstokens
  const issue = store.issue.bind(store)
  let kdstokens = 0
  store.issue = (shareId, userId, nowMs) => {
    kdstokens += 1
    return issue(shareId, userId, nowMs)
  }
  return () => {
    const { world } = app.emulator
    let cancelledTasks = 0
    for (const task of app.emulator.tasks.values()) if (task.cancelledAtMs !== undefined) cancelledTasks += 1
    let sharedItems = 0
    for (const share of world.shares.values()) sharedItems += share.fileIds.length
    return {
      tasks: app.emulator.tasks.size,
      cancelledTasks,
      files: world.files.size,
      shares: world.shares.size,
      sharedItems,
      spaces: world.spaces.size,
      users: world.users.size,
      kdstokens,
    }
  }
}

/**
 * Runs a fast-check property with fc.assert (seed and runs fixed by the caller) and turns the
 * outcome into ONE tap assertion; its message carries fast-check's shrunk counterexample.
 */
export async function assertProperty(t: Test, name: string, run: () => Promise<void>): Promise<void> {
  let failure: string | undefined
  try {
    await run()
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error)
  }
  t.equal(failure, undefined, name)
}
