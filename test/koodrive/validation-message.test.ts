import type { FastifySchemaValidationError } from 'fastify'
import t from 'tap'
import { KooDriveError } from '../../src/domain/errors.js'
import { kooDriveStatus } from '../../src/koodrive/errors.js'
import { describeValidationError, validationErrorToKooDrive } from '../../src/koodrive/validation-message.js'

/** An Ajv error as Fastify hands it to the schemaErrorFormatter. */
function ajvError(keyword: string, instancePath: string, params: Record<string, unknown>, message?: string): FastifySchemaValidationError {
  const error: FastifySchemaValidationError = { keyword, instancePath, schemaPath: `#/${keyword}`, params }
  if (message !== undefined) error.message = message
  return error
}

t.test('describeValidationError names the field and the rule for every keyword', async (t) => {
  const cases: [string, FastifySchemaValidationError, string][] = [
    ['required at the root', ajvError('required', '', { missingProperty: 'shareId' }), 'shareId is required'],
    ['required nested', ajvError('required', '/targetFileId', { missingProperty: 'fileId' }), 'targetFileId.fileId is required'],
    ['additionalProperties', ajvError('additionalProperties', '', { additionalProperty: 'extra' }), 'extra is not a known field'],
    ['additionalProperties nested', ajvError('additionalProperties', '/targetFileId', { additionalProperty: 'path' }), 'targetFileId.path is not a known field'],
    ['type integer', ajvError('type', '/taskType', { type: 'integer' }), 'taskType must be an integer'],
    ['type string in an array', ajvError('type', '/fileIds/2', { type: 'string' }), 'fileIds[2] must be a string'],
    ['type array', ajvError('type', '/fileIds', { type: 'array' }), 'fileIds must be an array'],
    ['type object', ajvError('type', '/targetFileId', { type: 'object' }), 'targetFileId must be an object'],
    ['type boolean', ajvError('type', '/flag', { type: 'boolean' }), 'flag must be a boolean'],
    ['type number', ajvError('type', '/size', { type: 'number' }), 'size must be a number'],
    ['type with no article known', ajvError('type', '/x', { type: 'null' }), 'x must be null'],
    ['type with several types', ajvError('type', '/x', { type: ['string', 'null'] }), 'x must be string,null'],
    ['enum', ajvError('enum', '/taskType', { allowedValues: [1, 2] }), 'taskType must be one of 1, 2'],
    ['minItems of 1', ajvError('minItems', '/fileIds', { limit: 1 }), 'fileIds must have at least 1 item'],
    ['minItems of 2', ajvError('minItems', '/fileIds', { limit: 2 }), 'fileIds must have at least 2 items'],
    ['maxItems of 1000', ajvError('maxItems', '/fileIds', { limit: 1000 }), 'fileIds must have at most 1000 items'],
    ['maxItems of 1', ajvError('maxItems', '/fileIds', { limit: 1 }), 'fileIds must have at most 1 item'],
    ['minLength of 1', ajvError('minLength', '/zipName', { limit: 1 }), 'zipName must not be empty'],
    ['minLength above 1', ajvError('minLength', '/zipName', { limit: 3 }), 'zipName must be at least 3 characters long'],
    ['maxLength', ajvError('maxLength', '/zipName', { limit: 255 }), 'zipName must be at most 255 characters long'],
    ['maxLength of 1', ajvError('maxLength', '/code', { limit: 1 }), 'code must be at most 1 character long'],
    ['another keyword, with Ajv\'s message', ajvError('pattern', '/taskId', { pattern: '^\\d+$' }, 'must match pattern "^\\d+$"'), 'taskId must match pattern "^\\d+$"'],
    ['another keyword, without a message', ajvError('format', '/when', { format: 'date-time' }), 'when is invalid'],
  ]
  for (const [label, error, expected] of cases) t.equal(describeValidationError(error), expected, label)
})

t.test('validationErrorToKooDrive makes the first broken rule a 13000102 that names the field', async (t) => {
  const error = validationErrorToKooDrive(
    [ajvError('required', '', { missingProperty: 'taskType' }), ajvError('required', '', { missingProperty: 'shareId' })],
    'body',
  )
  t.type(error, KooDriveError)
  t.equal(error.code, 13000102)
  t.equal(kooDriveStatus(error.code), 400)
  t.equal(error.message, 'Parameter invalid: taskType is required', 'only the first error is reported')
})

t.test('validationErrorToKooDrive makes a body that is not a JSON object a 13000101', async (t) => {
  const error = validationErrorToKooDrive([ajvError('type', '', { type: 'object' })], 'body')
  t.equal(error.code, 13000101)
  t.equal(kooDriveStatus(error.code), 400)
  t.equal(error.message, 'Bad request: the request body must be a JSON object')
})

t.test('validationErrorToKooDrive keeps 13000102 for a type error below the root of the body', async (t) => {
  const error = validationErrorToKooDrive([ajvError('type', '/taskType', { type: 'integer' })], 'body')
  t.equal(error.code, 13000102)
  t.equal(error.message, 'Parameter invalid: taskType must be an integer')
})

t.test('validationErrorToKooDrive keeps 13000102 for another rule broken at the root of the body', async (t) => {
  const error = validationErrorToKooDrive([ajvError('required', '', { missingProperty: 'fileIds' })], 'body')
  t.equal(error.code, 13000102)
  t.equal(error.message, 'Parameter invalid: fileIds is required')
})

t.test('validationErrorToKooDrive keeps 13000102 for a root type error outside the body', async (t) => {
  const error = validationErrorToKooDrive([ajvError('type', '', { type: 'object' })], 'querystring')
  t.equal(error.code, 13000102)
  t.match(error.message, /^Parameter invalid: .*must be an object$/)
})
