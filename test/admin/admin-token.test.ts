import t from 'tap'
import type { HTTPMethods } from 'fastify'
import { adminGuard } from '../../src/admin/admin-guard.js'
import { DASHBOARD_PAGE_ROUTES, EVENTS_PATH } from '../../src/dashboard/index.js'
import { startTestApp } from '../helpers/app.js'
import { createTask, getUserInfo, packageExample } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertGatewayError } from '../helpers/envelopes.js'

const TOKEN = 's3cret'
const NEEDS_TOKEN = 'Incorrect IAM authentication information: the admin API needs Authorization: Bearer <MOCK_ADMIN_TOKEN>'
const OPEN = ['/__admin/health', '/__admin/ready']

t.test('MOCK_ADMIN_TOKEN: every admin route but health and ready answers 401 APIGW.0301 without the token or with a wrong one', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  const routes = test.app.routeCatalog.filter((route) => route.url.startsWith('/__admin') && !OPEN.includes(route.url) && !DASHBOARD_PAGE_ROUTES.includes(route.url))
  t.ok(routes.length >= 20, `${routes.length} guarded routes`)
  const wrong = [undefined, 'Bearer wrong', `bearer ${TOKEN}`, `Bearer+${TOKEN}`, TOKEN, `Bearer ${TOKEN} `, `Basic ${TOKEN}`]
  for (const route of routes) {
    for (const method of route.methods as HTTPMethods[]) {
      const url = route.url.replace(':taskId', '1234567890123456789')
      for (const authorization of wrong) {
        const res = await test.app.inject({ method, url, headers: authorization === undefined ? {} : { authorization } })
        if (method === 'HEAD') t.equal(res.statusCode, 401, `HEAD ${url} with ${authorization ?? 'no Authorization'}: 401`)
        else assertGatewayError(t, res, 401, 'APIGW.0301', NEEDS_TOKEN)
      }
    }
  }
})

t.test('MOCK_ADMIN_TOKEN: with Authorization: Bearer <token> the guard lets every admin route through', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  const taskId = await createTask(test, packageExample)
  // The event stream never ends: test/dashboard/dashboard.test.ts reads it with the token, on a real socket.
  const routes = test.app.routeCatalog.filter((route) => route.url.startsWith('/__admin') && route.url !== '/__admin/reset' && route.url !== EVENTS_PATH)
  for (const route of routes) {
    for (const method of route.methods as HTTPMethods[]) {
      const url = route.url.replace(':taskId', taskId)
      const res = await test.app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}` } })
      t.not(res.statusCode, 401, `${method} ${url}: ${res.statusCode}`)
    }
  }
  const reset = await test.app.inject({ method: 'POST', url: '/__admin/reset', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(reset.statusCode, 200)
  const clock = await test.app.inject({ method: 'POST', url: '/__admin/clock', headers: { authorization: `Bearer ${TOKEN}` }, payload: { advanceMs: 5 } })
  t.match(clock.json(), { offsetMs: 5 }, 'a write goes through')
})

t.test('MOCK_ADMIN_TOKEN: health and ready need no token', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  for (const url of OPEN) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${url} without a token`)
    t.equal((await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer wrong' } })).statusCode, 200, `${url} with a wrong one`)
  }
})

t.test('MOCK_ADMIN_TOKEN: the dashboard page and its files need none (the page asks for the token); its event stream does', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  t.equal((await app.inject({ method: 'GET', url: '/__admin' })).statusCode, 302)
  t.equal((await app.inject({ method: 'GET', url: '/__admin/' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/__admin/dashboard/main.js' })).statusCode, 200)
  assertGatewayError(t, await app.inject({ method: 'GET', url: EVENTS_PATH }), 401, 'APIGW.0301', NEEDS_TOKEN)
})

t.test('MOCK_ADMIN_TOKEN: the API docs are guarded too', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  for (const url of ['/__admin/docs', '/__admin/docs/', '/__admin/docs/json', '/__admin/docs/static/index.html', '/__admin/openapi.json']) {
    assertGatewayError(t, await app.inject({ method: 'GET', url }), 401, 'APIGW.0301', NEEDS_TOKEN)
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } })
    t.ok(res.statusCode < 400, `${url} with the token: ${res.statusCode}`)
  }
  const openapi = await app.inject({ method: 'GET', url: '/__admin/openapi.json', headers: { authorization: `Bearer ${TOKEN}` } })
  t.match(openapi.json(), { openapi: '3.0.3', info: { title: 'koodrive-mock' } })
})

t.test('MOCK_ADMIN_TOKEN: an unknown admin path is still the gateway\'s 404', async (t) => {
  const { app } = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  assertGatewayError(t, await app.inject({ method: 'GET', url: '/__admin/nope' }), 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment: GET /__admin/nope; the admin API\'s routes are listed at /__admin/docs')
})

t.test('MOCK_ADMIN_TOKEN: KooDrive routes are unaffected and keep their own Authorization', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ADMIN_TOKEN: TOKEN } })
  t.equal((await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })).statusCode, 200, 'a KooDrive bearer token, not the admin one')
  t.match(await createTask(test, packageExample), /^\d{19}$/)
  t.equal((await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }, { authorization: `Bearer ${TOKEN}` })).statusCode, 200)
  assertGatewayError(
    t,
    await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }, { authorization: undefined }),
    401,
    'APIGW.0301',
    'Incorrect IAM authentication information: Authorization header is missing',
  )
})

t.test('without MOCK_ADMIN_TOKEN the admin API is open', async (t) => {
  const { app } = await startTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/__admin/faults' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/__admin/faults', headers: { authorization: 'Bearer anything' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/__admin/docs' })).statusCode, 200)
})

t.test('adminGuard: no hook without a token; a request with no route URL needs the token', async (t) => {
  t.equal(adminGuard(undefined), undefined)
  const guard = adminGuard(TOKEN) as unknown as (request: { routeOptions: { url?: string }; headers: Record<string, string> }) => Promise<void>
  await t.rejects(guard({ routeOptions: {}, headers: {} }), { message: NEEDS_TOKEN, errorCode: 'APIGW.0301', statusCode: 401 })
  await t.resolves(guard({ routeOptions: {}, headers: { authorization: `Bearer ${TOKEN}` } }))
  await t.resolves(guard({ routeOptions: { url: '/__admin/health' }, headers: {} }))
})
