import t from 'tap'
import { FAULTABLE_OPERATIONS } from '../../src/koodrive/operations.js'
import { startTestApp } from '../helpers/app.js'

t.test('every emulated route can be faulted: its operationId is among the operations a rule may name', async (t) => {
  const { app } = await startTestApp(t)
  const emulated = app.routeCatalog.filter((route) => route.url.startsWith('/koodrive/') || route.url.startsWith('/obs/'))
  t.ok(emulated.length >= 8, `${emulated.length} emulated routes`)
  for (const route of emulated) t.ok((FAULTABLE_OPERATIONS as readonly (string | undefined)[]).includes(route.operationId), `${route.url} (${route.operationId})`)
  t.equal(new Set(emulated.map((route) => route.operationId)).size, FAULTABLE_OPERATIONS.length, 'and every operation a rule may name is a route')
})

t.test('the admin API is never faulted: none of its operations is faultable', async (t) => {
  const { app } = await startTestApp(t)
  for (const route of app.routeCatalog.filter((entry) => entry.url.startsWith('/__admin'))) {
    t.notOk((FAULTABLE_OPERATIONS as readonly (string | undefined)[]).includes(route.operationId), route.url)
  }
})
