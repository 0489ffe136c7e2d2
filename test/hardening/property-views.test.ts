import fc from 'fast-check'
import t from 'tap'
import { buildTestAppForRun, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, carrierHeaders, DOWNLOAD_URL, FILES_URL, pathAndQuery, TASK_DETAIL_URL, TASKS_URL, USER_INFO_URL, VERIFY_URL } from '../helpers/requests.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { assertProperty } from '../helpers/properties.js'

/**
 * Whatever sequence of requests a client sends, accepted or refused, every read view answers
 * afterwards: taskDetail of every task, the files of every share, every download URL handed out,
 * and the admin tasks, world, requests, faults and readiness. Strings come with lone surrogates,
 * huge lengths, path tricks and control characters; bodies nest; the clock moves between steps.
 */

const SEED = 7
const RUNS = 25

/** Strings a careless or hostile client sends as names and IDs. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\ud800', 'a\udfffb', '\ud83d\ude00', '..', '.', '%2e%2e', 'a/b', 'a\\b', '\u0000', '\r\n', ' ', '#?&=', '<x>', "'\"", '\u202e'),
  fc.string({ minLength: 120, maxLength: 300 }),
)
const shareOf = fc.constantFrom(...Object.values(SHARES))
const containerOf = fc.oneof(fc.constantFrom(...Object.values(SPACES)), nastyString)
const nested = fc.letrec((tie) => ({ value: fc.oneof({ depthSize: 'small' }, nastyString, fc.array(tie('value'), { maxLength: 2 })) })).value

type Step =
  | { kind: 'create'; body: Record<string, unknown> }
  | { kind: 'raw'; url: string; text: string }
  | { kind: 'verify'; shortUrl: string; extractCode: string }
  | { kind: 'files'; body: Record<string, unknown> }
  | { kind: 'download'; shareId: string; fileId: string }
  | { kind: 'cancel'; jobId: string }
  | { kind: 'addShare'; name: string; fileId: string }
  | { kind: 'fault'; rule: unknown }
  | { kind: 'advance'; ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    body: fc.record(
      {
        taskType: fc.constantFrom(1, 2, 3),
        containerId: containerOf,
        fileIds: fc.array(fc.oneof(fc.constant('Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'), nastyString), { minLength: 0, maxLength: 4 }),
        shareId: fc.oneof(shareOf.map((share) => share.shareId), nastyString),
        zipName: nastyString,
        targetFileId: fc.record({ fileId: fc.oneof(fc.constant('root'), nastyString), containerId: containerOf }),
        kdstoken: nastyString,
        extra: nested,
      },
      { requiredKeys: ['taskType', 'containerId', 'fileIds', 'shareId'] },
    ),
  }),
  fc.record({ kind: fc.constant('raw' as const), url: fc.constantFrom(TASKS_URL, FILES_URL, VERIFY_URL, DOWNLOAD_URL, TASK_DETAIL_URL), text: fc.oneof(fc.string(), fc.constantFrom('{"zipName":"\\ud800"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":"\\udc00\\ud800"}')) }),
  fc.record({ kind: fc.constant('verify' as const), shortUrl: fc.oneof(shareOf.map((share) => share.shortUrl), nastyString), extractCode: fc.oneof(fc.constant('31945314'), nastyString) }),
  fc.record({
    kind: fc.constant('files' as const),
    body: fc.record({ shortUrl: fc.oneof(shareOf.map((share) => share.shortUrl), nastyString), parentFolder: nastyString, fileName: nastyString, pageCursor: nastyString }, { requiredKeys: ['shortUrl'] }),
  }),
  fc.record({ kind: fc.constant('download' as const), shareId: fc.oneof(shareOf.map((share) => share.shareId), nastyString), fileId: fc.oneof(fc.constant('Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'), nastyString) }),
  fc.record({ kind: fc.constant('cancel' as const), jobId: nastyString }),
  fc.record({ kind: fc.constant('addShare' as const), name: nastyString, fileId: nastyString }),
  fc.record({ kind: fc.constant('fault' as const), rule: fc.oneof(fc.constant({ operation: 'createShareTask', first: 1, error: { status: 200, body: { deep: [[[['x']]]] } } }), fc.record({ message: nastyString, error: fc.constant(13000201), id: nastyString })) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
)

async function run(test: TestApp, s: Step): Promise<void> {
  const { app, clock } = test
  const post = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: carrierHeaders(clock.now()), payload })
  switch (s.kind) {
    case 'create':
      await post(TASKS_URL, JSON.stringify(s.body))
      return
    case 'raw':
      await post(s.url, s.text)
      return
    case 'verify':
      await post(VERIFY_URL, JSON.stringify({ shortUrl: s.shortUrl, extractCode: s.extractCode }))
      return
    case 'files':
      await post(FILES_URL, JSON.stringify(s.body))
      await app.inject({ method: 'GET', url: `${USER_INFO_URL}?shortUrl=${encodeURIComponent(String(s.body.shortUrl))}`, headers: carrierHeaders(clock.now()) })
      return
    case 'download':
      await post(DOWNLOAD_URL, JSON.stringify({ shareId: s.shareId, fileId: s.fileId }))
      return
    case 'cancel':
      await post(CANCEL_URL, JSON.stringify({ jobId: s.jobId }))
      return
    case 'addShare':
      await app.inject({
        method: 'POST',
        url: '/__admin/world/shares',
        payload: JSON.stringify({
          share: { shareId: '1999999999999999999', shortUrl: '1999999999999999998', ownerId: 'ann', containerId: SPACES.ann, fileIds: [s.fileId] },
          files: [{ fileId: s.fileId, containerId: SPACES.ann, parentId: 'root', name: s.name, type: 'file', size: 3 }],
        }),
        headers: { 'content-type': 'application/json' },
      })
      return
    case 'fault':
      await app.inject({ method: 'POST', url: '/__admin/faults', payload: JSON.stringify(s.rule), headers: { 'content-type': 'application/json' } })
      return
    case 'advance':
      clock.advance(s.ms)
  }
}

/** Every read view, each of which must answer below 500. */
async function readEverything(test: TestApp): Promise<string[]> {
  const { app, clock } = test
  const failures: string[] = []
  const check = async (what: string, res: { statusCode: number; body: string }) => {
    if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`)
  }
  // Faults would make the views fail on purpose: the views are what is under test.
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  const tasks = await app.inject({ method: 'GET', url: '/__admin/tasks?limit=1000' })
  await check('GET /__admin/tasks', tasks)
  for (const task of (tasks.json() as { tasks: { taskId: string; userId: string; shareId: string }[] }).tasks) {
    const detail = await app.inject({ method: 'POST', url: TASK_DETAIL_URL, headers: carrierHeaders(clock.now(), { 'x-user-id': task.userId }), payload: { taskId: task.taskId, shareId: task.shareId } })
    await check(`taskDetail ${task.taskId}`, detail)
    const url = (detail.json() as { jobInfo?: { downloadUrl?: string } }).jobInfo?.downloadUrl
    if (url !== undefined) await check(`GET ${url}`, await app.inject({ method: 'GET', url: pathAndQuery(url) }))
    await check(`GET /__admin/tasks/${task.taskId}`, await app.inject({ method: 'GET', url: `/__admin/tasks/${encodeURIComponent(task.taskId)}` }))
  }
  const world = await app.inject({ method: 'GET', url: '/__admin/world' })
  await check('GET /__admin/world', world)
  for (const share of (world.json() as { shares: { shareId: string; shortUrl: string; fileIds: string[] }[] }).shares) {
    await check(`files of ${share.shortUrl}`, await app.inject({ method: 'POST', url: FILES_URL, headers: carrierHeaders(clock.now()), payload: { shortUrl: share.shortUrl } }))
    const download = await app.inject({ method: 'POST', url: DOWNLOAD_URL, headers: carrierHeaders(clock.now()), payload: { shareId: share.shareId, fileId: share.fileIds[0] } })
    await check(`download of ${share.shareId}`, download)
    const url = (download.json() as { downloadUrl?: string }).downloadUrl
    if (url !== undefined) await check(`GET ${url}`, await app.inject({ method: 'GET', url: pathAndQuery(url) }))
  }
  for (const url of ['/__admin/requests?limit=1000', '/__admin/requests/count', '/__admin/faults', '/__admin/ready', '/__admin/clock', '/__admin/openapi.json']) {
    await check(`GET ${url}`, await app.inject({ method: 'GET', url }))
  }
  return failures
}

t.test('after any sequence of accepted and refused requests, every read view answers below 500', async (t) => {
  await assertProperty(t, 'no view fails', () =>
    fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const test = await buildTestAppForRun({ env: { MOCK_TASK_DURATION_MS: '1000', MOCK_MAX_WORLD_FILES: '40', MOCK_JOURNAL_BODY_BYTES: '64' } })
        try {
          for (const s of steps) await run(test, s)
          test.clock.advance(2_000)
          const failures = await readEverything(test)
          if (failures.length > 0) throw new Error(failures.join('\n'))
        } finally {
          await test.app.close()
        }
      }),
      { seed: SEED, numRuns: RUNS },
    ),
  )
})
