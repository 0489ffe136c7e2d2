import { Type, type Static } from '@sinclair/typebox'
import { IntegerLiteral, SuccessCode } from './string-enum.js'

/** 19-digit decimal string: task, share and job IDs. */
const SnowflakeIdSchema = Type.String({ pattern: '^[1-9][0-9]{18}$', examples: ['1689765568237837824'] })

const IdString = (description: string, example: string) =>
  Type.String({ minLength: 1, maxLength: 128, description, examples: [example] })

export const TASK_TYPE_PACKAGE = 1
export const TASK_TYPE_DUMP = 2
const MAX_FILE_IDS = 1000

const TargetFileIdSchema = Type.Object(
  {
    fileId: IdString('destination folder; "root" is the root folder of the space', 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob'),
    containerId: IdString('the space of the destination folder', 'IAABh_RdhS8bOg0cA1684711052660690818'),
  },
  { additionalProperties: false },
)

/** A file name: no / or \\, and not . or .., which URL clients resolve as path segments. */
export const FILE_NAME_PATTERN = '^(?!\\.{1,2}$)[^/\\\\]+$'

const ZipNameSchema = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: FILE_NAME_PATTERN,
  description: 'name of the zip package: no / or \\, not . or ..; required when taskType is 1',
})

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
    zipName: Type.Optional(ZipNameSchema),
    shareId: IdString('the share the files come from', '1689765568237837824'),
    kdstoken: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'temporary share token from share/verify' })),
  },
  { additionalProperties: false },
)
export type CreateShareTaskBody = Static<typeof CreateShareTaskBodySchema>

export const CreateShareTaskResponseSchema = Type.Object(
  {
    code: SuccessCode,
    msg: Type.Literal('Success'),
    taskId: SnowflakeIdSchema,
  },
  { additionalProperties: false },
)

const taskTypeDoc = (value: 1 | 2, description: string) => IntegerLiteral(value, { description })
const { taskType: _taskType, targetFileId, zipName, ...commonFields } = CreateShareTaskBodySchema.properties

/**
 * The body as the API docs give it: the taskType rules (zipName for 1, targetFileId for 2) as a
 * oneOf, so validators and generators know them. Documentation only: the route validates with the
 * flat schema above and checkTaskTypeFields, whose messages name the missing field.
 */
export const CreateShareTaskDocSchema = Type.Unsafe<CreateShareTaskBody>({
  oneOf: [
    Type.Object(
      { taskType: taskTypeDoc(TASK_TYPE_PACKAGE, '1: package download (zip)'), ...commonFields, zipName: ZipNameSchema, targetFileId },
      { additionalProperties: false, title: 'PackageDownloadTask' },
    ),
    Type.Object(
      { taskType: taskTypeDoc(TASK_TYPE_DUMP, '2: dump, a copy into the caller\'s own space'), ...commonFields, targetFileId: TargetFileIdSchema, zipName },
      { additionalProperties: false, title: 'DumpTask' },
    ),
  ],
  description: 'taskType 1 (package download) needs zipName; taskType 2 (dump) needs targetFileId',
})
