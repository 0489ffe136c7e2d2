// tap's `after`: sums what every test process checked against the OpenAPI document (see response-validation.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'

const directory = new URL('../../.tap/response-validation/', import.meta.url)
const totals = { processes: 0, validated: 0, exempt: 0, problems: 0 }
for (const name of existsSync(directory) ? readdirSync(directory) : []) {
  if (!/^\d+\.json$/.test(name)) continue
  const counts = JSON.parse(readFileSync(new URL(name, directory), 'utf8'))
  totals.processes += 1
  totals.validated += counts.validated
  totals.exempt += counts.exempt
  totals.problems += counts.problems
}
if (totals.processes > 0) writeFileSync(new URL('summary.json', directory), `${JSON.stringify(totals)}\n`)
console.log(
  `# responses validated against the OpenAPI document: ${totals.validated} in ${totals.processes} test processes ` +
    `(${totals.exempt} exempt: docs pages, preflights, malformed-body faults; ${totals.problems} not described)`,
)
