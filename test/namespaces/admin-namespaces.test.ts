import t from 'tap'
import { startMockServer } from '../../src/index.js'
import { startTestApp } from '../helpers/app.js'
import { packageExample, postApi, TASKS_URL } from '../helpers/requests.js'

t.test('GET /__admin/namespaces lists every namespace with its counts, default first', async (t) => {
  const { app, clock } = await startTestApp(t, { env: { MOCK_MAX_NAMESPACES: '50' } })
  const first = (await app.inject({ method: 'GET', url: '/__admin/namespaces' })).json() as { namespaces: { createdAt: string; lastUsedAt: string }[] }
  const [{ createdAt, lastUsedAt }] = first.namespaces as [{ createdAt: string; lastUsedAt: string }]
  t.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'real time, ISO-8601 (a namespace\'s own clock may have moved)')
  t.same(first, {
    max: 50,
    namespaces: [{ name: 'default', createdAt, lastUsedAt, tasks: 0, requests: 0, faultRules: 0, files: app.emulator.world.files.size, clockOffsetMs: 0 }],
  })
  await postApi({ app, clock }, TASKS_URL, packageExample, { 'x-mock-namespace': 'zeta' })
  await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'x-mock-namespace': 'alpha', 'content-type': 'application/json' }, payload: '{"advanceMs":1000}' })
  await app.inject({ method: 'POST', url: '/__admin/faults', headers: { 'x-mock-namespace': 'alpha', 'content-type': 'application/json' }, payload: '{"operation":"cancelJob","error":13000007}' })
  const listed = (await app.inject({ method: 'GET', url: '/__admin/namespaces' })).json() as { namespaces: Record<string, unknown>[] }
  t.same(
    listed.namespaces.map(({ name, tasks, requests, faultRules, clockOffsetMs }) => ({ name, tasks, requests, faultRules, clockOffsetMs })),
    [
      { name: 'default', tasks: 0, requests: 0, faultRules: 0, clockOffsetMs: 0 },
      { name: 'alpha', tasks: 0, requests: 0, faultRules: 1, clockOffsetMs: 1000 },
      { name: 'zeta', tasks: 1, requests: 1, faultRules: 0, clockOffsetMs: 0 },
    ],
  )
  for (const entry of listed.namespaces) {
    t.ok(Date.parse(entry.createdAt as string) <= Date.parse(entry.lastUsedAt as string), `${String(entry.name)}: created no later than last used`)
  }
})

t.test('DELETE /__admin/namespaces/:name drops one; default is made afresh; unknown is 13000309; a bad name is 13000102', async (t) => {
  const { app, clock } = await startTestApp(t)
  await postApi({ app, clock }, TASKS_URL, packageExample, { 'x-mock-namespace': 'gone' })
  await postApi({ app, clock }, TASKS_URL, packageExample)
  const dropped = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/gone' })
  t.same([dropped.statusCode, dropped.json()], [200, { dropped: 'gone', namespaces: 1 }])
  t.equal(app.namespaces.find('gone'), undefined)
  const again = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/gone' })
  t.same([again.statusCode, again.json()], [400, { code: 13000309, msg: 'Resource not found: no namespace gone' }])
  t.equal(app.emulator.tasks.size, 1)
  const reset = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/default' })
  t.same(reset.json(), { dropped: 'default', namespaces: 1 })
  t.equal(app.emulator.tasks.size, 0, 'default starts afresh')
  const bad = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/a%20b' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: 13000102, msg: /name/ })
})

t.test('a CORS preflight lets a page send X-Mock-Namespace (one namespace per browser tab)', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({
    method: 'OPTIONS',
    url: TASKS_URL,
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-user-id,x-date,x-mock-namespace' },
  })
  t.equal(res.statusCode, 204)
  t.match(String(res.headers['access-control-allow-headers']).toLowerCase(), 'x-mock-namespace')
})

t.test('the log line names a namespace that is not default', async (t) => {
  const { app, clock, logs } = await startTestApp(t, { env: { LOG_LEVEL: 'info' } })
  await postApi({ app, clock }, TASKS_URL, packageExample, { 'x-mock-namespace': 'w7' })
  await postApi({ app, clock }, TASKS_URL, packageExample)
  const lines = logs.lines.filter((line) => line.operation === 'createShareTask')
  t.same(lines.map((line) => line.namespace), ['w7', undefined])
})

t.test('the admin client over a real socket: namespace(name) acts there; namespaces.list and drop', async (t) => {
  const mock = await startMockServer({ namespace: 'suite-a' })
  t.teardown(() => mock.close())
  t.equal(mock.namespace, 'suite-a')
  await mock.admin.clock.advance(5_000)
  t.equal((await mock.admin.namespace('suite-b').clock.get()).offsetMs, 0, 'suite-b has its own clock')
  t.same((await mock.admin.namespaces.list()).map((namespace) => [namespace.name, namespace.clockOffsetMs]), [['default', 0], ['suite-a', 5_000], ['suite-b', 0]])
  await mock.admin.namespaces.drop('suite-b')
  t.same((await mock.admin.namespaces.list()).map((namespace) => namespace.name), ['default', 'suite-a'])
  t.equal(mock.app.journal.size, 0, "default's journal (app.journal) saw none of it")
  t.equal(mock.app.faults.size, 0, "nor did default's fault rules (app.faults)")
})
