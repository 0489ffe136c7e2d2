import type { FastifySchemaValidationError } from 'fastify'
import { FILE_NAME_PATTERN } from '../../schemas/share-tasks.js'
import { badRequest, parameterInvalid, type KooDriveError } from '../domain/errors.js'
import { fieldPath as fieldName } from '../support/json-path.js'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const typeNames: Record<string, string> = {
  integer: 'an integer',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  boolean: 'a boolean',
  number: 'a number',
}

/** One Ajv error as a sentence that names the field at fault and the rule it broke. */
export function describeValidationError(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>
  const field = fieldName(error.instancePath)
  switch (error.keyword) {
    case 'required':
      return `${fieldName(error.instancePath, params.missingProperty as string)} is required`
    case 'additionalProperties':
      return `${fieldName(error.instancePath, params.additionalProperty as string)} is not a known field`
    case 'type':
      return `${field} must be ${typeNames[params.type as string] ?? String(params.type)}`
    case 'enum':
      return `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`
    case 'minItems':
      return `${field} must have at least ${plural(params.limit as number, 'item')}`
    case 'maxItems':
      return `${field} must have at most ${plural(params.limit as number, 'item')}`
    case 'minLength':
      return params.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${plural(params.limit as number, 'character')} long`
    case 'maxLength':
      return `${field} must be at most ${plural(params.limit as number, 'character')} long`
    case 'pattern':
      // The file-name rule reads better in words than as its regular expression; any other pattern falls through to Ajv's words.
      if (params.pattern === FILE_NAME_PATTERN) return `${field} must be a file name: not . or .., and no / or \\`
    // falls through
    default:
      return `${field} ${error.message ?? 'is invalid'}`
  }
}

/**
 * Fastify's `schemaErrorFormatter`: the first broken rule becomes the vendor's 13000102, except a
 * body that is not a JSON object at all, which is a malformed request (13000101).
 */
export function validationErrorToKooDrive(errors: FastifySchemaValidationError[], dataVar: string): KooDriveError {
  const first = errors[0] as FastifySchemaValidationError
  if (dataVar === 'body' && first.instancePath === '' && first.keyword === 'type') {
    return badRequest('the request body must be a JSON object')
  }
  return parameterInvalid(describeValidationError(first))
}
