import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { KooDriveErrorResponses } from '../../schemas/errors.js'
import { TaskDetailBodySchema, TaskDetailResponseSchema } from '../../schemas/task-detail.js'
import { describeTask } from '../domain/share-tasks.js'
import { requestPublicUrl } from '../public-url.js'

/** POST /share/taskDetail: poll a share task until it is done. */
export const shareTaskDetailRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/share/taskDetail',
    {
      schema: {
        operationId: 'getShareTaskDetail',
        summary: 'Read a share task: status, progress, per-file results, the zip URL',
        body: TaskDetailBodySchema,
        response: { 200: TaskDetailResponseSchema, ...KooDriveErrorResponses },
      },
    },
    async (request) => describeTask(app.emulator, request.caller.userId, request.body, app.clock.now(), requestPublicUrl(request)),
  )
}
