import { Type, type Static } from '@sinclair/typebox'

const NamespaceSummarySchema = Type.Object(
  {
    name: Type.String({ description: 'X-Mock-Namespace (or ?namespace=) of its requests; `default` for requests that name none' }),
    createdAt: Type.String({ description: 'when its first request came, ISO-8601 (real time)' }),
    lastUsedAt: Type.String({ description: 'when its last request came, ISO-8601 (real time)' }),
    tasks: Type.Integer({ description: 'tasks it holds' }),
    requests: Type.Integer({ description: 'entries in its journal' }),
    faultRules: Type.Integer({ description: 'its active fault rules (the configured ones included)' }),
    files: Type.Integer({ description: 'files and folders in its world' }),
    clockOffsetMs: Type.Integer({ description: 'how far its clock has been moved' }),
  },
  { additionalProperties: false },
)
export type NamespaceSummary = Static<typeof NamespaceSummarySchema>

export const NamespaceListSchema = Type.Object(
  {
    max: Type.Integer({ description: 'MOCK_MAX_NAMESPACES: past it the least recently used goes (never default)' }),
    namespaces: Type.Array(NamespaceSummarySchema, { description: 'default first, then by name' }),
  },
  { additionalProperties: false },
)

export const NamespaceParamsSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }) })

export const NamespaceDroppedSchema = Type.Object(
  {
    dropped: Type.String({ description: 'the namespace that went; `default` starts afresh instead' }),
    namespaces: Type.Integer({ description: 'namespaces left, default included' }),
  },
  { additionalProperties: false },
)
