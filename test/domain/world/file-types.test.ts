import t from 'tap'
import { contentTypeOf, fileSuffix, FileType, fileTypeOf } from '../../../src/domain/world/file-types.js'

t.test('FileType holds the vendor\'s codes', async (t) => {
  t.strictSame(FileType, { FOLDER: 10, IMAGE: 15, VIDEO: 20, WORD: 26, EXCEL: 27, PPT: 28, AUDIO: 30, ARCHIVE: 35, OTHER: 45 })
})

t.test('fileTypeOf maps every known extension to its group', async (t) => {
  const groups: [number, string[]][] = [
    [15, ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'heic', 'svg', 'tif', 'tiff']],
    [20, ['mp4', 'mov', 'avi', 'mkv', 'wmv', 'flv', 'webm', 'm4v']],
    [26, ['doc', 'docx', 'odt', 'rtf']],
    [27, ['xls', 'xlsx', 'csv', 'ods']],
    [28, ['ppt', 'pptx', 'odp']],
    [30, ['mp3', 'wav', 'aac', 'flac', 'm4a', 'ogg', 'wma']],
    [35, ['zip', 'rar', '7z', 'tar', 'gz', 'bz2', 'xz']],
  ]
  for (const [type, suffixes] of groups) {
    t.strictSame(
      suffixes.map((suffix) => fileTypeOf(`name.${suffix}`, 'file')),
      suffixes.map(() => type),
      `${type}: ${suffixes.join(' ')}`,
    )
  }
})

t.test('fileTypeOf: an unknown extension is "other"', async (t) => {
  t.equal(fileTypeOf('report.pdf', 'file'), FileType.OTHER)
  t.equal(fileTypeOf('notes.txt', 'file'), FileType.OTHER)
  t.equal(fileTypeOf('program.exe', 'file'), FileType.OTHER)
})

t.test('fileTypeOf ignores the case of the extension', async (t) => {
  t.equal(fileTypeOf('Hero shot.JPG', 'file'), FileType.IMAGE)
  t.equal(fileTypeOf('Keynote.PpTx', 'file'), FileType.PPT)
  t.equal(fileTypeOf('Teaser.Mp4', 'file'), FileType.VIDEO)
})

t.test('fileTypeOf uses the last extension only', async (t) => {
  t.equal(fileTypeOf('backup.tar.gz', 'file'), FileType.ARCHIVE)
  t.equal(fileTypeOf('photo.jpg.txt', 'file'), FileType.OTHER)
  t.equal(fileTypeOf('Budget 2026.v2.xlsx', 'file'), FileType.EXCEL)
})

t.test('fileTypeOf: no extension, a dotfile, or a trailing dot is "other"', async (t) => {
  t.equal(fileTypeOf('README', 'file'), FileType.OTHER)
  t.equal(fileTypeOf('.zip', 'file'), FileType.OTHER, 'a leading dot is part of the name')
  t.equal(fileTypeOf('.bashrc', 'file'), FileType.OTHER)
  t.equal(fileTypeOf('archive.', 'file'), FileType.OTHER)
})

t.test('fileTypeOf: a folder is 10 whatever its name', async (t) => {
  t.equal(fileTypeOf('Photos', 'folder'), FileType.FOLDER)
  t.equal(fileTypeOf('Holiday.jpg', 'folder'), FileType.FOLDER)
  t.equal(fileTypeOf('.git', 'folder'), FileType.FOLDER)
})

t.test('fileSuffix is the lower-case extension, or empty', async (t) => {
  t.equal(fileSuffix('report.PDF'), 'pdf')
  t.equal(fileSuffix('backup.tar.gz'), 'gz')
  t.equal(fileSuffix('README'), '')
  t.equal(fileSuffix('.env'), '')
  t.equal(fileSuffix('a.'), '')
  t.equal(fileSuffix(''), '')
})

t.test('contentTypeOf gives the MIME type of every known extension', async (t) => {
  const expected: Record<string, string> = {
    'a.pdf': 'application/pdf',
    'a.txt': 'text/plain; charset=utf-8',
    'a.csv': 'text/csv',
    'a.jpg': 'image/jpeg',
    'a.jpeg': 'image/jpeg',
    'a.png': 'image/png',
    'a.gif': 'image/gif',
    'a.webp': 'image/webp',
    'a.mp4': 'video/mp4',
    'a.mov': 'video/quicktime',
    'a.mp3': 'audio/mpeg',
    'a.wav': 'audio/wav',
    'a.zip': 'application/zip',
    'a.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'a.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'a.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  }
  t.strictSame(Object.fromEntries(Object.keys(expected).map((name) => [name, contentTypeOf(name)])), expected)
})

t.test('contentTypeOf ignores case and falls back to application/octet-stream', async (t) => {
  t.equal(contentTypeOf('Quarterly report.PDF'), 'application/pdf')
  t.equal(contentTypeOf('Logo.svg'), 'image/svg+xml')
  t.equal(contentTypeOf('notes.md'), 'application/octet-stream')
  t.equal(contentTypeOf('README'), 'application/octet-stream')
  t.equal(contentTypeOf('.txt'), 'application/octet-stream')
})
