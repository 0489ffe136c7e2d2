import t from 'tap'
import type { JournalOperation } from '../../src/testing/admin-client.js'
import { startTestApp } from '../helpers/app.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { carrierHeaders, packageExample, TASKS_URL } from '../helpers/requests.js'

const create = (test: Awaited<ReturnType<typeof startTestApp>>) =>
  test.app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(test.clock.now()), payload: packageExample })

t.test('a count with atLeast answers as soon as that many match, not before', async (t) => {
  const test = await startTestApp(t)
  await create(test)
  let answered = false
  const waiting = test.app.inject({ method: 'GET', url: '/__admin/requests/count?operation=createShareTask&atLeast=3&timeoutMs=60000' }).then((res) => {
    answered = true
    return res
  })
  await create(test)
  await test.app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/userInfo?shortUrl=1', headers: carrierHeaders(test.clock.now()) })
  await new Promise((resolve) => setImmediate(resolve))
  t.notOk(answered, 'two creates and a userInfo: still waiting for a third create')
  await create(test)
  const res = await waiting
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { count: 3 })
})

t.test('a count already reached answers at once; timeoutMs 0 answers the count so far', async (t) => {
  const test = await startTestApp(t)
  await create(test)
  t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/requests/count?atLeast=1' })).json(), { count: 1 })
  t.strictSame((await test.app.inject({ method: 'GET', url: '/__admin/requests/count?atLeast=5&timeoutMs=0' })).json(), { count: 1 })
})

t.test('closing the server answers a waiting count with the count so far', async (t) => {
  const test = await startTestApp(t)
  await create(test)
  const waiting = test.app.inject({ method: 'GET', url: '/__admin/requests/count?atLeast=10&timeoutMs=60000' })
  await new Promise((resolve) => setImmediate(resolve))
  await test.app.close()
  t.strictSame((await waiting).json(), { count: 1 })
})

t.test('the wait ends at timeoutMs with the count so far', async (t) => {
  const test = await startTestApp(t)
  await create(test)
  const res = await test.app.inject({ method: 'GET', url: '/__admin/requests/count?atLeast=2&timeoutMs=30' })
  t.strictSame(res.json(), { count: 1 })
})

t.test('a wait is bounded, and goes with atLeast; an unknown operation is refused, naming the ones there are', async (t) => {
  const test = await startTestApp(t)
  assertKooDriveError(t, await test.app.inject({ method: 'GET', url: '/__admin/requests/count?atLeast=1&timeoutMs=60001' }), 13000102, 'Parameter invalid: timeoutMs must be at most 60000, got 60001')
  assertKooDriveError(t, await test.app.inject({ method: 'GET', url: '/__admin/requests/count?timeoutMs=10' }), 13000102, 'Parameter invalid: timeoutMs goes with atLeast: the count waits for atLeast entries')
  for (const url of ['/__admin/requests/count?operation=nope', '/__admin/requests?operation=nope']) {
    const res = await test.app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400)
    t.match(res.json().msg, /^Parameter invalid: operation "nope" is not one the journal records; use one of getShareUserInfo, verifyShare, .*corsPreflight, notFound$/)
  }
})

t.test('the client\'s operation type names exactly the operations the journal records', async (t) => {
  const test = await startTestApp(t)
  const recorded = test.app.routeCatalog.filter((route) => !route.url.startsWith('/__admin')).flatMap((route) => (route.operationId === undefined ? [] : [route.operationId]))
  // Each name below must compile as a JournalOperation, and the list must be the journal's own.
  const typed: JournalOperation[] = [
    'getShareUserInfo', 'verifyShare', 'listShareFiles', 'createShareTask', 'getShareTaskDetail', 'downloadShareFile', 'cancelJob',
    'getPublicShareUserInfo', 'verifyPublicShare', 'listPublicShareFiles', 'createPublicShareTask', 'getPublicShareTaskDetail', 'downloadPublicShareFile',
    'downloadObject', 'getRoot', 'corsPreflight', 'notFound',
  ]
  t.strictSame(new Set(typed), new Set([...recorded, 'corsPreflight', 'notFound']))
})

t.test('the admin client waits too: requests.count({ atLeast, timeoutMs })', async (t) => {
  const { startMockServer } = await import('../../src/index.js')
  const mock = await startMockServer()
  t.teardown(() => mock.close())
  const waiting = mock.admin.requests.count({ operation: 'getShareUserInfo', atLeast: 2, timeoutMs: 10_000 })
  for (let i = 0; i < 2; i++) await fetch(`${mock.url}/koodrive/ose/v1/share/userInfo?shortUrl=1`, { headers: carrierHeaders(Date.now()) })
  t.equal(await waiting, 2)
})
