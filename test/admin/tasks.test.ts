import t from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { redactSecrets } from '../../src/secrets.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { createTask, fetchObject, INJECT_BASE_URL, packageExample, taskDetail, vendorExample } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, dumpCopies, readiness } from '../helpers/admin.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { unzip } from '../helpers/zips.js'
import { taskTime } from '../helpers/tasks.js'

const PARAMETER_INVALID = 13000102
const NOT_FOUND = 13000309
const CREATED = taskTime(START_MS)

interface TaskBody {
  taskType: number
  containerId: string
  fileIds: string[]
  shareId: string
  zipName?: string
  kdstoken?: string
  targetFileId?: { fileId: string; containerId: string }
}

const launchKitFiles = (DEFAULT_WORLD.shares.find((share) => share.shareId === SHARES.launchKit.shareId)?.fileIds ?? []).slice(0, 2)

/** Two files of Bob's "Q3 launch kit", zipped. */
const twoFilePackage: TaskBody = { taskType: 1, containerId: SPACES.bob, fileIds: launchKitFiles, shareId: SHARES.launchKit.shareId, zipName: 'kit.zip' }
/** The same two files, dumped into the root of Ann's space. */
const twoFileDump: TaskBody = {
  taskType: 2,
  containerId: SPACES.bob,
  fileIds: launchKitFiles,
  shareId: SHARES.launchKit.shareId,
  targetFileId: { fileId: 'root', containerId: SPACES.ann },
}

const list = (app: TestApp['app'], query = '') => app.inject({ method: 'GET', url: `/__admin/tasks${query}` })
const getTask = (app: TestApp['app'], taskId: string) => app.inject({ method: 'GET', url: `/__admin/tasks/${taskId}` })
const act = (app: TestApp['app'], taskId: string, action: unknown) =>
  app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: { action } as Record<string, unknown> })
const advance = (app: TestApp['app'], advanceMs: number) => app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs } })

/** A task's taskInfos with the given file statuses (missing ones '0') and new file IDs. */
function infos(body: TaskBody, statuses: string[] = [], newFileIds: (string | undefined)[] = []) {
  return body.fileIds.map((fileId, i) => ({
    fileId,
    status: statuses[i] ?? '0',
    ...(newFileIds[i] === undefined ? {} : { newFileId: newFileIds[i] }),
    srcContainerId: body.containerId,
  }))
}

/** The admin view of a task just created at START_MS: pending, progress 0. */
function pendingView(taskId: string, userId: string, body: TaskBody) {
  return {
    taskId,
    userId,
    shareId: body.shareId,
    jobInfo: { userId, taskId, taskType: body.taskType, taskStatus: 0, createTime: CREATED, progress: 0 },
    taskInfos: infos(body),
    request: redactSecrets(body),
    schedule: schedule(START_MS + 500, START_MS + 3000),
  }
}

/** A task's times as the admin view gives them (created at START_MS). */
function schedule(startAtMs: number, endAtMs: number | null, extra: { cancelledAtMs?: number; progressEndAtMs?: number } = {}) {
  return { createdAtMs: START_MS, startAtMs, endAtMs, ...extra }
}

/** The copy a dump made of `sourceId`, by its copiedFromId. */
const copyOf = async (test: TestApp, sourceId: string): Promise<string | undefined> => (await dumpCopies(test, sourceId))[0]?.fileId

const zipUrl = ({ app }: TestApp, taskId: string, zipName: string, endAtMs: number) => app.emulator.presigner.sign(`packages/${taskId}/${zipName}`, endAtMs, `${INJECT_BASE_URL}/obs/koodrive-share/`)

t.test('GET /__admin/tasks lists every user\'s tasks, newest first, with the total', async (t) => {
  const test = await startTestApp(t)
  const first = await createTask(test, packageExample)
  const second = await createTask(test, vendorExample, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
  const third = await createTask(test, twoFilePackage, { authorization: 'Bearer bob-token', 'x-user-id': 'bob' })
  const res = await list(test.app)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    total: 3,
    tasks: [pendingView(third, 'bob', twoFilePackage), pendingView(second, 'ann', vendorExample), pendingView(first, 'u1', packageExample)],
  })
})

t.test('GET /__admin/tasks with no tasks: total 0', async (t) => {
  const { app } = await startTestApp(t)
  t.strictSame((await list(app)).json(), { total: 0, tasks: [] })
})

t.test('GET /__admin/tasks filters by userId, shareId, taskType and taskStatus, and limits', async (t) => {
  const test = await startTestApp(t)
  const { app } = test
  const processing = await createTask(test, packageExample) // by u1, START_MS
  await advance(app, 1000)
  const pending = await createTask(test, vendorExample, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
  const cancelled = await createTask(test, twoFilePackage, { authorization: 'Bearer bob-token', 'x-user-id': 'bob' })
  t.equal((await act(app, cancelled, 'cancel')).statusCode, 200)

  const ids = async (query: string) => {
    const body = (await list(app, query)).json<{ total: number; tasks: { taskId: string }[] }>()
    return { total: body.total, ids: body.tasks.map((task) => task.taskId) }
  }
  t.strictSame(await ids(''), { total: 3, ids: [cancelled, pending, processing] })
  t.strictSame(await ids('?userId=ann'), { total: 1, ids: [pending] })
  t.strictSame(await ids('?userId=nobody'), { total: 0, ids: [] })
  t.strictSame(await ids(`?shareId=${packageExample.shareId}`), { total: 2, ids: [pending, processing] }, 'the vendor example share has two')
  t.strictSame(await ids('?taskType=1'), { total: 2, ids: [cancelled, processing] })
  t.strictSame(await ids('?taskType=2'), { total: 1, ids: [pending] })
  t.strictSame(await ids('?taskStatus=0'), { total: 1, ids: [pending] })
  t.strictSame(await ids('?taskStatus=1'), { total: 1, ids: [processing] })
  t.strictSame(await ids('?taskStatus=2'), { total: 0, ids: [] })
  t.strictSame(await ids('?taskStatus=3'), { total: 1, ids: [cancelled] })
  t.strictSame(await ids(`?shareId=${packageExample.shareId}&taskType=1`), { total: 1, ids: [processing] }, 'filters combine')
  t.strictSame(await ids('?limit=1'), { total: 3, ids: [cancelled] }, 'limit cuts the list, not the total')
  t.strictSame(await ids('?limit=0'), { total: 3, ids: [] })
  t.strictSame(await ids('?taskType=1&limit=1'), { total: 2, ids: [cancelled] })

  await advance(app, 2000)
  t.strictSame(await ids('?taskStatus=2'), { total: 1, ids: [processing] }, 'status is the status now, by the clock')
  t.strictSame(await ids('?taskStatus=1'), { total: 1, ids: [pending] })
})

t.test('GET /__admin/tasks shows at most 100 by default', async (t) => {
  const test = await startTestApp(t)
  for (let i = 0; i < 101; i++) await createTask(test, packageExample)
  const body = (await list(test.app)).json<{ total: number; tasks: unknown[] }>()
  t.equal(body.total, 101)
  t.equal(body.tasks.length, 100)
})

t.test('GET /__admin/tasks refuses bad filters with 13000102 naming the parameter', async (t) => {
  const { app } = await startTestApp(t)
  const cases: [string, string][] = [
    ['?taskType=3', 'taskType must be one of 1, 2'],
    ['?taskType=one', 'taskType must be one of 1, 2'],
    ['?taskStatus=4', 'taskStatus must be one of 0, 1, 2, 3'],
    ['?limit=abc', 'limit must match pattern "^[0-9]{1,7}$"'],
    ['?limit=-1', 'limit must match pattern "^[0-9]{1,7}$"'],
    ['?limit=12345678', 'limit must match pattern "^[0-9]{1,7}$"'],
    ['?userId=', 'userId must not be empty'],
    ['?shareId=', 'shareId must not be empty'],
    ['?status=1', 'status is not a known field'],
  ]
  for (const [query, message] of cases) {
    t.test(query, async (t) => {
      assertKooDriveError(t, await list(app, query), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
})

t.test('GET /__admin/tasks/:taskId: one task, whoever created it; an unknown one is 13000309', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, twoFilePackage, { authorization: 'Bearer bob-token', 'x-user-id': 'bob' })
  const res = await getTask(test.app, taskId)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), pendingView(taskId, 'bob', twoFilePackage))
  assertKooDriveError(t, await getTask(test.app, '1234567890123456789'), NOT_FOUND, 'Resource not found: no task 1234567890123456789')
})

t.test('GET /__admin/tasks/:taskId takes a taskId up to the schema\'s 128 characters', async (t) => {
  const { app } = await startTestApp(t)
  const long = 'x'.repeat(101)
  t.strictSame((await getTask(app, long)).json(), { code: NOT_FOUND, msg: `Resource not found: no task ${long}` }, 'a 101-character id is looked up')
  t.equal((await getTask(app, 'x'.repeat(129))).statusCode, 400, 'a 129-character id is refused')
})

t.test('the admin view shows a task as it is now: processing with progress, then completed with its copies', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, vendorExample)
  await advance(test.app, 1750)
  t.strictSame((await getTask(test.app, taskId)).json(), {
    ...pendingView(taskId, 'u1', vendorExample),
    jobInfo: { userId: 'u1', taskId, taskType: 2, taskStatus: 1, createTime: CREATED, startTime: taskTime(START_MS + 500), progress: 50 },
  })
  await advance(test.app, 1250)
  // Nothing but the admin API reads the task: the admin routes settle the world themselves.
  const copy = (await getTask(test.app, taskId)).json<{ taskInfos: { newFileId?: string }[] }>().taskInfos[0]?.newFileId
  t.equal(copy, await copyOf(test, vendorExample.fileIds[0] as string), 'the copy exists in the world')
  t.strictSame((await list(test.app)).json(), {
    total: 1,
    tasks: [
      {
        ...pendingView(taskId, 'u1', vendorExample),
        jobInfo: {
          userId: 'u1',
          taskId,
          taskType: 2,
          taskStatus: 2,
          taskResultCode: 1,
          createTime: CREATED,
          startTime: taskTime(START_MS + 500),
          endTime: taskTime(START_MS + 3000),
          progress: 100,
        },
        taskInfos: infos(vendorExample, ['1'], [copy]),
      },
    ],
  })
})

t.test('the request in the admin view has its kdstoken redacted; the stored task keeps it', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, vendorExample)
  const view = (await getTask(test.app, taskId)).json<{ request: TaskBody }>()
  t.strictSame(view.request, { ...vendorExample, kdstoken: '[Redacted]' })
  t.equal((await list(test.app)).json<{ tasks: { request: TaskBody }[] }>().tasks[0]?.request.kdstoken, '[Redacted]', 'in the list too')
  t.equal((await act(test.app, taskId, 'cancel')).json<{ request: TaskBody }>().request.kdstoken, '[Redacted]', 'and in an action\'s answer')
  t.equal(test.app.emulator.tasks.get(taskId)?.request.kdstoken, vendorExample.kdstoken)
})

t.test('complete: a pending package ends now, succeeded, with a download URL that serves the zip', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  await advance(test.app, 100)
  const now = START_MS + 100
  const res = await act(test.app, taskId, 'complete')
  t.equal(res.statusCode, 200)
  const jobInfo = {
    userId: 'u1',
    taskId,
    taskType: 1,
    taskStatus: 2,
    taskResultCode: 1,
    createTime: CREATED,
    startTime: taskTime(now),
    endTime: taskTime(now),
    progress: 100,
    downloadUrl: zipUrl(test, taskId, 'holiday.zip', now),
  }
  t.strictSame(res.json(), { ...pendingView(taskId, 'u1', packageExample), jobInfo, taskInfos: infos(packageExample, ['1']), schedule: schedule(now, now) })
  t.strictSame((await getTask(test.app, taskId)).json(), res.json(), 'GET shows the same')

  const detail = await taskDetail(test, taskId, packageExample.shareId)
  t.strictSame(detail.json(), { code: 0, msg: 'Success', jobInfo, taskInfos: infos(packageExample, ['1']) }, 'the owner sees it completed')
  const zip = await fetchObject(test, jobInfo.downloadUrl)
  t.equal(zip.statusCode, 200)
  t.equal(zip.headers['content-type'], 'application/zip')
  t.strictSame((await unzip(zip.rawPayload)).map((entry) => entry.name), ['Quarterly report.pdf'])
})

t.test('complete: a processing dump copies its file now; passing its old end later changes nothing', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, vendorExample)
  await advance(test.app, 1000)
  const now = START_MS + 1000
  const filesBefore = (await readiness(test)).world.files
  const res = await act(test.app, taskId, 'complete')
  const copy = await copyOf(test, vendorExample.fileIds[0] as string)
  t.type(copy, 'string', 'the copy is made at once')
  const done = {
    ...pendingView(taskId, 'u1', vendorExample),
    jobInfo: {
      userId: 'u1',
      taskId,
      taskType: 2,
      taskStatus: 2,
      taskResultCode: 1,
      createTime: CREATED,
      startTime: taskTime(START_MS + 500),
      endTime: taskTime(now),
      progress: 100,
    },
    taskInfos: infos(vendorExample, ['1'], [copy]),
    schedule: schedule(START_MS + 500, now),
  }
  t.strictSame(res.json(), done)
  t.equal((await readiness(test)).world.files, filesBefore + 1)

  await advance(test.app, 5000)
  t.strictSame((await getTask(test.app, taskId)).json(), done, 'unchanged after the time it would have ended')
  t.equal((await readiness(test)).world.files, filesBefore + 1, 'no second copy')
})

t.test('fail: every file fails, taskResultCode 3, and a package gets no download URL', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, twoFilePackage)
  await advance(test.app, 1000)
  const now = START_MS + 1000
  const res = await act(test.app, taskId, 'fail')
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    ...pendingView(taskId, 'u1', twoFilePackage),
    outcome: 'failed',
    jobInfo: {
      userId: 'u1',
      taskId,
      taskType: 1,
      taskStatus: 2,
      taskResultCode: 3,
      createTime: CREATED,
      startTime: taskTime(START_MS + 500),
      endTime: taskTime(now),
      progress: 100,
    },
    taskInfos: infos(twoFilePackage, ['2', '2']),
    schedule: schedule(START_MS + 500, now),
  })
})

t.test('fail: a dump copies nothing', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, twoFileDump)
  const filesBefore = (await readiness(test)).world.files
  const res = await act(test.app, taskId, 'fail')
  t.match(res.json(), { outcome: 'failed', jobInfo: { taskStatus: 2, taskResultCode: 3 }, taskInfos: infos(twoFileDump, ['2', '2']) })
  t.equal((await readiness(test)).world.files, filesBefore)
})

t.test('partial: of two files the second fails, taskResultCode 2; a package still has its zip', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, twoFilePackage)
  const res = await act(test.app, taskId, 'partial')
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    ...pendingView(taskId, 'u1', twoFilePackage),
    outcome: 'partial',
    jobInfo: {
      userId: 'u1',
      taskId,
      taskType: 1,
      taskStatus: 2,
      taskResultCode: 2,
      createTime: CREATED,
      startTime: CREATED,
      endTime: CREATED,
      progress: 100,
      downloadUrl: zipUrl(test, taskId, 'kit.zip', START_MS),
    },
    taskInfos: infos(twoFilePackage, ['1', '2']),
    schedule: schedule(START_MS, START_MS),
  })
})

t.test('partial: a dump of two files copies the first only', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, twoFileDump)
  const res = await act(test.app, taskId, 'partial')
  const copy = await copyOf(test, launchKitFiles[0] as string)
  t.type(copy, 'string')
  t.equal(await copyOf(test, launchKitFiles[1] as string), undefined)
  t.match(res.json(), { outcome: 'partial', jobInfo: { taskStatus: 2, taskResultCode: 2 } })
  t.strictSame(res.json<{ taskInfos: unknown }>().taskInfos, infos(twoFileDump, ['1', '2'], [copy]))
})

t.test('partial: a task of one file fails it', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  t.match((await act(test.app, taskId, 'partial')).json(), { outcome: 'partial', jobInfo: { taskResultCode: 3 }, taskInfos: [{ status: '2' }] })
})

t.test('cancel: a pending task is cancelled (status 3) with no start time and progress 0', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, vendorExample)
  await advance(test.app, 200)
  const res = await act(test.app, taskId, 'cancel')
  t.equal(res.statusCode, 200)
  const cancelled = {
    ...pendingView(taskId, 'u1', vendorExample),
    jobInfo: { userId: 'u1', taskId, taskType: 2, taskStatus: 3, createTime: CREATED, endTime: taskTime(START_MS + 200), progress: 0 },
    schedule: schedule(START_MS + 500, START_MS + 3000, { cancelledAtMs: START_MS + 200 }),
  }
  t.strictSame(res.json(), cancelled)
  await advance(test.app, 5000)
  t.strictSame((await getTask(test.app, taskId)).json(), cancelled, 'still cancelled after its end time')
  t.equal(await copyOf(test, vendorExample.fileIds[0] as string), undefined, 'and nothing was copied')
})

t.test('cancel: a processing task keeps the progress it had', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  await advance(test.app, 1750)
  const res = await act(test.app, taskId, 'cancel')
  t.strictSame(res.json(), {
    ...pendingView(taskId, 'u1', packageExample),
    jobInfo: {
      userId: 'u1',
      taskId,
      taskType: 1,
      taskStatus: 3,
      createTime: CREATED,
      startTime: taskTime(START_MS + 500),
      endTime: taskTime(START_MS + 1750),
      progress: 50,
    },
    schedule: schedule(START_MS + 500, START_MS + 3000, { cancelledAtMs: START_MS + 1750 }),
  })
  t.match((await taskDetail(test, taskId, packageExample.shareId)).json(), { jobInfo: { taskStatus: 3, progress: 50 } }, 'the owner sees it cancelled')
})

t.test('an action on a finished task is 13000102 and changes nothing', async (t) => {
  const test = await startTestApp(t)
  const completed = await createTask(test, packageExample)
  const cancelled = await createTask(test, packageExample)
  await act(test.app, cancelled, 'cancel')
  await advance(test.app, 3000)
  const before = (await getTask(test.app, completed)).json()
  for (const action of ['complete', 'fail', 'partial']) {
    assertKooDriveError(
      t,
      await act(test.app, completed, action),
      PARAMETER_INVALID,
      `Parameter invalid: action: task ${completed} has already finished; only a pending or processing task can be ended`,
    )
  }
  assertKooDriveError(
    t,
    await act(test.app, completed, 'cancel'),
    PARAMETER_INVALID,
    `Parameter invalid: action: task ${completed} has already finished; only a pending or processing task can be cancelled`,
  )
  assertKooDriveError(
    t,
    await act(test.app, cancelled, 'complete'),
    PARAMETER_INVALID,
    `Parameter invalid: action: task ${cancelled} has already finished; only a pending or processing task can be ended`,
  )
  t.strictSame((await getTask(test.app, completed)).json(), before)
})

t.test('a task the admin API ended cannot be ended again', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  await act(test.app, taskId, 'complete')
  t.equal((await act(test.app, taskId, 'fail')).json<{ code: number }>().code, PARAMETER_INVALID)
})

t.test('the action body: one of complete, fail, partial, cancel, and nothing else', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  assertKooDriveError(t, await act(test.app, taskId, 'explode'), PARAMETER_INVALID, 'Parameter invalid: action must be one of complete, fail, partial, cancel')
  assertKooDriveError(t, await act(test.app, taskId, 'Complete'), PARAMETER_INVALID, 'Parameter invalid: action must be one of complete, fail, partial, cancel')
  assertKooDriveError(
    t,
    await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: {} }),
    PARAMETER_INVALID,
    'Parameter invalid: action is required',
  )
  assertKooDriveError(
    t,
    await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: { action: 'cancel', at: 1 } }),
    PARAMETER_INVALID,
    'Parameter invalid: at is not a known field',
  )
  assertKooDriveError(
    t,
    await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, headers: { 'content-type': 'application/json' }, payload: '"cancel"' }),
    13000101,
    'Bad request: the request body must be a JSON object',
  )
  assertKooDriveError(t, await act(test.app, '1234567890123456789', 'cancel'), NOT_FOUND, 'Resource not found: no task 1234567890123456789')
  t.match((await getTask(test.app, taskId)).json(), { jobInfo: { taskStatus: 0 } }, 'the task was not touched')
})

t.test('complete ends a task a fault made stuck', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample, { 'x-mock-fault': 'task=stuck' })
  await advance(test.app, 60_000)
  const stuck = (await getTask(test.app, taskId)).json<{ schedule: unknown }>()
  t.match(stuck, { outcome: 'stuck', jobInfo: { taskStatus: 1, progress: 99 } })
  t.strictSame(stuck.schedule, schedule(START_MS + 500, null, { progressEndAtMs: START_MS + 3000 }), 'a stuck task never ends: endAtMs null')
  const now = START_MS + 60_000
  const res = await act(test.app, taskId, 'complete')
  t.match(res.json(), {
    jobInfo: { taskStatus: 2, taskResultCode: 1, startTime: taskTime(START_MS + 500), endTime: taskTime(now), progress: 100, downloadUrl: zipUrl(test, taskId, 'holiday.zip', now) },
    taskInfos: infos(packageExample, ['1']),
  })
  t.notOk('outcome' in res.json<object>(), 'a completed task no longer says it is stuck')
  t.strictSame(res.json<{ schedule: unknown }>().schedule, schedule(START_MS + 500, now), 'and ends now')
})

t.test('complete on a pending task a fault will cancel: it stays completed', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample, { 'x-mock-fault': 'task=cancelled' })
  const completed = (await act(test.app, taskId, 'complete')).json<{ jobInfo: { taskStatus: number } }>()
  t.equal(completed.jobInfo.taskStatus, 2, 'completed now')
  await advance(test.app, 1000)
  const later = (await getTask(test.app, taskId)).json<{ jobInfo: { taskStatus: number; downloadUrl?: string } }>()
  t.equal(later.jobInfo.taskStatus, 2, 'a completed task never becomes cancelled')
  t.type(later.jobInfo.downloadUrl, 'string', 'and keeps its download URL')
})
