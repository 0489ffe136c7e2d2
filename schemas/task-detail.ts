import { Type, type Static } from '@sinclair/typebox'
import { SuccessCode } from './string-enum.js'

export const TaskDetailBodySchema = Type.Object(
  {
    taskId: Type.String({ minLength: 1, maxLength: 128 }),
    shareId: Type.String({ minLength: 1, maxLength: 128 }),
    kdstoken: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
)
export type TaskDetailBody = Static<typeof TaskDetailBodySchema>

export const JobInfoSchema = Type.Object(
  {
    userId: Type.String(),
    taskId: Type.String(),
    taskType: Type.Integer({ enum: [1, 2] }),
    taskStatus: Type.Integer({ enum: [0, 1, 2, 3], description: '0 pending, 1 processing, 2 completed, 3 cancelled' }),
    taskResultCode: Type.Optional(Type.Integer({ enum: [1, 2, 3], description: 'once completed: 1 all succeeded, 2 partly failed, 3 all failed' })),
    createTime: Type.String({ pattern: '^\\d{14}$' }),
    startTime: Type.Optional(Type.String({ pattern: '^\\d{14}$' })),
    endTime: Type.Optional(Type.String({ pattern: '^\\d{14}$' })),
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    downloadUrl: Type.Optional(Type.String({ description: 'the zip, once a package download completes' })),
  },
  { additionalProperties: false },
)

export const TaskFileInfoSchema = Type.Object(
  {
    fileId: Type.String(),
    status: Type.Union([Type.Literal('0'), Type.Literal('1'), Type.Literal('2')], { description: '"0" pending, "1" succeeded, "2" failed' }),
    newFileId: Type.Optional(Type.String({ description: 'the copy a dump made' })),
    srcContainerId: Type.String(),
  },
  { additionalProperties: false },
)

export const TaskDetailResponseSchema = Type.Object(
  {
    code: SuccessCode,
    msg: Type.Literal('Success'),
    jobInfo: JobInfoSchema,
    taskInfos: Type.Array(TaskFileInfoSchema),
  },
  { additionalProperties: false },
)
export type TaskDetailResponse = Static<typeof TaskDetailResponseSchema>

export const CancelJobBodySchema = Type.Object(
  { jobId: Type.String({ minLength: 1, maxLength: 128, description: 'a batch job ID, or a share task ID (our choice)' }) },
  { additionalProperties: false },
)
export const SuccessResponseSchema = Type.Object(
  { code: SuccessCode, msg: Type.Literal('Success') },
  { additionalProperties: false },
)
