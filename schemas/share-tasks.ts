import { Type, type Static } from '@sinclair/typebox'

/** 19-digit decimal string: task, share and job IDs. */
export const SnowflakeIdSchema = Type.String({ pattern: '^[1-9][0-9]{18}$', examples: ['1689765568237837824'] })

const IdString = (description: string, example: string) =>
  Type.String({ minLength: 1, maxLength: 128, description, examples: [example] })

export const TASK_TYPE_PACKAGE = 1
export const TASK_TYPE_DUMP = 2
export const MAX_FILE_IDS = 1000

export const TargetFileIdSchema = Type.Object(
  {
    fileId: IdString('destination folder; "root" is the root folder of the space', 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob'),
    containerId: IdString('the space of the destination folder', 'IAABh_RdhS8bOg0cA1684711052660690818'),
  },
  { additionalProperties: false },
)

export const CreateShareTaskBodySchema = Type.Object(
  {
    // An enum, not a union of literals: one clear validation error instead of an anyOf cascade.
    taskType: Type.Unsafe<1 | 2>({
      type: 'integer',
      enum: [TASK_TYPE_PACKAGE, TASK_TYPE_DUMP],
      description: '1 package download (zip), 2 dump (save a copy into the caller\'s own space)',
    }),
    containerId: IdString('the space the shared files are in', 'IAABh_RdhS8bOg0cA1684711052660690818'),
    fileIds: Type.Array(IdString('a shared file or folder', 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'), {
      minItems: 1,
      maxItems: MAX_FILE_IDS,
    }),
    targetFileId: Type.Optional(TargetFileIdSchema),
    zipName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, pattern: '^[^/\\\\]+$', description: 'name of the zip package, no / or \\; required when taskType is 1' }),
    ),
    shareId: IdString('the share the files come from', '1689765568237837824'),
    kdstoken: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'temporary share token from share/verify' })),
  },
  { additionalProperties: false },
)
export type CreateShareTaskBody = Static<typeof CreateShareTaskBodySchema>

export const CreateShareTaskResponseSchema = Type.Object(
  {
    code: Type.Literal(0),
    msg: Type.Literal('Success'),
    taskId: SnowflakeIdSchema,
  },
  { additionalProperties: false },
)
export type CreateShareTaskResponse = Static<typeof CreateShareTaskResponseSchema>
