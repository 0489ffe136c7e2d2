import { kooDriveRoute } from './route.js'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { CancelJobBodySchema, SuccessResponseSchema } from '../../schemas/task-detail.js'
import { cancelTask } from '../domain/tasks/share-tasks.js'

/** POST /cancel: the generic batch-job cancel, which also takes a share task ID (our choice). */
export const cancelJobRoute = kooDriveRoute('cancelJob', '/cancel', async (app, operationId, path) => {
  app.post(
    path,
    {
      schema: {
        operationId,
        summary: 'Cancel a pending or processing job or share task',
        body: CancelJobBodySchema,
        response: { 200: SuccessResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => {
      cancelTask(request.namespace.emulator, request.caller.userId, request.body.jobId, request.namespace.clock.now())
      return { code: 0 as const, msg: 'Success' as const }
    },
  )
})
