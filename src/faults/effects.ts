import type { CONNECTION_FAULTS } from '../../schemas/fault-rule.js'

export type ConnectionFault = (typeof CONNECTION_FAULTS)[number]

/** What a connection fault does, read by the rule checker, the fault hooks and the README. */
export interface ConnectionEffect {
  /**
   * `instead`: the fault answers in the route's place (or leaves the request unanswered), so a rule
   * cannot also carry an error; `reshapes`: the route answers, and the fault reshapes its bytes.
   */
  answer: 'instead' | 'reshapes'
  /** The hook it acts in: onRequest (before the route), or onSend (on the route's answer). */
  phase: 'onRequest' | 'onSend'
  /** Whether the client gets a response at all; false ones reach the journal with status 0. */
  responds: boolean
  /** What a client sees: the README's words. */
  clientSees: string
}

/** Every connection fault the rule schema allows, and what it does: one entry each (the type says so). */
export const CONNECTION_EFFECTS: Readonly<Record<ConnectionFault, ConnectionEffect>> = {
  reset: { answer: 'instead', phase: 'onRequest', responds: false, clientSees: 'TCP RST' },
  hang: { answer: 'instead', phase: 'onRequest', responds: false, clientSees: 'never answers; the connection is closed after `MOCK_HANG_MAX_MS`' },
  empty: { answer: 'instead', phase: 'onRequest', responds: false, clientSees: 'closes with no response' },
  malformed: { answer: 'instead', phase: 'onRequest', responds: true, clientSees: '200 whose body is not JSON' },
  truncate: { answer: 'reshapes', phase: 'onSend', responds: true, clientSees: 'closes half-way through the body' },
  slow: { answer: 'reshapes', phase: 'onSend', responds: true, clientSees: 'the body dribbled over `latencyMs`' },
}

/** The connection faults that answer in the route's place: none of them goes with an error. */
export const ANSWERING_CONNECTIONS: ReadonlySet<ConnectionFault> = new Set(
  (Object.keys(CONNECTION_EFFECTS) as ConnectionFault[]).filter((name) => CONNECTION_EFFECTS[name].answer === 'instead'),
)

/** The README's words for every connection fault, `name` (what a client sees), in the schema's order. */
export function connectionFaultsDoc(): string {
  return (Object.entries(CONNECTION_EFFECTS) as [ConnectionFault, ConnectionEffect][]).map(([name, effect]) => `\`${name}\` (${effect.clientSees})`).join(', ')
}
