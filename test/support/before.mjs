// tap's `before`: the counts of a previous run must not add up with this one's.
import { rmSync } from 'node:fs'

rmSync(new URL('../../.tap/response-validation/', import.meta.url), { recursive: true, force: true })
