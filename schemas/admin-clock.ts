import { Type, type Static } from '@sinclair/typebox'

export const ClockStateSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('real'), Type.Literal('manual')], { description: 'MOCK_CLOCK' }),
    nowMs: Type.Integer({ description: 'the emulator\'s time, epoch milliseconds' }),
    now: Type.String({ description: 'the same, ISO-8601' }),
    offsetMs: Type.Integer({ description: 'how far the clock has been moved from where it started (manual) or from real time (real)' }),
  },
  { additionalProperties: false },
)
export type ClockState = Static<typeof ClockStateSchema>

export const AdvanceClockBodySchema = Type.Object(
  { advanceMs: Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600 * 1000, description: 'milliseconds to move forward' }) },
  { additionalProperties: false },
)
