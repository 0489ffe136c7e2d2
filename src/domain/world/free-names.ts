/**
 * The one rule for a name that clashes with a sibling's, in a dump's target folder and inside a
 * zip alike: `name`, else `name (1).ext`, `name (2).ext`…, the first free one, compared without
 * case (so a package extracts without clashes on Windows and macOS too, and a drive folder never
 * holds two names that differ only in case). A folder's name has no extension: `photos.2024` →
 * `photos.2024 (1)`.
 *
 * @example
 * freeName('report.pdf', new Set(['report.pdf']), false) // 'report (1).pdf'
 */
export function freeName(name: string, takenLowerCase: ReadonlySet<string>, isFolder: boolean): string {
  if (!takenLowerCase.has(name.toLowerCase())) return name
  const dot = isFolder ? -1 : name.lastIndexOf('.')
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  let n = 1
  while (takenLowerCase.has(`${stem} (${n})${extension}`.toLowerCase())) n++
  return `${stem} (${n})${extension}`
}
