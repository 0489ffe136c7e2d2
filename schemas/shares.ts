import { Type, type Static } from '@sinclair/typebox'
import { SuccessCode } from './string-enum.js'

const ShortUrlSchema = Type.String({ minLength: 1, maxLength: 128, description: 'the share link code', examples: ['1689765568237830001'] })
const KdstokenSchema = Type.String({ minLength: 1, maxLength: 256, description: 'temporary share token from share/verify' })

/** A share as clients see it (`link`). Times are ISO-8601 with milliseconds and Z. */
const ShareLinkSchema = Type.Object(
  {
    shareId: Type.String(),
    shortUrl: Type.String(),
    shareTime: Type.String({ description: 'when the share was made' }),
    ownerId: Type.String(),
    ownerName: Type.String(),
    expireTime: Type.Optional(Type.String({ description: 'absent for a share that never expires' })),
    expireDate: Type.String({ description: 'validity in days, "-1" for a share that never expires (our choice)' }),
    status: Type.Integer({ enum: [0, 1, 2], description: '0 valid, 1 files deleted, 2 expired' }),
  },
  { additionalProperties: false },
)
export type ShareLink = Static<typeof ShareLinkSchema>

export const ShareUserInfoQuerySchema = Type.Object({ shortUrl: ShortUrlSchema }, { additionalProperties: false })
export const ShareUserInfoResponseSchema = Type.Object(
  { code: SuccessCode, msg: Type.Literal('Success'), link: ShareLinkSchema },
  { additionalProperties: false },
)

export const VerifyShareBodySchema = Type.Object(
  {
    shortUrl: ShortUrlSchema,
    extractCode: Type.String({ minLength: 1, maxLength: 64, description: 'the access code, 8 characters [0-9a-zA-Z]' }),
  },
  { additionalProperties: false },
)
export type VerifyShareBody = Static<typeof VerifyShareBodySchema>
export const VerifyShareResponseSchema = Type.Object(
  { code: SuccessCode, msg: Type.Literal('Success'), kdstoken: Type.String({ pattern: '^[0-9a-f]{48}$' }) },
  { additionalProperties: false },
)

export const SortType = { NAME: 1, SIZE: 2, MODIFIED: 4 } as const
export const SortDirection = { ASC: 1, DESC: 2 } as const

export const ListShareFilesBodySchema = Type.Object(
  {
    shortUrl: ShortUrlSchema,
    parentFolder: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'a folder in the share; absent: the shared items' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
    pageCursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'nextCursor of the previous page' })),
    sortType: Type.Optional(Type.Integer({ enum: [1, 2, 4], default: 4, description: '1 name, 2 size, 4 modified' })),
    sortDirection: Type.Optional(Type.Integer({ enum: [1, 2], default: 2, description: '1 ascending, 2 descending' })),
    kdstoken: Type.Optional(KdstokenSchema),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'keep names containing this, any case' })),
  },
  { additionalProperties: false },
)
export type ListShareFilesBody = Static<typeof ListShareFilesBodySchema>

const ShareFileSchema = Type.Object(
  {
    id: Type.String(),
    fileName: Type.String(),
    fileType: Type.Integer({ description: '10 folder, 15 image, 20 video, 26 word, 27 excel, 28 ppt, 30 audio, 35 archive, 45 other' }),
    parentFolder: Type.Array(Type.String()),
    fileSuffix: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    containers: Type.Array(Type.String()),
    editedTime: Type.String(),
  },
  { additionalProperties: false },
)
export type ShareFile = Static<typeof ShareFileSchema>

export const ListShareFilesResponseSchema = Type.Object(
  {
    code: SuccessCode,
    msg: Type.Literal('Success'),
    nextCursor: Type.Optional(Type.String({ description: 'absent on the last page' })),
    link: ShareLinkSchema,
    files: Type.Array(ShareFileSchema),
  },
  { additionalProperties: false },
)

export const DownloadShareFileBodySchema = Type.Object(
  {
    shareId: Type.String({ minLength: 1, maxLength: 128 }),
    fileId: Type.String({ minLength: 1, maxLength: 128 }),
    kdstoken: Type.Optional(KdstokenSchema),
  },
  { additionalProperties: false },
)
export type DownloadShareFileBody = Static<typeof DownloadShareFileBodySchema>
export const DownloadShareFileResponseSchema = Type.Object(
  { code: SuccessCode, msg: Type.Literal('Success'), downloadUrl: Type.String() },
  { additionalProperties: false },
)
