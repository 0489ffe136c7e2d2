import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AdminTaskSchema, TaskActionBodySchema, TaskListQuerySchema, TaskListResponseSchema, TaskParamsSchema, type AdminTask } from '../../schemas/admin.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { taskDetailOf } from '../domain/tasks/share-tasks.js'
import { actOnTask, findTask } from '../domain/tasks/task-actions.js'
import { taskPhaseAt } from '../domain/tasks/task-lifecycle.js'
import type { Emulator } from '../domain/emulator.js'
import type { ShareTask } from '../domain/tasks/task-store.js'
import { redactSecrets } from '../secrets.js'
import { requestObjectsUrl } from '../koodrive/object-storage.js'

const DEFAULT_LIMIT = 100

function adminTask(emulator: Emulator, task: ShareTask, nowMs: number, baseUrl: string | undefined): AdminTask {
  return {
    taskId: task.taskId,
    userId: task.ownerId,
    shareId: task.request.shareId,
    ...(task.outcome === undefined ? {} : { outcome: task.outcome }),
    ...taskDetailOf(emulator, task, nowMs, baseUrl),
    request: redactSecrets(task.request),
    schedule: {
      createdAtMs: task.createdAtMs,
      startAtMs: task.startAtMs,
      endAtMs: Number.isFinite(task.endAtMs) ? task.endAtMs : null,
      ...(task.progressEndAtMs === undefined ? {} : { progressEndAtMs: task.progressEndAtMs }),
      ...(task.cancelledAtMs === undefined ? {} : { cancelledAtMs: task.cancelledAtMs }),
    },
  }
}

/** GET /__admin/tasks, GET and POST /__admin/tasks/:taskId: every user's tasks, and ending one now. */
export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tasks',
    {
      schema: {
        operationId: 'listTasks',
        summary: 'Every user\'s tasks, newest first, with filters',
        querystring: TaskListQuerySchema,
        response: { 200: TaskListResponseSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      const now = request.namespace.clock.now()
      request.namespace.emulator.settle(now)
      const { userId, shareId, taskType, taskStatus, limit } = request.query
      const matching = [...request.namespace.emulator.tasks.values()].filter(
        (task) =>
          (userId === undefined || task.ownerId === userId) &&
          (shareId === undefined || task.request.shareId === shareId) &&
          (taskType === undefined || task.request.taskType === Number(taskType)) &&
          (taskStatus === undefined || taskPhaseAt(task, now).status === Number(taskStatus)),
      )
      const newestFirst = matching.reverse().slice(0, limit === undefined ? DEFAULT_LIMIT : Number(limit))
      return { total: matching.length, tasks: newestFirst.map((task) => adminTask(request.namespace.emulator, task, now, requestObjectsUrl(request))) }
    },
  )
  app.get(
    '/tasks/:taskId',
    {
      schema: {
        operationId: 'getTask',
        summary: 'One task, whoever created it',
        params: TaskParamsSchema,
        response: { 200: AdminTaskSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      const now = request.namespace.clock.now()
      request.namespace.emulator.settle(now)
      return adminTask(request.namespace.emulator, findTask(request.namespace.emulator, request.params.taskId), now, requestObjectsUrl(request))
    },
  )
  app.post(
    '/tasks/:taskId',
    {
      schema: {
        operationId: 'actOnTask',
        summary: 'End a pending or processing task now: complete, fail, partial or cancel',
        params: TaskParamsSchema,
        body: TaskActionBodySchema,
        response: { 200: AdminTaskSchema, 400: KooDriveErrorSchema },
      },
    },
    async (request) => {
      const now = request.namespace.clock.now()
      return adminTask(request.namespace.emulator, actOnTask(request.namespace.emulator, request.params.taskId, request.body.action, now), now, requestObjectsUrl(request))
    },
  )
}
