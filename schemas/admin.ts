import { Type, type Static } from '@sinclair/typebox'
import { StringEnum } from './string-enum.js'
import { SeedFileSchema, SeedShareSchema, SeedSpaceSchema, SeedUserSchema } from './seed.js'
import { JobInfoSchema, TaskFileInfoSchema } from './task-detail.js'

export const WorldCountsSchema = Type.Object(
  { users: Type.Integer(), spaces: Type.Integer(), files: Type.Integer(), shares: Type.Integer() },
  { additionalProperties: false },
)

/** Where the world came from, and with MOCK_SEED_WATCH whether the seed file's last version loaded. */
const SeedStatusSchema = Type.Object(
  {
    source: StringEnum(['default', 'file'], {
      description: 'what the server\'s seed in use (what new namespaces are made from) came from: the built-in world (no MOCK_SEED_FILE, or the file was removed) or the seed file; PUT /__admin/world is one namespace\'s own and does not change it',
    }),
    file: Type.Optional(Type.String({ description: 'MOCK_SEED_FILE, as an absolute path' })),
    watching: Type.Boolean({ description: 'MOCK_SEED_WATCH=true with a seed file: a change to the file replaces the world' }),
    loadedAt: Type.String({ format: 'date-time', description: 'when the seed in use was loaded, by the default namespace\'s clock' }),
    version: Type.Integer({ minimum: 1, description: '1 for the seed the server started with, one more for each reload of the seed file' }),
    problem: Type.Optional(
      Type.String({ description: 'why the seed file\'s current version was not loaded (the world stays the last good one); absent once a good version loads' }),
    ),
  },
  { additionalProperties: false },
)
export type SeedStatus = Static<typeof SeedStatusSchema>

export const ReadyResponseSchema = Type.Object(
  { status: Type.Literal('ready'), world: WorldCountsSchema, tasks: Type.Integer(), seed: SeedStatusSchema },
  { additionalProperties: false },
)

export const ResetQuerySchema = Type.Object(
  { faults: Type.Optional(StringEnum(['true', 'false'], { description: 'true: fault rules back to the configured ones too' })) },
  { additionalProperties: false },
)
export const ResetResponseSchema = Type.Object(
  {
    status: Type.Literal('reset'),
    world: WorldCountsSchema,
    faultRules: Type.Integer({ description: 'fault rules active after the reset' }),
    durationMs: Type.Number(),
  },
  { additionalProperties: false },
)

/** A task's times in epoch milliseconds, by the emulator's clock: enough to work out its status and progress at any moment between two reads. */
const TaskScheduleSchema = Type.Object(
  {
    createdAtMs: Type.Integer(),
    startAtMs: Type.Integer({ description: 'when it turns processing' }),
    endAtMs: Type.Union([Type.Integer(), Type.Null()], { description: 'when it completes; null: never (a stuck task)' }),
    progressEndAtMs: Type.Optional(Type.Integer({ description: 'a stuck task: when its progress would have reached 100 (it stays at 99)' })),
    cancelledAtMs: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)

export const AdminTaskSchema = Type.Object(
  {
    taskId: Type.String(),
    userId: Type.String(),
    shareId: Type.String(),
    outcome: Type.Optional(Type.String({ description: 'forced by a fault rule or an admin action' })),
    jobInfo: JobInfoSchema,
    taskInfos: Type.Array(TaskFileInfoSchema),
    request: Type.Unknown({ description: 'the createShareTask body, kdstoken redacted' }),
    schedule: TaskScheduleSchema,
  },
  { additionalProperties: false },
)
export type AdminTask = Static<typeof AdminTaskSchema>

export const TaskListQuerySchema = Type.Object(
  {
    userId: Type.Optional(Type.String({ minLength: 1 })),
    shareId: Type.Optional(Type.String({ minLength: 1 })),
    taskType: Type.Optional(StringEnum(['1', '2'])),
    taskStatus: Type.Optional(StringEnum(['0', '1', '2', '3'])),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description: 'at most this many, newest first (default 100)' })),
  },
  { additionalProperties: false },
)
export const TaskListResponseSchema = Type.Object(
  { total: Type.Integer({ description: 'matching tasks' }), tasks: Type.Array(AdminTaskSchema) },
  { additionalProperties: false },
)
export const TaskParamsSchema = Type.Object({ taskId: Type.String({ minLength: 1, maxLength: 128 }) })
/** What POST /__admin/tasks/:taskId may do to a running task, in the order the API documents them. */
export const TASK_ACTIONS = ['complete', 'fail', 'partial', 'cancel'] as const
export const TaskActionBodySchema = Type.Object({ action: StringEnum(TASK_ACTIONS) }, { additionalProperties: false })
export type TaskAction = Static<typeof TaskActionBodySchema>['action']

export const AddShareBodySchema = Type.Object(
  {
    share: SeedShareSchema,
    files: Type.Optional(Type.Array(SeedFileSchema)),
    users: Type.Optional(Type.Array(SeedUserSchema)),
    spaces: Type.Optional(Type.Array(SeedSpaceSchema)),
  },
  { additionalProperties: false },
)
export type AddShareBody = Static<typeof AddShareBodySchema>

export const RequestListQuerySchema = Type.Object(
  {
    operation: Type.Optional(Type.String({ minLength: 1 })),
    status: Type.Optional(Type.String({ pattern: '^(0|[1-5][0-9]{2})$', description: 'an HTTP status; 0: requests a connection fault left unanswered' })),
    userId: Type.Optional(Type.String({ minLength: 1 })),
    since: Type.Optional(Type.String({ minLength: 1, description: 'ISO-8601 time or epoch milliseconds' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description: 'at most this many, newest first (default 100)' })),
  },
  { additionalProperties: false },
)

/** Set on an entry whose body was longer than MOCK_JOURNAL_BODY_BYTES: the body shown is its first bytes, as text. */
const TruncationSchema = Type.Object(
  {
    originalBytes: Type.Integer({ description: 'the whole body\'s length in bytes' }),
    keptBytes: Type.Integer({ description: 'the bytes kept' }),
  },
  { additionalProperties: false },
)

const JournalEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    time: Type.String(),
    method: Type.String(),
    path: Type.String(),
    query: Type.String(),
    operation: Type.String(),
    userId: Type.Union([Type.String(), Type.Null()]),
    headers: Type.Unknown(),
    body: Type.Unknown(),
    bodyTruncated: Type.Optional(TruncationSchema),
    status: Type.Integer(),
    responseBody: Type.Unknown(),
    responseBodyTruncated: Type.Optional(TruncationSchema),
    durationMs: Type.Number(),
    fault: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
)
export type JournalEntry = Static<typeof JournalEntrySchema>
export const RequestListResponseSchema = Type.Object(
  { total: Type.Integer({ description: 'matching entries' }), requests: Type.Array(JournalEntrySchema) },
  { additionalProperties: false },
)
export const RequestCountResponseSchema = Type.Object({ count: Type.Integer() }, { additionalProperties: false })

/** Longest GET /__admin/requests/count waits for `atLeast`, milliseconds. */
export const MAX_COUNT_WAIT_MS = 60_000

/** GET /__admin/requests/count: the list's filters, and a wait for the count to reach `atLeast`. */
export const RequestCountQuerySchema = Type.Object(
  {
    ...RequestListQuerySchema.properties,
    atLeast: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,6}$', description: 'answer as soon as this many entries match (waiting up to timeoutMs)' })),
    timeoutMs: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,5}$', description: `with atLeast: how long to wait, at most ${MAX_COUNT_WAIT_MS} (default 5000); at the end the count so far is answered` }),
    ),
  },
  { additionalProperties: false },
)
