import t from 'tap'
import { buildTestApp, carrierHeaders, packageExample, TASKS_URL, vendorExample } from '../helpers.js'

t.test('the vendor example creates a dump task with a 19-digit task ID', async (t) => {
  const { app, clock } = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: vendorExample })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body), ['code', 'msg', 'taskId'])
  t.equal(body.code, 0)
  t.equal(body.msg, 'Success')
  t.match(body.taskId, /^[1-9]\d{18}$/)
  const task = app.tasks.get(body.taskId)
  t.same(task, { taskId: body.taskId, ownerId: 'u1', request: vendorExample, createdAtMs: clock.now() })
})
