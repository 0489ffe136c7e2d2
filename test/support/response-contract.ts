import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

/**
 * The OpenAPI document as a contract for answers: given what a route sent (status, Content-Type,
 * body), says whether the document describes it, and if not, why. Pure: the hook that feeds it
 * every answer a test receives is in response-validation.ts.
 */

interface MediaType {
  schema?: object
}
interface ResponseObject {
  content?: Record<string, MediaType>
}
interface Operation {
  operationId?: string
  responses: Record<string, ResponseObject>
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components?: { responses?: Record<string, ResponseObject> }
}

export interface Answer {
  method: string
  /** The route as Fastify registered it (`/__admin/tasks/:taskId`), or undefined when no route matched. */
  routeUrl: string | undefined
  statusCode: number
  contentType: string | undefined
  /** The body as sent; undefined when it is a stream (a download), which is not read. */
  body: string | undefined
  /**
   * A fault rule chose the status or the whole answer (a raw `{status, body}`, or a code moved to
   * another `status`): the document describes those as the operation's `default` response.
   */
  ruleShaped?: boolean
}

/** ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM loader. */
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv

/** `/__admin/tasks/:taskId` → `/__admin/tasks/{taskId}`, `/obs/koodrive-share/*` → `/obs/koodrive-share/{*}`. */
export const documentPath = (routeUrl: string) => routeUrl.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}')

export class ResponseContract {
  readonly #document: OpenApiDocument
  // OpenAPI 3.0 keywords Ajv does not know (example) are annotations; nullable Ajv supports itself.
  readonly #ajv = addFormats(new Ajv({ strict: false, allErrors: true })).addFormat('binary', true)
  readonly #compiled = new WeakMap<object, ValidateFunction>()

  constructor(document: OpenApiDocument) {
    this.#document = document
  }

  /** Why the document does not describe `answer`, or undefined when it does. */
  problem(answer: Answer): string | undefined {
    const where = `${answer.method} ${answer.routeUrl ?? '(no route)'} → ${answer.statusCode}`
    const response = this.#responseFor(answer)
    if (typeof response === 'string') return `${where}: ${response}`
    const hasBody = answer.body !== undefined && answer.body !== '' && answer.method !== 'HEAD'
    if (response.content === undefined) return hasBody ? `${where}: the document says no body, got ${answer.body?.slice(0, 200)}` : undefined
    const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase()
    const media = (mediaType === undefined ? undefined : response.content[mediaType]) ?? response.content['*/*']
    if (media === undefined) return `${where}: Content-Type ${answer.contentType ?? '(none)'} is not one of ${Object.keys(response.content).join(', ')}`
    if (!hasBody || media.schema === undefined) return undefined
    let value: unknown = answer.body
    if (mediaType === 'application/json') {
      try {
        value = JSON.parse(answer.body as string)
      } catch {
        return `${where}: the body is not JSON: ${answer.body?.slice(0, 200)}`
      }
    }
    const validate = this.#validatorOf(media.schema)
    if (validate(value)) return undefined
    return `${where}: ${this.#ajv.errorsText(validate.errors, { dataVar: 'body' })}; body ${answer.body?.slice(0, 300)}`
  }

  #responseFor(answer: Answer): ResponseObject | string {
    if (answer.routeUrl === undefined) {
      const unrouted = this.#document.components?.responses
      const response = answer.statusCode === 404 ? unrouted?.UnknownRoute : answer.statusCode === 400 ? unrouted?.UndecodableUrl : undefined
      return response ?? 'a request no route took can only be 404 (UnknownRoute) or 400 (UndecodableUrl)'
    }
    const path = this.#document.paths[documentPath(answer.routeUrl)]
    if (path === undefined) return 'the document has no such path'
    // Fastify answers HEAD for every GET route; the document lists HEAD only where it is declared.
    const method = answer.method.toLowerCase()
    const operation = path[method] ?? (method === 'head' ? path.get : undefined)
    if (operation === undefined) return `the document has no ${method} operation at this path`
    const response = (answer.ruleShaped === true ? undefined : operation.responses[String(answer.statusCode)]) ?? operation.responses.default
    return response ?? `${operation.operationId ?? 'the operation'} documents no ${answer.statusCode} and no default`
  }

  #validatorOf(schema: object): ValidateFunction {
    let validate = this.#compiled.get(schema)
    if (validate === undefined) this.#compiled.set(schema, (validate = this.#ajv.compile(schema)))
    return validate
  }
}
