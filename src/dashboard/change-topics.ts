import type { FastifyRequest } from 'fastify'
import { CHANGE_TOPICS, type ChangeTopic } from '../../schemas/dashboard.js'
import { ADMIN_PREFIX } from '../admin/paths.js'
import { operationName } from '../operation-name.js'
import type { ChangeFeed } from './change-feed.js'

/** What an admin call changes when it succeeds, by operationId; calls that only read are absent. */
const ADMIN_CHANGES: Readonly<Record<string, readonly ChangeTopic[]>> = {
  reset: CHANGE_TOPICS,
  replaceWorld: ['world', 'tasks'],
  addShare: ['world'],
  actOnTask: ['tasks', 'world'],
  advanceClock: ['clock', 'tasks', 'world'],
  replaceFaults: ['faults'],
  addFault: ['faults'],
  removeFault: ['faults'],
  clearFaults: ['faults'],
  clearRequests: ['requests'],
}

/**
 * Every other request is journaled and counted by the fault rules, and may make up world entries
 * (lenient mode) or settle a finished dump; creating and cancelling also change the task list.
 */
const EMULATED: readonly ChangeTopic[] = ['requests', 'faults', 'world']
const EMULATED_TASKS: readonly ChangeTopic[] = [...EMULATED, 'tasks']
const TASK_OPERATIONS = new Set(['createShareTask', 'cancelJob'])
const NONE: readonly ChangeTopic[] = []

/** What a finished request may have changed, by its operation and its status (0: no answer). */
export function changesOf(url: string, operation: string, status: number): readonly ChangeTopic[] {
  if (!url.startsWith(ADMIN_PREFIX)) return TASK_OPERATIONS.has(operation) ? EMULATED_TASKS : EMULATED
  return status < 400 ? (ADMIN_CHANGES[operation] ?? NONE) : NONE
}

/** The dashboard's "request finished" observer: tells the open pages what to read again. */
export function noteFinishedRequest(feed: ChangeFeed | undefined, request: FastifyRequest, status: number): void {
  if (feed === undefined || feed.size === 0) return
  feed.publish(changesOf(request.url, operationName(request), status))
}
