import t from 'tap'
import type { ShareTask } from '../../src/domain/tasks/task-store.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { assertGatewayError, assertKooDriveError, REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { adminTask, taskCount } from '../helpers/admin.js'

/** POSTs a body (an object is sent as JSON; a string as it is) with the carrier headers. */
function post({ app, clock }: TestApp, payload: unknown, headers: Record<string, string | undefined> = {}) {
  return app.inject({
    method: 'POST',
    url: TASKS_URL,
    headers: carrierHeaders(clock.now(), headers),
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
}

/** A copy of `body` without `field`. */
function without<T extends object>(body: T, field: keyof T): Partial<T> {
  const copy: Partial<T> = { ...body }
  delete copy[field]
  return copy
}

/** What a created task must record of the request, whatever else (schedule, result) the store adds. */
function recorded(task: ShareTask | undefined) {
  return task && { taskId: task.taskId, ownerId: task.ownerId, request: task.request, createdAtMs: task.createdAtMs }
}

const PARAMETER_INVALID = 13000102
const BAD_REQUEST = 13000101

t.test('the vendor example creates a dump task with a 19-digit task ID', async (t) => {
  const { app, clock } = await startTestApp(t)
  const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: vendorExample })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body), ['code', 'msg', 'taskId'])
  t.equal(body.code, 0)
  t.equal(body.msg, 'Success')
  t.match(body.taskId, /^[1-9]\d{18}$/)
  t.same(recorded(app.emulator.tasks.get(body.taskId)), { taskId: body.taskId, ownerId: 'u1', request: vendorExample, createdAtMs: clock.now() })
})

t.test('a package-download task with a zipName and no kdstoken is created', async (t) => {
  const test = await startTestApp(t)
  const res = await post(test, packageExample)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.taskId, /^[1-9]\d{18}$/)
  t.strictSame(body, { code: 0, msg: 'Success', taskId: body.taskId })
  t.strictSame(recorded(test.app.emulator.tasks.get(body.taskId)), { taskId: body.taskId, ownerId: 'u1', request: packageExample, createdAtMs: test.clock.now() })
})

t.test('a dump task into "root" (the root folder of the space) is created', async (t) => {
  const test = await startTestApp(t)
  const body = { ...vendorExample, targetFileId: { fileId: 'root', containerId: 'IAAmySpace1' } }
  const res = await post(test, body)
  t.equal(res.statusCode, 200)
  t.strictSame(test.app.emulator.tasks.get(res.json().taskId)?.request, body)
})

t.test('a dump task without kdstoken is created: kdstoken is optional', async (t) => {
  const test = await startTestApp(t)
  const res = await post(test, without(vendorExample, 'kdstoken'))
  t.equal(res.statusCode, 200)
  t.equal(res.json().code, 0)
})

t.test('the body rules: each broken rule is 400 13000102 naming the field, and creates no task', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, unknown, string][] = [
    ['rejects a task without taskType', without(vendorExample, 'taskType'), 'taskType is required'],
    ['rejects a task without containerId', without(vendorExample, 'containerId'), 'containerId is required'],
    ['rejects a task without fileIds', without(vendorExample, 'fileIds'), 'fileIds is required'],
    ['rejects a task without shareId', without(vendorExample, 'shareId'), 'shareId is required'],
    ['rejects taskType 3', { ...vendorExample, taskType: 3 }, 'taskType must be one of 1, 2'],
    ['rejects taskType 0', { ...vendorExample, taskType: 0 }, 'taskType must be one of 1, 2'],
    ['rejects taskType "1" as a string: no coercion', { ...packageExample, taskType: '1' }, 'taskType must be an integer'],
    ['rejects taskType 1.5', { ...packageExample, taskType: 1.5 }, 'taskType must be an integer'],
    ['rejects taskType null', { ...packageExample, taskType: null }, 'taskType must be an integer'],
    ['rejects an empty fileIds', { ...vendorExample, fileIds: [] }, 'fileIds must have at least 1 item'],
    ['rejects 1001 fileIds', { ...vendorExample, fileIds: Array.from({ length: 1001 }, (_, i) => `F${i}`) }, 'fileIds must have at most 1000 items'],
    ['rejects fileIds as a string', { ...vendorExample, fileIds: 'F1' }, 'fileIds must be an array'],
    ['rejects an empty file ID', { ...vendorExample, fileIds: ['F1', ''] }, 'fileIds[1] must not be empty'],
    ['rejects a non-string file ID', { ...vendorExample, fileIds: [123] }, 'fileIds[0] must be a string'],
    ['rejects a file ID over 128 characters', { ...vendorExample, fileIds: ['F'.repeat(129)] }, 'fileIds[0] must be at most 128 characters long'],
    ['rejects an empty containerId', { ...vendorExample, containerId: '' }, 'containerId must not be empty'],
    ['rejects a numeric shareId', { ...vendorExample, shareId: 1689765568237837824 }, 'shareId must be a string'],
    ['rejects a dump task without targetFileId', without(vendorExample, 'targetFileId'), 'targetFileId is required when taskType is 2 (dump)'],
    ['rejects a targetFileId without fileId', { ...vendorExample, targetFileId: { containerId: 'IAA1' } }, 'targetFileId.fileId is required'],
    ['rejects a targetFileId without containerId', { ...vendorExample, targetFileId: { fileId: 'root' } }, 'targetFileId.containerId is required'],
    ['rejects an empty targetFileId.fileId', { ...vendorExample, targetFileId: { fileId: '', containerId: 'IAA1' } }, 'targetFileId.fileId must not be empty'],
    ['rejects a targetFileId with an unknown field', { ...vendorExample, targetFileId: { fileId: 'root', containerId: 'IAA1', path: '/' } }, 'targetFileId.path is not a known field'],
    ['rejects a targetFileId that is a string', { ...vendorExample, targetFileId: 'root' }, 'targetFileId must be an object'],
    ['rejects a package-download task without zipName', without(packageExample, 'zipName'), 'zipName is required when taskType is 1 (package download)'],
    ['rejects an empty zipName', { ...packageExample, zipName: '' }, 'zipName must not be empty'],
    ...['.', '..', 'a/b.zip', 'a\\b.zip'].map((zipName): [string, unknown, string] => [
      `rejects the zipName ${JSON.stringify(zipName)}: its download URL would be a dot segment or a path`,
      { ...packageExample, zipName },
      'zipName must be a file name: not . or .., and no / or \\',
    ]),
    ['rejects a zipName over 255 characters', { ...packageExample, zipName: `${'z'.repeat(252)}.zip` }, 'zipName must be at most 255 characters long'],
    ['rejects an empty kdstoken', { ...vendorExample, kdstoken: '' }, 'kdstoken must not be empty'],
    ['rejects an unknown top-level field instead of stripping it', { ...vendorExample, extra: true }, 'extra is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await post(test, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('no rejected request created a task', async (t) => {
    t.equal(await taskCount(test), 0)
  })
})

t.test('the edges of the body rules are accepted', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, unknown][] = [
    ['accepts exactly 1000 fileIds', { ...vendorExample, fileIds: Array.from({ length: 1000 }, (_, i) => `F${i}`) }],
    ['accepts a zipName of exactly 255 characters', { ...packageExample, zipName: `${'z'.repeat(251)}.zip` }],
    ['accepts a one-character zipName', { ...packageExample, zipName: 'z' }],
    ['accepts a zipName of three dots, or dots around a name', { ...packageExample, zipName: '...' }],
    ['accepts a zipName starting with dots', { ...packageExample, zipName: '..zip' }],
    ['accepts a file ID of exactly 128 characters', { ...vendorExample, fileIds: ['F'.repeat(128)] }],
  ]
  for (const [name, body] of cases) {
    t.test(name, async (t) => {
      const res = await post(test, body)
      t.equal(res.statusCode, 200)
      t.strictSame(test.app.emulator.tasks.get(res.json().taskId)?.request, body, 'the task keeps the request as sent')
    })
  }
})

t.test('a body that is not a JSON object is 400 13000101', async (t) => {
  const test = await startTestApp(t)
  const notAnObject = 'Bad request: the request body must be a JSON object'
  const notJson = 'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key'
  const cases: [string, string, Record<string, string | undefined>, string][] = [
    ['rejects a body that is not JSON', '{"taskType": 1,', {}, notJson],
    ['rejects a JSON array', JSON.stringify([vendorExample]), {}, notAnObject],
    ['rejects a JSON string', '"hello"', {}, notAnObject],
    ['rejects JSON null', 'null', {}, notAnObject],
    ['rejects a JSON number', '2', {}, notAnObject],
    ['rejects an empty body sent as application/json', '', {}, 'Bad request: the request body is empty; send a JSON object'],
    ['rejects a body with a __proto__ key', '{"__proto__": {"isAdmin": true}, "taskType": 1}', {}, notJson],
    ['rejects a body with a constructor.prototype key', '{"constructor": {"prototype": {"isAdmin": true}}}', {}, notJson],
    ['rejects a JSON body sent as text/plain', JSON.stringify(packageExample), { 'content-type': 'text/plain' }, 'Bad request: Content-Type must be application/json, got "text/plain"'],
    ['rejects a form body', 'taskType=1', { 'content-type': 'application/x-www-form-urlencoded' }, 'Bad request: Content-Type must be application/json, got "application/x-www-form-urlencoded"'],
    ['rejects a request with no body and no Content-Type', '', { 'content-type': undefined }, notAnObject],
    ['rejects a Content-Length longer than the body', '{}', { 'content-length': '50' }, 'Bad request: Content-Length does not match the body'],
  ]
  for (const [name, payload, headers, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await post(test, payload, headers), BAD_REQUEST, message)
    })
  }
  t.test('accepts application/json with a charset', async (t) => {
    const res = await post(test, packageExample, { 'content-type': 'application/json; charset=utf-8' })
    t.equal(res.statusCode, 200)
  })
  t.test('no rejected request created a task', async (t) => {
    t.equal(await taskCount(test), 1, 'only the charset request')
  })
})

t.test('rejects a JSON body sent with no Content-Type at all with 13000101', async (t) => {
  const test = await startTestApp(t)
  const res = await post(test, packageExample, { 'content-type': undefined })
  t.equal(res.statusCode, 400)
  const body = res.json()
  t.equal(body.code, BAD_REQUEST)
  t.equal(body.msg, 'Bad request: the Content-Type header is missing; send application/json')
})

t.test('a body larger than MOCK_BODY_LIMIT is 413 APIGW.0201', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_BODY_LIMIT: '100' } })
  const body = JSON.stringify({ ...packageExample, zipName: 'z'.repeat(50) })
  t.ok(body.length > 100, 'the body is over the limit')
  assertGatewayError(t, await post(test, body), 413, 'APIGW.0201', 'Request entity too large')
  t.equal(await taskCount(test), 0)
})

t.test('a body of exactly MOCK_BODY_LIMIT bytes is accepted', async (t) => {
  const probe = JSON.stringify(packageExample)
  const test = await startTestApp(t, { env: { MOCK_BODY_LIMIT: String(probe.length) } })
  const res = await post(test, probe)
  t.equal(res.statusCode, 200)
})

t.test('task IDs', async (t) => {
  async function createTaskIds(test: TestApp, count: number): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const res = await post(test, packageExample)
      ids.push(res.json().taskId)
    }
    return ids
  }

  t.test('are 19-digit strings, distinct across many creations', async (t) => {
    const test = await startTestApp(t)
    const ids = await createTaskIds(test, 300)
    t.equal(ids.filter((id) => /^[1-9]\d{18}$/.test(id)).length, 300, 'every ID has 19 digits')
    t.equal(new Set(ids).size, 300, 'no ID repeats')
    t.equal(await taskCount(test), 300)
  })

  t.test('follow MOCK_RANDOM_SEED: the same seed gives the same sequence on two apps', async (t) => {
    const first = await createTaskIds(await startTestApp(t, { env: { MOCK_RANDOM_SEED: '7' } }), 5)
    const second = await createTaskIds(await startTestApp(t, { env: { MOCK_RANDOM_SEED: '7' } }), 5)
    t.strictSame(second, first)
  })

  t.test('a different seed gives different IDs', async (t) => {
    const seven = await createTaskIds(await startTestApp(t, { env: { MOCK_RANDOM_SEED: '7' } }), 5)
    const eight = await createTaskIds(await startTestApp(t, { env: { MOCK_RANDOM_SEED: '8' } }), 5)
    t.equal(eight.filter((id) => seven.includes(id)).length, 0)
  })

  t.test('failed requests in between do not shift the sequence', async (t) => {
    const plain = await createTaskIds(await startTestApp(t), 3)
    const noisy = await startTestApp(t)
    await noisy.app.inject({ method: 'GET', url: '/nope' })
    await post(noisy, {}, { authorization: undefined })
    await post(noisy, { ...packageExample, taskType: 9 })
    t.strictSame(await createTaskIds(noisy, 3), plain)
  })

  t.test('MOCK_MAX_TASKS=3 keeps only the 3 newest tasks', async (t) => {
    const test = await startTestApp(t, { env: { MOCK_MAX_TASKS: '3' } })
    const ids = await createTaskIds(test, 5)
    t.equal(await taskCount(test), 3)
    const kept = []
    for (const id of ids) kept.push((await adminTask(test, id))?.taskId)
    t.strictSame(kept, [undefined, undefined, ids[2], ids[3], ids[4]])
  })
})

t.test('the request log', async (t) => {
  const TRACE_ID = 'a'.repeat(58)
  const requestLines = (test: TestApp) => test.logs.lines.filter((line) => line.msg === 'request')

  t.test('writes one line per request with operation, userId, traceId, statusCode and durationMs', async (t) => {
    const test = await startTestApp(t)
    const created = await post(test, packageExample, { 'x-traceid': TRACE_ID })
    const rejected = await post(test, { ...packageExample, zipName: '' }, { 'x-user-id': 'bob' })
    const lines = requestLines(test)
    t.equal(lines.length, 2)
    t.match(lines[0], {
      level: 30,
      reqId: created.headers['x-request-id'],
      operation: 'createShareTask',
      userId: 'u1',
      traceId: TRACE_ID,
      method: 'POST',
      url: TASKS_URL,
      statusCode: 200,
      durationMs: Number,
    })
    t.match(lines[1], { reqId: rejected.headers['x-request-id'], operation: 'createShareTask', userId: 'bob', statusCode: 400 })
    t.notOk('traceId' in (lines[1] ?? {}), 'no traceId when the client sent none')
    t.ok((lines[0]?.durationMs as number) >= 0)
    t.notOk('body' in (lines[0] ?? {}), 'no body at the default level')
  })

  t.test('logs requests refused by the header checks, and unknown routes as notFound', async (t) => {
    const test = await startTestApp(t)
    await post(test, packageExample, { authorization: undefined })
    await test.app.inject({ method: 'GET', url: '/nowhere' })
    t.match(requestLines(test), [
      { operation: 'createShareTask', statusCode: 401 },
      { operation: 'notFound', statusCode: 404, url: '/nowhere' },
    ])
    t.equal(requestLines(test).length, 2)
  })

  t.test('at LOG_LEVEL=debug the line has the body, kdstoken redacted', async (t) => {
    const test = await startTestApp(t, { env: { LOG_LEVEL: 'debug' } })
    await post(test, vendorExample)
    await post(test, [{ kdstoken: 'secret-in-an-array' }])
    const [object, array] = requestLines(test)
    t.strictSame(object?.body, { ...vendorExample, kdstoken: '[Redacted]' })
    t.strictSame(array?.body, [{ kdstoken: '[Redacted]' }])
    const all = JSON.stringify(test.logs.lines)
    t.notOk(all.includes(vendorExample.kdstoken), 'the kdstoken is in no line')
    t.notOk(all.includes('secret-in-an-array'), 'nor the one inside an array')
  })

  t.test('Authorization never appears in any line', async (t) => {
    const test = await startTestApp(t, { env: { LOG_LEVEL: 'trace' } })
    const signature = 'f'.repeat(64)
    await post(test, vendorExample, { authorization: 'Bearer sekrit-bearer-token' })
    await post(test, vendorExample, { authorization: `HMAC-SHA256 AppId=app7,SignedHeaders=host;x-date;x-user-id,Signature=${signature}` })
    await post(test, vendorExample, { authorization: 'Basic c2Vrcml0' })
    await post(test, '{', { authorization: 'Bearer sekrit-bearer-token' })
    t.equal(requestLines(test).length, 4)
    const all = JSON.stringify(test.logs.lines)
    for (const secret of ['sekrit', signature, 'c2Vrcml0', 'app7']) t.notOk(all.includes(secret), `"${secret}" is in no line`)
    t.notMatch(all, /authorization/i)
  })

  t.test('every response carries a 32-hex X-Request-Id, distinct per request', async (t) => {
    const test = await startTestApp(t)
    const responses = [
      await post(test, packageExample),
      await post(test, { taskType: 1 }),
      await post(test, packageExample, { authorization: undefined }),
      await test.app.inject({ method: 'GET', url: '/' }),
    ]
    const ids = responses.map((res) => res.headers['x-request-id'])
    for (const id of ids) t.match(id, REQUEST_ID_PATTERN)
    t.equal(new Set(ids).size, ids.length)
  })
})
