import yauzl from 'yauzl'
import { bufferOf } from './objects.js'

interface UnzippedEntry {
  name: string
  size: number
  compressionMethod: number
  mtimeMs: number
  content: Buffer
}

/** Every entry of a zip, in order, read back with yauzl (which checks the structure and each CRC). */
export async function unzip(zip: Buffer): Promise<UnzippedEntry[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, autoClose: false })
  const listed = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const found: yauzl.Entry[] = []
    file.on('entry', (entry: yauzl.Entry) => {
      found.push(entry)
      file.readEntry()
    })
    file.on('end', () => resolve(found))
    file.on('error', reject)
    file.readEntry()
  })
  const entries: UnzippedEntry[] = []
  for (const entry of listed) {
    const content = entry.fileName.endsWith('/') ? Buffer.alloc(0) : await bufferOf(await file.openReadStreamPromise(entry))
    entries.push({
      name: entry.fileName,
      size: entry.uncompressedSize,
      compressionMethod: entry.compressionMethod,
      mtimeMs: entry.getLastModDate().getTime(),
      content,
    })
  }
  file.close()
  return entries
}
