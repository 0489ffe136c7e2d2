import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { TaskDetailBodySchema, TaskDetailResponseSchema } from '../../schemas/task-detail.js'
import { describeTask } from '../domain/tasks/share-tasks.js'
import { requestObjectsUrl } from './object-storage.js'

/** POST /share/taskDetail: poll a share task until it is done. */
export const shareTaskDetailRoute = kooDriveRoute('getShareTaskDetail', '/share/taskDetail', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'Read a share task: status, progress, per-file results, the zip URL',
        body: TaskDetailBodySchema,
        response: { 200: TaskDetailResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => describeTask(request.namespace.emulator, request.caller.userId, request.body, request.namespace.clock.now(), requestObjectsUrl(request)),
  )
})
