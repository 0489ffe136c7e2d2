import type { FastifyRequest } from 'fastify'
import secureJson from 'secure-json-parse'
import { badRequest, parameterInvalid, type KooDriveError } from './domain/errors.js'
import { fieldPath } from './support/json-path.js'

/**
 * How deep a body may nest. The API's own bodies go three levels; a fault rule's raw body a few
 * more. Deeper is refused up front, so no later walk (validation, redaction, a view's
 * JSON.stringify, which overflows the stack at a few thousand levels) ever meets it.
 */
export const MAX_BODY_DEPTH = 32

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** How many `opener`s `text` holds (strings included), counted by indexOf up to `limit` + 1. */
function openersUpTo(text: string, opener: '{' | '[', limit: number): number {
  let count = 0
  for (let at = text.indexOf(opener); at !== -1 && count <= limit; at = text.indexOf(opener, at + 1)) count++
  return count
}

/** Whether valid JSON `text` nests deeper than `maxDepth`, read off the text (strings skipped). */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  // A body with no more openers than maxDepth cannot nest deeper (every API body): no walk then.
  if (openersUpTo(text, '{', maxDepth) + openersUpTo(text, '[', maxDepth) <= maxDepth) return false
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      // Skip the string: a backslash escapes the character after it.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i)
        if (s === BACKSLASH) i++
        else if (s === QUOTE) break
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--
    }
  }
  return false
}

/**
 * Where in a parsed body a string (a value or a key) is not well-formed Unicode, as the field
 * name a message shows (`zipName`, `fileIds[2]`), or undefined. A lone surrogate can only come from
 * a `\uD8xx` escape (the strict UTF-8 decoder refuses encoded ones), and would later break what
 * reads it: encodeURIComponent in a presigned URL throws on one.
 */
export function illFormedField(value: unknown): string | undefined {
  const stack: [value: unknown, path: string][] = [[value, '']]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, path] = item
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return path === '' ? 'body' : fieldPath(path)
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}/${i}`])
    } else if (typeof current === 'object' && current !== null) {
      const keys = Object.keys(current)
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string
        if (!key.isWellFormed()) return `the key ${fieldPath(path, key)}`
        stack.push([(current as Record<string, unknown>)[key], `${path}/${key}`])
      }
    }
  }
  return undefined
}

/**
 * The JSON body parser: strict UTF-8 (the API's bodies are UTF-8; Fastify's own parser would turn
 * bad bytes into U+FFFD and go on), no `__proto__` or `constructor.prototype` keys, nesting at most
 * MAX_BODY_DEPTH, and every string well-formed Unicode. A route without a body schema takes an
 * empty body (many HTTP clients send Content-Type: application/json on every call).
 */
export function parseJsonBody(request: FastifyRequest, body: Buffer, done: (error: KooDriveError | null, value?: unknown) => void): void {
  if (body.length === 0) {
    if (request.routeOptions.schema?.body === undefined) return done(null, undefined)
    return done(badRequest('the request body is empty; send a JSON object'))
  }
  let text: string
  try {
    text = strictUtf8.decode(body)
  } catch {
    return done(badRequest('the request body is not valid UTF-8'))
  }
  let value: unknown
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch {
    return done(badRequest('the request body is not valid JSON, or has a __proto__ or constructor.prototype key'))
  }
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) return done(badRequest(`the request body nests deeper than ${MAX_BODY_DEPTH} levels`))
  // Only an escape can make a lone surrogate: most bodies skip the walk.
  const illFormed = text.includes('\\u') ? illFormedField(value) : undefined
  if (illFormed !== undefined) return done(parameterInvalid(`${illFormed} is not well-formed Unicode (it holds a lone surrogate)`))
  request.bodyText = text
  request.bodyBytes = body.length
  request.bodyRaw = body
  done(null, value)
}
