import t from 'tap'
import { fieldPath as fieldName } from '../../src/support/json-path.js'

t.test('fieldName turns a JSON pointer into the name a client writes', async (t) => {
  t.equal(fieldName(''), '', 'the root has no name')
  t.equal(fieldName('/taskType'), 'taskType')
  t.equal(fieldName('/targetFileId/fileId'), 'targetFileId.fileId', 'nested objects are dotted')
  t.equal(fieldName('/fileIds/3'), 'fileIds[3]', 'array items are indexed')
  t.equal(fieldName('/a/0/b/12'), 'a[0].b[12]', 'indexes and names mix')
  t.equal(fieldName('', 'taskType'), 'taskType', 'a child of the root is just its name')
  t.equal(fieldName('/targetFileId', 'fileId'), 'targetFileId.fileId', 'a child is appended with a dot')
})

t.test('fieldName shows a numeric property name as a property, not an array index', async (t) => {
  // Ajv hands property names (missingProperty, additionalProperty) as `child`: never an array index.
  t.equal(fieldName('', '123'), '123', 'an unknown top-level field "123"')
  t.equal(fieldName('/targetFileId', '7'), 'targetFileId.7', 'a numeric property of an object')
})

t.test('a child that is not a plain name is quoted', async (t) => {
  t.equal(fieldName('', ''), '""', 'the empty key')
  t.equal(fieldName('/a', 'two words'), 'a."two words"')
})
