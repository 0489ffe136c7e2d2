import type { Readable } from 'node:stream'
import { fileContentStream } from '../../src/domain/objects/file-content.js'
import { objectErrorXml } from '../../src/koodrive/object-storage.js'

/** What the object store behind download URLs serves: a file's bytes and its XML errors. */

/** Everything a readable stream yields, as one buffer. */
export async function bufferOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The bytes the emulator serves for a file: the first `bytes` of its deterministic content. */
export function expectedContent(fileId: string, bytes: number): Promise<Buffer> {
  return bufferOf(fileContentStream(fileId, bytes))
}

/** The object-storage XML error a presigned URL answers with (see src/koodrive/object-storage.ts). */
export function objectError(code: string, message: string, objectKey: string, requestId: string | number | string[] | undefined): string {
  return objectErrorXml(code, message, `/koodrive-share/${objectKey}`, String(requestId))
}
