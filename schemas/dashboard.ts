import { Type } from '@sinclair/typebox'

/** What the dashboard shows, each refetched when the event stream says it changed. */
export const CHANGE_TOPICS = ['tasks', 'requests', 'faults', 'world', 'clock'] as const
export type ChangeTopic = (typeof CHANGE_TOPICS)[number]

/** The data of a `ready` or `change` event: the topics to read again. */
export const ChangeEventSchema = Type.Object(
  { topics: Type.Array(Type.Union(CHANGE_TOPICS.map((topic) => Type.Literal(topic))), { uniqueItems: true }) },
  { additionalProperties: false },
)

export const EventStreamSchema = Type.String({
  description:
    'Server-sent events. First `event: ready` with every topic, then `event: change` with the topics that changed ' +
    `(${CHANGE_TOPICS.join(', ')}), at most one every 100 ms however busy the emulator is; ` +
    'a `: keep-alive` comment every 15 s. Each data line is JSON: {"topics":[...]}.',
})

export const DashboardAssetParamsSchema = Type.Object({ file: Type.String({ minLength: 1, maxLength: 64, description: 'a file of the page, e.g. app.js' }) })

export const AssetSchema = Type.String({ description: 'a script, a style sheet or an icon of the page' })

export const HtmlSchema = Type.String({ description: 'the dashboard page' })

export const RedirectSchema = Type.Null({ description: 'Location: /__admin/' })
