import t from 'tap'
import type { App } from '../../src/app.js'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { startTestApp } from '../helpers/app.js'
import { packageExample, pathAndQuery, TASK_DETAIL_URL, TASKS_URL, vendorExample as vendorDump } from '../helpers/requests.js'

const NS = 'x-mock-namespace'

/** A KooDrive call as ann, in `namespace` (none: default), signed by that namespace's clock. */
async function kooDrive(app: App, namespace: string | undefined, url: string, body: unknown) {
  const clock = namespace === undefined ? app.clock : (app.namespaces.find(namespace)?.clock ?? app.clock)
  return app.inject({
    method: 'POST',
    url,
    headers: {
      authorization: 'Bearer ann-token',
      'x-user-id': 'ann',
      'x-hw-agentname': 'ns-test',
      'x-date': formatXDate(clock.now()),
      'content-type': 'application/json',
      ...(namespace === undefined ? {} : { [NS]: namespace }),
    },
    payload: JSON.stringify(body),
  })
}

async function admin(app: App, namespace: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  return app.inject({
    method,
    url,
    headers: { ...(namespace === undefined ? {} : { [NS]: namespace }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  })
}

t.test('a task made in one namespace is seen in it only; its journal, reset and clock are its own', async (t) => {
  const { app } = await startTestApp(t)
  const created = await kooDrive(app, 'alpha', TASKS_URL, packageExample)
  t.equal(created.statusCode, 200)
  const { taskId } = created.json() as { taskId: string }

  t.equal((await kooDrive(app, 'alpha', TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })).statusCode, 200, 'alpha sees its task')
  const notFound = { code: 13000309, msg: `Resource not found: no task ${taskId} (taskId) for user ann` }
  t.same((await kooDrive(app, 'beta', TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })).json(), notFound, 'beta does not')
  t.same((await kooDrive(app, undefined, TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })).json(), notFound, 'nor does default')

  const tasksOf = async (namespace: string | undefined) => ((await admin(app, namespace, 'GET', '/__admin/tasks')).json() as { total: number }).total
  t.same([await tasksOf('alpha'), await tasksOf('beta'), await tasksOf(undefined)], [1, 0, 0])
  const journalOf = async (namespace: string | undefined) =>
    ((await admin(app, namespace, 'GET', '/__admin/requests')).json() as { requests: { operation: string }[] }).requests.map((entry) => entry.operation)
  t.same(await journalOf('alpha'), ['getShareTaskDetail', 'createShareTask'], 'newest first')
  t.same(await journalOf('beta'), ['getShareTaskDetail'])
  t.same(await journalOf(undefined), ['getShareTaskDetail'])

  const moved = await admin(app, 'alpha', 'POST', '/__admin/clock', { advanceMs: 60_000 })
  t.equal((moved.json() as { offsetMs: number }).offsetMs, 60_000)
  t.equal(((await admin(app, 'beta', 'GET', '/__admin/clock')).json() as { offsetMs: number }).offsetMs, 0, "beta's clock did not move")
  t.equal(app.clock.offsetMs, 0, "nor default's")

  t.equal((await admin(app, 'beta', 'POST', '/__admin/reset')).statusCode, 200)
  t.equal(await tasksOf('alpha'), 1, "beta's reset left alpha's task")
  t.same(await journalOf('alpha'), ['getShareTaskDetail', 'createShareTask'], "and alpha's journal")
  t.equal((await admin(app, 'alpha', 'POST', '/__admin/reset')).statusCode, 200)
  t.equal(await tasksOf('alpha'), 0)
})

t.test('fault rules: MOCK_FAULTS in every namespace, each with its own counters; a namespace\'s own rules after them and its own', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify([{ id: 'first-create', operation: 'createShareTask', error: 13000007, times: 1 }]) } })
  for (const namespace of ['alpha', 'beta']) {
    t.equal((await kooDrive(app, namespace, TASKS_URL, packageExample)).json().code, 13000007, `${namespace}'s first create meets the configured rule`)
    t.equal((await kooDrive(app, namespace, TASKS_URL, packageExample)).statusCode, 200, `${namespace}'s second does not (times: 1, counted in ${namespace})`)
  }
  t.equal((await admin(app, 'alpha', 'POST', '/__admin/faults', { id: 'alpha-only', operation: 'createShareTask', error: 13000010 })).statusCode, 201)
  const rulesOf = async (namespace: string) => ((await admin(app, namespace, 'GET', '/__admin/faults')).json() as { rules: { id: string; fired: number }[] }).rules
  t.same((await rulesOf('alpha')).map((rule) => [rule.id, rule.fired]), [['first-create', 1], ['alpha-only', 0]], 'configured first, its own after')
  t.same((await rulesOf('beta')).map((rule) => [rule.id, rule.fired]), [['first-create', 1]])
  t.equal((await kooDrive(app, 'alpha', TASKS_URL, packageExample)).json().code, 13000010, 'alpha meets its own rule')
  t.equal((await kooDrive(app, 'beta', TASKS_URL, packageExample)).statusCode, 200, 'beta does not')
  t.equal((await kooDrive(app, undefined, TASKS_URL, packageExample)).json().code, 13000007, 'default still has its configured rule unspent')
})

t.test('a world put into one namespace is that namespace\'s, and what its reset goes back to', async (t) => {
  const { app } = await startTestApp(t)
  const filesOf = async (namespace: string | undefined) => ((await admin(app, namespace, 'GET', '/__admin/ready')).json() as { world: { files: number } }).world.files
  const seeded = await filesOf(undefined)
  // One user, no shares: the smallest world that is still valid.
  const smaller = { users: [{ userId: 'solo', name: 'Solo', tokens: ['solo-token'] }], spaces: [], files: [], shares: [] }
  const put = await admin(app, 'alpha', 'PUT', '/__admin/world', smaller)
  t.equal(put.statusCode, 200, put.body)
  t.equal(await filesOf('alpha'), 0)
  t.equal(await filesOf(undefined), seeded)
  t.equal(await filesOf('beta'), seeded, 'a new namespace starts from the configured seed')
  await admin(app, 'alpha', 'POST', '/__admin/reset')
  t.equal(await filesOf('alpha'), 0)
})

t.test('a bad namespace name is refused naming where it came from, and makes nothing', async (t) => {
  const { app } = await startTestApp(t)
  const before = app.namespaces.size
  for (const [name, where] of [
    ['', 'X-Mock-Namespace'],
    ['a'.repeat(65), 'X-Mock-Namespace'],
    ['has space', 'X-Mock-Namespace'],
    ['slash/es', 'X-Mock-Namespace'],
    ['ünïcode', 'X-Mock-Namespace'],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: { [NS]: name, 'content-type': 'application/json' }, payload: JSON.stringify(packageExample) })
    t.equal(res.statusCode, 400, JSON.stringify(name))
    const body = res.json() as { code: number; msg: string }
    t.equal(body.code, 13000102)
    t.match(body.msg, `${where} must be 1 to 64 of A-Z a-z 0-9 . _ -`)
    t.ok(res.headers['x-request-id'], 'the refusal carries a request ID')
  }
  const query = await app.inject({ method: 'GET', url: '/__admin/tasks?namespace=bad%20name' })
  t.equal(query.statusCode, 400)
  t.match((query.json() as { msg: string }).msg, /^Parameter invalid: the namespace query parameter must be 1 to 64/)
  t.equal(app.namespaces.size, before, 'no namespace was made')
  t.equal(app.emulator.tasks.size, 0)
})

t.test('?namespace= picks the namespace on admin routes (a browser tab, curl); the header wins over it', async (t) => {
  const { app } = await startTestApp(t)
  await kooDrive(app, 'tab-1', TASKS_URL, packageExample)
  t.equal(((await app.inject({ method: 'GET', url: '/__admin/tasks?namespace=tab-1' })).json() as { total: number }).total, 1)
  t.equal(((await app.inject({ method: 'GET', url: '/__admin/tasks?namespace=tab-1', headers: { [NS]: 'tab-2' } })).json() as { total: number }).total, 0)
  t.equal(((await app.inject({ method: 'GET', url: '/__admin/tasks?limit=5&namespace=tab%2D1' })).json() as { total: number }).total, 1, 'percent-encoded, after another parameter')
  const ignored = await app.inject({ method: 'GET', url: `/koodrive/ose/v1/share/userInfo?shortUrl=x&namespace=tab-1` })
  t.not(ignored.statusCode, 200, 'a KooDrive route keeps the vendor\'s query: namespace= there is an unknown parameter, not a namespace')
  t.notOk(app.namespaces.find('tab-2')?.journal.size, 'tab-2 journaled nothing (admin calls are not journaled)')
})

t.test('download URLs name their namespace, signed: they work there, and nowhere else', async (t) => {
  const { app, clock } = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0', MOCK_TASK_START_DELAY_MS: '0' } })
  const { taskId } = (await kooDrive(app, 'alpha', TASKS_URL, packageExample)).json() as { taskId: string }
  clock.advance(1000)
  app.namespaces.find('alpha')?.clock.advance(1000)
  const detail = (await kooDrive(app, 'alpha', TASK_DETAIL_URL, { taskId, shareId: packageExample.shareId })).json() as { jobInfo: { downloadUrl: string } }
  const url = new URL(detail.jobInfo.downloadUrl)
  t.equal(url.searchParams.get('namespace'), 'alpha')
  const got = await app.inject({ method: 'GET', url: pathAndQuery(url.href) })
  t.equal(got.statusCode, 200, 'the URL as given')
  t.equal(got.headers['content-type'], 'application/zip')

  const withoutNamespace = new URL(url.href)
  withoutNamespace.searchParams.delete('namespace')
  const inDefault = await app.inject({ method: 'GET', url: pathAndQuery(withoutNamespace.href) })
  t.equal(inDefault.statusCode, 403, 'without its namespace it is default\'s, and default never signed it')
  t.match(inDefault.body, '<Code>SignatureDoesNotMatch</Code>')
  const moved = new URL(url.href)
  moved.searchParams.set('namespace', 'beta')
  t.equal((await app.inject({ method: 'GET', url: pathAndQuery(moved.href) })).statusCode, 403, 'nor in another namespace')
  const byHeader = await app.inject({ method: 'GET', url: pathAndQuery(withoutNamespace.href), headers: { [NS]: 'alpha' } })
  t.equal(byHeader.statusCode, 200, 'the signature binds the URL to its namespace, however the request names it (a proxy may move it into the header)')
})

t.test("a dump in one namespace copies into that namespace's world only; the others keep reading the seed's", async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0', MOCK_TASK_START_DELAY_MS: '0' } })
  const before = app.emulator.world.spaces.get(vendorDump.targetFileId.containerId)?.usedBytes
  t.equal((await kooDrive(app, 'alpha', TASKS_URL, vendorDump)).statusCode, 200)
  await admin(app, 'alpha', 'POST', '/__admin/clock', { advanceMs: 1000 })
  const usedIn = async (namespace: string | undefined) =>
    ((await admin(app, namespace, 'GET', '/__admin/world')).json() as { files: { copiedFromId?: string }[] }).files.filter((file) => file.copiedFromId !== undefined).length
  t.equal(await usedIn('alpha'), 1, 'alpha has the copy')
  t.equal(await usedIn(undefined), 0, 'default does not')
  t.equal(await usedIn('beta'), 0, 'nor does a namespace made after it')
  t.equal(app.emulator.world.spaces.get(vendorDump.targetFileId.containerId)?.usedBytes, before, "default's space is not charged")
  t.equal(app.emulator.world.isShared, true, "default still reads the seed's world")
  t.equal(app.namespaces.find('alpha')?.emulator.world.isShared, false)
})

t.test('strict mode: a token issued in one namespace, and its sliding life, are that namespace\'s', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const issued = await admin(app, 'alpha', 'POST', '/__admin/tokens', { userId: 'ann' })
  t.equal(issued.statusCode, 201)
  const { token } = issued.json() as { token: string }
  const call = (namespace: string) =>
    app.inject({
      method: 'POST',
      url: TASK_DETAIL_URL,
      headers: { authorization: `Bearer ${token}`, 'x-user-id': 'ann', 'x-hw-agentname': 'ns-test', 'x-date': formatXDate(app.clock.now()), 'content-type': 'application/json', [NS]: namespace },
      payload: JSON.stringify({ taskId: '1000000000000000001', shareId: packageExample.shareId }),
    })
  t.equal((await call('alpha')).json().code, 13000309, 'alpha knows the token (the task is unknown, the caller is not)')
  t.match((await call('beta')).json(), { error_code: 'APIGW.0301' }, 'beta does not')
  await admin(app, 'beta', 'POST', '/__admin/clock', { advanceMs: 30 * 60_000 })
  const seeded = await app.inject({
    method: 'POST',
    url: TASK_DETAIL_URL,
    headers: { authorization: 'Bearer ann-token', 'x-user-id': 'ann', 'x-hw-agentname': 'ns-test', 'x-date': formatXDate(app.clock.now()), 'content-type': 'application/json' },
    payload: JSON.stringify({ taskId: '1000000000000000001', shareId: packageExample.shareId }),
  })
  t.equal(seeded.json().code, 13000309, "beta's clock jump expired nothing in default")
})
