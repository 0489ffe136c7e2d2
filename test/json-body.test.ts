import t from 'tap'
import { illFormedField, MAX_BODY_DEPTH, nestsDeeperThan } from '../src/json-body.js'
import { startTestApp } from './helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL, vendorExample } from './helpers/requests.js'
import { assertKooDriveError } from './helpers/envelopes.js'
import { taskCount } from './helpers/admin.js'

t.test('nestsDeeperThan reads the depth off the text, strings skipped', async (t) => {
  t.equal(nestsDeeperThan('{}', 1), false)
  t.equal(nestsDeeperThan('{"a":[]}', 1), true)
  t.equal(nestsDeeperThan('{"a":[]}', 2), false)
  t.equal(nestsDeeperThan('[[],[],[[]]]', 2), true)
  t.equal(nestsDeeperThan('[[],[],[]]', 2), false, 'siblings do not add up')
  t.equal(nestsDeeperThan('{"a":"[[[[[[["}', 1), false, 'brackets in a string')
  t.equal(nestsDeeperThan('{"a":"\\\\","b":"[["}', 1), false, 'an escaped backslash ends before the quote')
  t.equal(nestsDeeperThan('{"a":"\\"[[[["}', 1), false, 'an escaped quote does not end the string')
  t.equal(nestsDeeperThan('1', 0), false)
  t.equal(nestsDeeperThan('{"a":[{}]}', 3), false, 'no more openers than the depth: not walked')
  t.equal(nestsDeeperThan('{"a":[{}]}', 2), true)
  t.equal(nestsDeeperThan('[{},{},{},{}]', 2), false, 'more openers than the depth, side by side')
  t.equal(MAX_BODY_DEPTH, 32)
})

t.test('illFormedField names the first string that is not well-formed Unicode', async (t) => {
  t.equal(illFormedField({ zipName: 'a.zip', fileIds: ['F1'] }), undefined)
  t.equal(illFormedField({ zipName: '\ud800.zip' }), 'zipName')
  t.equal(illFormedField({ fileIds: ['F1', 'x\udfff'] }), 'fileIds[1]')
  t.equal(illFormedField({ targetFileId: { fileId: 'ok', containerId: '\udc00' } }), 'targetFileId.containerId')
  t.equal(illFormedField({ ['k\ud800']: 1 }), 'the key "k\\ud800"')
  t.equal(illFormedField({ a: { ['\ud83d']: 1 } }), 'the key a."\\ud83d"')
  t.equal(illFormedField('\ud800'), 'body')
  t.equal(illFormedField({ ok: 'a pair is fine: 😀 \ud83d\ude00' }), undefined)
  t.equal(illFormedField({ a: 1, b: null, c: true, d: [[['\ud800']]] }), 'd[0][0][0]')
  t.equal(illFormedField({ first: '\ud800', second: '\ud800' }), 'first', 'the first in document order')
})

t.test('a lone surrogate anywhere in a body is refused with 13000102 naming the field, and nothing is made', async (t) => {
  const test = await startTestApp(t)
  const post = (text: string) => test.app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(test.clock.now()), payload: text })
  const cases: [string, string][] = [
    [JSON.stringify(packageExample).replace('"holiday.zip"', '"\\ud800.zip"'), 'zipName'],
    [JSON.stringify({ ...packageExample, fileIds: ['Fa', 'Fb'] }).replace('"Fb"', '"F\\uDFFFb"'), 'fileIds[1]'],
    [JSON.stringify(vendorExample).replace('"FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob"', '"\\ud83d"'), 'targetFileId.fileId'],
    [JSON.stringify(packageExample).replace('"zipName"', '"zip\\ud800"'), 'the key "zip\\ud800"'],
  ]
  for (const [body, field] of cases) {
    assertKooDriveError(t, await post(body), 13000102, `Parameter invalid: ${field} is not well-formed Unicode (it holds a lone surrogate)`)
  }
  const pair = await post(JSON.stringify(packageExample).replace('"holiday.zip"', '"\\ud83d\\ude00.zip"'))
  t.equal(pair.statusCode, 200, 'an escaped surrogate pair is a character like any other')
  t.equal(await taskCount(test), 1, 'only the well-formed request made a task')
  const world = await test.app.inject({ method: 'GET', url: '/__admin/tasks' })
  t.equal(world.statusCode, 200, 'the admin view of every task answers')
})

t.test('the admin API refuses a world or a fault rule with a lone surrogate, naming the field', async (t) => {
  const test = await startTestApp(t)
  const put = await test.app.inject({
    method: 'PUT',
    url: '/__admin/world',
    headers: { 'content-type': 'application/json' },
    payload: '{"users":[{"userId":"u","name":"\\ud800","tokens":[]}],"spaces":[],"files":[],"shares":[]}',
  })
  assertKooDriveError(t, put, 13000102, 'Parameter invalid: users[0].name is not well-formed Unicode (it holds a lone surrogate)')
  const rule = await test.app.inject({ method: 'POST', url: '/__admin/faults', headers: { 'content-type': 'application/json' }, payload: '{"error":13000201,"message":"\\udc00"}' })
  assertKooDriveError(t, rule, 13000102, 'Parameter invalid: message is not well-formed Unicode (it holds a lone surrogate)')
  t.equal((await test.app.inject({ method: 'GET', url: '/__admin/faults' })).json().rules.length, 0)
})

t.test('admin calls that take no body accept an empty one sent as application/json', async (t) => {
  const test = await startTestApp(t)
  const json = { 'content-type': 'application/json' }
  for (const [method, url] of [['DELETE', '/__admin/faults'], ['POST', '/__admin/reset'], ['DELETE', '/__admin/requests'], ['GET', '/__admin/ready']] as const) {
    const res = await test.app.inject({ method, url, headers: json, payload: '' })
    t.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`)
  }
  const withBody = await test.app.inject({ method: 'POST', url: '/__admin/clock', headers: json, payload: '' })
  assertKooDriveError(t, withBody, 13000101, 'Bad request: the request body is empty; send a JSON object')
})
