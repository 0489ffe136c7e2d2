/**
 * A JSON pointer as the field name a message shows: `/targetFileId/fileId` → `targetFileId.fileId`,
 * `/fileIds/3` → `fileIds[3]`; `child` (a property name, digits or not) is appended, quoted when a
 * person could not read it as a name (empty, blank, punctuation). The one formatter of every
 * message that names a field: request validation, fault rules, seeds, admin bodies.
 *
 * @example
 * fieldPath('/files/0/type') // 'files[0].type'
 * fieldPath('', 'extra key') // '"extra key"'
 */
export function fieldPath(pointer: string, child?: string): string {
  const name = pointer
    .split('/')
    .slice(1)
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '')
  if (child === undefined) return name
  const key = /^[A-Za-z0-9_$-]+$/.test(child) ? child : JSON.stringify(child)
  return name ? `${name}.${key}` : key
}
