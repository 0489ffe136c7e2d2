import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import {
  CreateShareTaskBodySchema,
  CreateShareTaskResponseSchema,
  TASK_TYPE_DUMP,
  TASK_TYPE_PACKAGE,
  type CreateShareTaskBody,
} from '../../schemas/share-tasks.js'
import { createShareTask } from '../domain/tasks/share-tasks.js'
import { parameterInvalid } from '../domain/errors.js'

/** The rules JSON Schema cannot say plainly: which fields each task type needs. */
function checkTaskTypeFields(body: CreateShareTaskBody): void {
  if (body.taskType === TASK_TYPE_DUMP && body.targetFileId === undefined) {
    throw parameterInvalid('targetFileId is required when taskType is 2 (dump)')
  }
  if (body.taskType === TASK_TYPE_PACKAGE && body.zipName === undefined) {
    throw parameterInvalid('zipName is required when taskType is 1 (package download)')
  }
}

/** POST /share/tasks: create an asynchronous sharing task (package download or dump). */
export const createShareTaskRoute = kooDriveRoute('createShareTask', '/share/tasks', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'Create an asynchronous sharing task',
        body: CreateShareTaskBodySchema,
        response: { 200: CreateShareTaskResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => {
      checkTaskTypeFields(request.body)
      const task = createShareTask(request.namespace.emulator, request.caller.userId, request.body, request.namespace.clock.now(), request.fault?.rule.task)
      return { code: 0 as const, msg: 'Success' as const, taskId: task.taskId }
    },
  )
})
