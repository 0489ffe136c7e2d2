import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { carrierHeaders, packageExample, TASK_DETAIL_URL, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { taskCount } from '../helpers/admin.js'

/**
 * 10 000 createShareTask calls in flight at once (app.inject, all started before any is awaited),
 * from 10 users, half package downloads and half dumps: every one gets its own 19-digit task ID,
 * and every task is there afterwards for its creator, and only for its creator.
 */

const CALLS = 10_000
const USERS = Array.from({ length: 10 }, (_, i) => `user-${i}`)
const TASK_ID = /^[1-9]\d{18}$/

interface Created {
  userId: string
  taskType: number
  statusCode: number
  body: { code?: number; msg?: string; taskId?: string }
}

t.test(`${CALLS} concurrent createShareTask calls give ${CALLS} distinct task IDs, each readable by its creator`, { timeout: 20_000 }, async (t) => {
  const { app, clock } = await startTestApp(t)

  const created: Created[] = await Promise.all(
    Array.from({ length: CALLS }, async (_, i): Promise<Created> => {
      const userId = USERS[i % USERS.length] as string
      // Dumps of one file into one folder by many users: lenient mode lets anyone dump anywhere,
      // and a task's copy only lands when it completes, so none is "already in the target".
      const body = i % 2 === 0 ? { ...packageExample, zipName: `zip-${i}.zip` } : vendorExample
      const res = await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now(), { 'x-user-id': userId }), payload: body })
      return { userId, taskType: body.taskType, statusCode: res.statusCode, body: res.json() }
    }),
  )

  const failed = created.filter((call) => call.statusCode !== 200 || call.body.code !== 0 || call.body.msg !== 'Success')
  t.strictSame(failed.slice(0, 3), [], 'every call answered 200 {code: 0, msg: "Success"}')
  const ids = created.map((call) => call.body.taskId ?? '')
  t.strictSame(ids.filter((id) => !TASK_ID.test(id)).slice(0, 3), [], 'every task ID is 19 digits, no leading zero')
  t.equal(new Set(ids).size, CALLS, `${CALLS} distinct task IDs`)
  t.equal(await taskCount({ app }), CALLS, 'the store holds every task')

  const details = await Promise.all(
    created.map(async ({ userId, taskType, body }) => {
      const res = await app.inject({
        method: 'POST',
        url: TASK_DETAIL_URL,
        headers: carrierHeaders(clock.now(), { 'x-user-id': userId }),
        payload: { taskId: body.taskId, shareId: packageExample.shareId },
      })
      const detail = res.json() as { jobInfo?: { taskId?: string; userId?: string; taskType?: number; taskStatus?: number } }
      const { jobInfo } = detail
      const ok = res.statusCode === 200 && jobInfo?.taskId === body.taskId && jobInfo?.userId === userId && jobInfo?.taskType === taskType && jobInfo?.taskStatus === 0
      return ok ? undefined : { taskId: body.taskId, userId, statusCode: res.statusCode, body: res.body.slice(0, 300) }
    }),
  )
  t.strictSame(details.filter((detail) => detail !== undefined).slice(0, 3), [], 'share/taskDetail finds every task, pending, with its creator and type')

  // Another user (the next one round) gets "not found" for a sample of the tasks.
  const sample = created.filter((_, i) => i % 100 === 0)
  const strangers = await Promise.all(
    sample.map(async ({ userId, body }) => {
      const stranger = USERS[(USERS.indexOf(userId) + 1) % USERS.length] as string
      const res = await app.inject({
        method: 'POST',
        url: TASK_DETAIL_URL,
        headers: carrierHeaders(clock.now(), { 'x-user-id': stranger }),
        payload: { taskId: body.taskId, shareId: packageExample.shareId },
      })
      return [res.statusCode, (res.json() as { code?: number }).code]
    }),
  )
  t.strictSame(
    strangers.filter(([status, code]) => status !== 400 || code !== 13000309),
    [],
    `${sample.length} sampled tasks are "not found" (13000309) for another user`,
  )
})
