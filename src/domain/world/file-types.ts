/** KooDrive's `fileType` codes, from a file's extension. */
export const FileType = { FOLDER: 10, IMAGE: 15, VIDEO: 20, WORD: 26, EXCEL: 27, PPT: 28, AUDIO: 30, ARCHIVE: 35, OTHER: 45 } as const

const TYPE_BY_SUFFIX = new Map<string, number>([
  ...['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'heic', 'svg', 'tif', 'tiff'].map((s) => [s, FileType.IMAGE] as const),
  ...['mp4', 'mov', 'avi', 'mkv', 'wmv', 'flv', 'webm', 'm4v'].map((s) => [s, FileType.VIDEO] as const),
  ...['doc', 'docx', 'odt', 'rtf'].map((s) => [s, FileType.WORD] as const),
  ...['xls', 'xlsx', 'csv', 'ods'].map((s) => [s, FileType.EXCEL] as const),
  ...['ppt', 'pptx', 'odp'].map((s) => [s, FileType.PPT] as const),
  ...['mp3', 'wav', 'aac', 'flac', 'm4a', 'ogg', 'wma'].map((s) => [s, FileType.AUDIO] as const),
  ...['zip', 'rar', '7z', 'tar', 'gz', 'bz2', 'xz'].map((s) => [s, FileType.ARCHIVE] as const),
])

/** `report.PDF` → `pdf`; no dot, or a leading dot only → ''. */
export function fileSuffix(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export function fileTypeOf(name: string, kind: 'file' | 'folder'): number {
  return kind === 'folder' ? FileType.FOLDER : (TYPE_BY_SUFFIX.get(fileSuffix(name)) ?? FileType.OTHER)
}

const MIME_BY_SUFFIX = new Map<string, string>([
  ['pdf', 'application/pdf'], ['txt', 'text/plain; charset=utf-8'], ['csv', 'text/csv'],
  ['jpg', 'image/jpeg'], ['jpeg', 'image/jpeg'], ['png', 'image/png'], ['gif', 'image/gif'], ['webp', 'image/webp'], ['svg', 'image/svg+xml'],
  ['mp4', 'video/mp4'], ['mov', 'video/quicktime'], ['mp3', 'audio/mpeg'], ['wav', 'audio/wav'],
  ['zip', 'application/zip'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
])

/** The Content-Type object storage would serve a file with. */
export function contentTypeOf(name: string): string {
  return MIME_BY_SUFFIX.get(fileSuffix(name)) ?? 'application/octet-stream'
}
