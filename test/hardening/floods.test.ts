import t from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { postApi, TASK_DETAIL_URL, TASKS_URL } from '../helpers/requests.js'

/** `n` made-up 128-character file IDs, distinct per `round`. */
const newFileIds = (round: number, n: number) => Array.from({ length: n }, (_, i) => `F${`${round}-${i}-`.padEnd(127, 'x')}`)

const SEEDED_FILES = DEFAULT_WORLD.files.length

async function readyCounts(test: TestApp) {
  return (await test.app.inject({ method: 'GET', url: '/__admin/ready' })).json().world as { users: number; spaces: number; files: number; shares: number }
}

t.test('a lenient flood of new file IDs stays within MOCK_MAX_WORLD_FILES; seeded files stay; every view answers', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_WORLD_FILES: '300' } })
  const taskIds: { taskId: string; shareId: string }[] = []
  for (let round = 0; round < 30; round++) {
    const shareId = `${1_900_000_000_000_000_000n + BigInt(round)}`
    const res = await postApi(test, TASKS_URL, { taskType: 1, containerId: `IAAflood${round}`, fileIds: newFileIds(round, 100), shareId, zipName: 'f.zip' })
    t.equal(res.statusCode, 200, `round ${round}: ${res.body.slice(0, 100)}`)
    taskIds.push({ taskId: res.json().taskId, shareId })
    test.clock.advance(4_000)
    const counts = await readyCounts(test)
    // Made entries: files plus the share, space and owner made with each; all within the cap.
    const made = counts.files - SEEDED_FILES + counts.shares - DEFAULT_WORLD.shares.length + counts.spaces - DEFAULT_WORLD.spaces.length + counts.users - DEFAULT_WORLD.users.length
    t.ok(made <= 300 + 100, `round ${round}: ${made} made entries (the cap, plus one request's worth until its task ends)`)
  }
  const counts = await readyCounts(test)
  t.ok(counts.files >= SEEDED_FILES, 'the seeded files are all there')
  t.ok(counts.files <= SEEDED_FILES + 300, `${counts.files} files in the world after 3 000 made-up IDs`)
  for (const { taskId, shareId } of [taskIds[0], taskIds.at(-1)] as { taskId: string; shareId: string }[]) {
    const detail = await postApi(test, TASK_DETAIL_URL, { taskId, shareId })
    t.equal(detail.statusCode, 200, 'taskDetail of a task whose made-up files may be gone still answers')
    t.equal(detail.json().jobInfo.taskStatus, 2)
  }
  for (const url of ['/__admin/world', '/__admin/tasks?limit=1000', '/__admin/requests?limit=1000']) {
    t.equal((await test.app.inject({ method: 'GET', url })).statusCode, 200, `${url} answers`)
  }
})

t.test('the files a running task needs are kept through a flood, and it completes with all of them', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_WORLD_FILES: '50' } })
  const running = await postApi(
    test,
    TASKS_URL,
    { taskType: 1, containerId: 'IAArunning', fileIds: newFileIds(999, 20), shareId: '1800000000000000001', zipName: 'keep.zip' },
    { 'x-mock-fault': 'task=success; taskDuration=60000' },
  )
  t.equal(running.statusCode, 200)
  for (let round = 0; round < 5; round++) {
    const res = await postApi(test, TASKS_URL, { taskType: 1, containerId: `IAAflood${round}`, fileIds: newFileIds(round, 40), shareId: `${1_900_000_000_000_000_000n + BigInt(round)}`, zipName: 'f.zip' })
    t.equal(res.statusCode, 200)
    test.clock.advance(4_000)
  }
  test.clock.advance(60_000)
  const detail = await postApi(test, TASK_DETAIL_URL, { taskId: running.json().taskId, shareId: '1800000000000000001' })
  t.equal(detail.json().jobInfo.taskResultCode, 1, 'every file of the running task was still there when it completed')
  t.ok((detail.json().taskInfos as { status: string }[]).every((info) => info.status === '1'))
})

t.test('when live tasks pin twice the cap, a request that would make more is refused and changes nothing', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_WORLD_FILES: '20', MOCK_TASK_DURATION_MS: '60000' } })
  const create = (round: number) =>
    postApi(test, TASKS_URL, { taskType: 1, containerId: `IAApin${round}`, fileIds: newFileIds(round, 8), shareId: `${1_700_000_000_000_000_000n + BigInt(round)}`, zipName: 'p.zip' })
  // Each create makes 11 entries (its owner, space, share and 8 files), all pinned while it runs.
  for (const round of [0, 1, 2]) t.equal((await create(round)).statusCode, 200)
  const before = await readyCounts(test)
  const refused = await create(3)
  t.strictSame(refused.json(), {
    code: 13000102,
    msg: 'Parameter invalid: the world holds 40 made entries that live tasks still need (MOCK_MAX_WORLD_FILES=20); name existing files or let tasks finish',
  })
  t.strictSame(await readyCounts(test), before, 'nothing was made')
  test.clock.advance(61_000)
  t.equal((await create(4)).statusCode, 200, 'once the tasks end, their entries may go and new ones are made')
})

t.test('a journal flood of huge refused bodies stays within MOCK_JOURNAL_MAX_BYTES; any limit answers', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_JOURNAL_MAX_BYTES: '2000000', MOCK_JOURNAL_BODY_BYTES: '10000' } })
  const huge = JSON.stringify({ taskType: 1, junk: 'x'.repeat(1_000_000) })
  for (let i = 0; i < 40; i++) {
    const res = await postApi(test, TASKS_URL, huge)
    t.equal(res.statusCode, 400)
  }
  const list = await test.app.inject({ method: 'GET', url: '/__admin/requests?limit=1000' })
  t.equal(list.statusCode, 200)
  const { total, requests } = list.json() as { total: number; requests: { body: unknown; bodyTruncated?: { originalBytes: number; keptBytes: number } }[] }
  t.equal(total, 40, 'forty 1 MB bodies fit once each is cut to 10 000 bytes')
  t.ok(list.body.length < 1_000_000, `the whole journal answers in ${list.body.length} bytes`)
  t.strictSame(requests[0]?.bodyTruncated, { originalBytes: huge.length, keptBytes: 10_000 })
  t.equal(requests[0]?.body, huge.slice(0, 10_000))
  t.ok(test.app.journal.bytes <= 2_000_000, `${test.app.journal.bytes} bytes kept`)
  // With room for fewer entries than the flood, the oldest go.
  const tight = await startTestApp(t, { env: { MOCK_JOURNAL_MAX_BYTES: '100000', MOCK_JOURNAL_BODY_BYTES: '10000' } })
  for (let i = 0; i < 40; i++) await postApi(tight, TASKS_URL, huge)
  const kept = (await tight.app.inject({ method: 'GET', url: '/__admin/requests/count' })).json().count as number
  t.ok(kept >= 5 && kept <= 10, `${kept} entries of ~11 kB fit in 100 000 bytes`)
  t.ok(tight.app.journal.bytes <= 100_000)
})
