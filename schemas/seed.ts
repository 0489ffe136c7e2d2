import { Type, type Static } from '@sinclair/typebox'
import { SchemaReference } from './schema-reference.js'
import { FILE_NAME_PATTERN } from './share-tasks.js'

/**
 * The world document users write by hand (MOCK_SEED_FILE, PUT /__admin/world): who exists, their
 * spaces, the files in them and the shares of those files.
 */
/** An app that signs requests for its user (app authentication: HMAC-SHA256 with its secret). */
const SeedAppSchema = Type.Object(
  {
    appId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s,]+$', description: 'the AppId of the Authorization header: no spaces or commas', examples: ['ann-app'] }),
    appSecret: Type.String({ minLength: 1, maxLength: 512, description: 'the HMAC-SHA256 key the app signs with (hidden in logs and the journal)', examples: ['ann-app-secret'] }),
  },
  { additionalProperties: false },
)

export const SeedUserSchema = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 128 }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    tokens: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { description: 'Bearer tokens of this user' }),
    apps: Type.Optional(Type.Array(SeedAppSchema, { description: 'apps that sign requests as this user; an appId is unique in the world' })),
  },
  { additionalProperties: false },
)

export const SeedSpaceSchema = Type.Object(
  {
    containerId: Type.String({ minLength: 1, maxLength: 128, description: 'the vendor\'s look: IAA + letters/digits', examples: ['IAABh_RdhS8bOg0cA1684711052660690818'] }),
    ownerId: Type.String({ minLength: 1 }),
    capacityBytes: Type.Integer({ minimum: 0 }),
    active: Type.Optional(
      Type.Boolean({ description: 'false: the space is not active: share/files, share/download and share/tasks (its files, or a dump into it) get 13000412; default true' }),
    ),
  },
  { additionalProperties: false },
)

export const SeedFileSchema = Type.Object(
  {
    fileId: Type.String({ minLength: 1, maxLength: 128, examples: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'] }),
    containerId: Type.String({ minLength: 1 }),
    parentId: Type.String({ minLength: 1, description: '"root" for top level, else a folder of the same space' }),
    name: Type.String({ minLength: 1, maxLength: 255, pattern: FILE_NAME_PATTERN, description: 'no / or \\, not . or ..' }),
    type: Type.Union([Type.Literal('file'), Type.Literal('folder')]),
    size: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes; 0 for folders when absent' })),
    recycled: Type.Optional(Type.Boolean({ description: 'in the recycle bin' })),
    editedTime: Type.Optional(Type.String({ format: 'date-time' })),
    copiedFromId: Type.Optional(Type.String({ minLength: 1, description: 'set by a dump: the file this is a copy of' })),
  },
  { additionalProperties: false },
)

export const SeedShareSchema = Type.Object(
  {
    shareId: Type.String({ minLength: 1, maxLength: 128, description: 'the vendor\'s look: 19 digits', examples: ['1689765568237837824'] }),
    shortUrl: Type.String({ minLength: 1, maxLength: 128 }),
    ownerId: Type.String({ minLength: 1 }),
    containerId: Type.String({ minLength: 1 }),
    fileIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    extractCode: Type.Optional(Type.String({ pattern: '^[0-9a-zA-Z]{8}$', description: 'access code; absent for an open share' })),
    expireTime: Type.Optional(Type.String({ format: 'date-time', description: 'absent: never expires' })),
    shareTime: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
)

export const SeedSchema = Type.Object(
  {
    $schema: SchemaReference('schemas/seed.schema.json'),
    users: Type.Array(SeedUserSchema),
    spaces: Type.Array(SeedSpaceSchema),
    files: Type.Array(SeedFileSchema),
    shares: Type.Array(SeedShareSchema),
  },
  { additionalProperties: false },
)

export type Seed = Static<typeof SeedSchema>
/** The seed's lists of entries. */
export type SeedList = Exclude<keyof Seed, '$schema'>
export type SeedFile = Static<typeof SeedFileSchema>
export type SeedShare = Static<typeof SeedShareSchema>
