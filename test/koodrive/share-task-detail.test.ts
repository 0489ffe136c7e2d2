import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { EXPIRED_MESSAGE, SIGNATURE_MISMATCH_MESSAGE } from '../../src/domain/objects/presigned-urls.js'
import type { FileEntry } from '../../src/domain/world/world.js'
import type { Seed } from '../../schemas/seed.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { CANCEL_URL, createTask, fetchObject, INJECT_BASE_URL, packageExample, postApi, TASK_DETAIL_URL, taskDetail, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { idOf, recycleFile, SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { expectedContent, objectError } from '../helpers/objects.js'
import { unzip } from '../helpers/zips.js'
import { taskTime } from '../helpers/tasks.js'
import { dumpCopies, taskCount, worldFile, worldSeed } from '../helpers/admin.js'

const PARAMETER_INVALID = 13000102
const RESOURCE_NOT_FOUND = 13000309
const FILE_ALREADY_IN_TARGET = 13000312
const FILE_ID_PATTERN = /^F[A-Za-z0-9_-]{32}$/
const REPORT_ID = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'
const REPORT_BYTES = 3_276_800
const SAVED_FROM_SHARES = 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob'
const ONE_MIB = 1024 * 1024

interface TaskDetailBody {
  code: number
  msg: string
  jobInfo: {
    userId: string
    taskId: string
    taskType: number
    taskStatus: number
    taskResultCode?: number
    createTime: string
    startTime?: string
    endTime?: string
    progress: number
    downloadUrl?: string
  }
  taskInfos: { fileId: string; status: string; newFileId?: string; srcContainerId: string }[]
}

async function detail(test: TestApp, taskId: string, shareId: string, headers: Record<string, string | undefined> = {}): Promise<TaskDetailBody> {
  const res = await taskDetail(test, taskId, shareId, headers)
  if (res.statusCode !== 200) throw new Error(`share/taskDetail failed: ${res.body}`)
  return res.json() as TaskDetailBody
}

/** Moves the manual clock to `offsetMs` after START_MS. */
const at = (test: TestApp, offsetMs: number) => test.clock.set(START_MS + offsetMs)

t.test('a dump task: pending, processing with rising progress, then completed with the copy in place', async (t) => {
  const test = await startTestApp(t)
  const usedBefore = test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes as number
  const taskId = await createTask(test, vendorExample)
  const createTime = '20261126100000'
  const pending = {
    code: 0,
    msg: 'Success',
    jobInfo: { userId: 'u1', taskId, taskType: 2, taskStatus: 0, createTime, progress: 0 },
    taskInfos: [{ fileId: REPORT_ID, status: '0', srcContainerId: SPACES.ann }],
  }

  t.strictSame(await detail(test, taskId, vendorExample.shareId), pending, 'pending at creation: no startTime')
  at(test, 499)
  t.strictSame(await detail(test, taskId, vendorExample.shareId), pending, 'still pending 1 ms before the start delay')
  at(test, 500)
  const processing = (progress: number) => ({
    ...pending,
    jobInfo: { ...pending.jobInfo, taskStatus: 1, startTime: '20261126100001', progress },
  })
  t.strictSame(await detail(test, taskId, vendorExample.shareId), processing(0), 'processing once the start delay is over')
  at(test, 1750)
  t.strictSame(await detail(test, taskId, vendorExample.shareId), processing(50), 'half way through the processing time: 50 %')
  at(test, 2999)
  t.strictSame(await detail(test, taskId, vendorExample.shareId), processing(99), 'never 100 % before completion')
  t.equal((await dumpCopies(test, REPORT_ID)).length, 0, 'nothing copied while processing')

  at(test, 3000)
  const done = await detail(test, taskId, vendorExample.shareId)
  const newFileId = done.taskInfos[0]?.newFileId as string
  t.match(newFileId, FILE_ID_PATTERN)
  t.strictSame(done, {
    code: 0,
    msg: 'Success',
    jobInfo: {
      userId: 'u1',
      taskId,
      taskType: 2,
      taskStatus: 2,
      taskResultCode: 1,
      createTime,
      startTime: '20261126100001',
      endTime: '20261126100003',
      progress: 100,
    },
    taskInfos: [{ fileId: REPORT_ID, status: '1', newFileId, srcContainerId: SPACES.ann }],
  })
  t.strictSame(test.app.emulator.world.files.get(newFileId), {
    fileId: newFileId,
    containerId: SPACES.ann,
    parentId: SAVED_FROM_SHARES,
    name: 'Quarterly report.pdf',
    type: 'file',
    size: REPORT_BYTES,
    recycled: false,
    editedAtMs: START_MS + 3000,
    copiedFromId: REPORT_ID,
  }, 'the copy is a real file of the target folder')
  t.ok(test.app.emulator.world.childrenOf(SPACES.ann, SAVED_FROM_SHARES).some((file) => file.fileId === newFileId))
  t.equal(test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBefore + REPORT_BYTES, 'the target space grew by the copy')

  at(test, 3_600_000)
  t.strictSame(await detail(test, taskId, vendorExample.shareId), done, 'a completed task never changes')
  t.equal((await dumpCopies(test, REPORT_ID)).length, 1, 'and was copied once')
})

t.test('the times of a task follow the clock as yyyyMMddHHmmss (UTC)', async (t) => {
  const test = await startTestApp(t)
  at(test, 86_400_000 + 59_500) // 2026-11-27T10:01:00.000Z
  const created = test.clock.now()
  const taskId = await createTask(test, packageExample)
  test.clock.advance(3000)
  const { jobInfo } = await detail(test, taskId, packageExample.shareId)
  t.strictSame([jobInfo.createTime, jobInfo.startTime, jobInfo.endTime], ['20261127100100', '20261127100100', '20261127100103'])
  t.strictSame([jobInfo.createTime, jobInfo.startTime, jobInfo.endTime], [taskTime(created), taskTime(created + 500), taskTime(created + 3000)])
})

t.test('polling every 100 ms: status goes 0, 1, 2 and progress only rises', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const statuses: number[] = []
  const progress: number[] = []
  for (let offset = 0; offset <= 3500; offset += 100) {
    at(test, offset)
    const { jobInfo } = await detail(test, taskId, packageExample.shareId)
    statuses.push(jobInfo.taskStatus)
    progress.push(jobInfo.progress)
  }
  t.strictSame([...new Set(statuses)], [0, 1, 2])
  t.strictSame(progress, [...progress].sort((a, b) => a - b), 'never goes down')
  t.equal(progress.filter((p) => p > 0 && p < 100).length, 24, 'rises through the processing time')
  t.equal(progress.at(-1), 100)
})

t.test('a task with several files has one taskInfo per file, in request order', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0' } })
  const fileIds = [idOf('README.txt'), idOf('Budget.xlsx'), idOf('Drafts')]
  const taskId = await createTask(test, {
    taskType: 2,
    containerId: SPACES.bob,
    fileIds,
    shareId: SHARES.launchKit.shareId,
    targetFileId: { fileId: 'root', containerId: SPACES.ann },
  })
  const done = await detail(test, taskId, SHARES.launchKit.shareId)
  t.strictSame(done.taskInfos.map(({ fileId, status, srcContainerId }) => ({ fileId, status, srcContainerId })), fileIds.map((fileId) => ({ fileId, status: '1', srcContainerId: SPACES.bob })))
  const { files } = await worldSeed(test)
  t.strictSame(done.taskInfos.map((info) => files.find((file) => file.fileId === info.newFileId)?.name), ['README.txt', 'Budget.xlsx', 'Drafts'])
  const draftsCopy = done.taskInfos[2]?.newFileId as string
  const inDraftsCopy = files.filter((file) => file.containerId === SPACES.ann && file.parentId === draftsCopy)
  t.strictSame(inDraftsCopy.map((file) => [file.name, file.copiedFromId]), [['Press release draft.docx', idOf('Press release draft.docx')]], 'a folder is copied with what is in it')
})

t.test('MOCK_TASK_DURATION_MS=0: a task is completed at creation', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0' } })
  const taskId = await createTask(test, vendorExample)
  const done = await detail(test, taskId, vendorExample.shareId)
  const newFileId = done.taskInfos[0]?.newFileId as string
  t.strictSame(done.jobInfo, {
    userId: 'u1',
    taskId,
    taskType: 2,
    taskStatus: 2,
    taskResultCode: 1,
    createTime: '20261126100000',
    startTime: '20261126100000',
    endTime: '20261126100000',
    progress: 100,
  })
  t.equal((await worldFile(test, newFileId))?.copiedFromId, REPORT_ID, 'the copy exists at once')
})

t.test('dumping the same file into the same folder twice', async (t) => {
  t.test('after the first completed, the second is 13000312', async (t) => {
    const test = await startTestApp(t)
    await createTask(test, vendorExample)
    test.clock.advance(3000)
    const res = await postApi(test, TASKS_URL, vendorExample)
    assertKooDriveError(t, res, FILE_ALREADY_IN_TARGET, `File already in the target folder: ${REPORT_ID}`)
    const elsewhere = await postApi(test, TASKS_URL, { ...vendorExample, targetFileId: { fileId: 'root', containerId: SPACES.ann } })
    t.equal(elsewhere.statusCode, 200, 'another folder is fine')
  })
  t.test('while the first is still running, the second is accepted and its file fails at completion', async (t) => {
    const test = await startTestApp(t)
    const first = await createTask(test, vendorExample)
    test.clock.advance(1000)
    const second = await createTask(test, vendorExample)
    test.clock.advance(3000)
    t.match(await detail(test, first, vendorExample.shareId), { jobInfo: { taskStatus: 2, taskResultCode: 1 }, taskInfos: [{ status: '1' }] })
    const failed = await detail(test, second, vendorExample.shareId)
    t.match(failed.jobInfo, { taskStatus: 2, taskResultCode: 3, progress: 100 })
    t.strictSame(failed.taskInfos, [{ fileId: REPORT_ID, status: '2', srcContainerId: SPACES.ann }], 'failed, no newFileId')
    t.equal((await dumpCopies(test, REPORT_ID)).length, 1, 'one copy only')
  })
})

t.test('dumping a whole folder tree copies every level, with new IDs', async (t) => {
  const test = await startTestApp(t)
  const world = test.app.emulator.world
  const siteId = idOf('Website redesign')
  const subtree = world.subtree(world.files.get(siteId) as FileEntry)
  t.equal(subtree.length, 14)
  const usedBefore = world.spaces.get(SPACES.bob)?.usedBytes as number
  const taskId = await createTask(
    test,
    { taskType: 2, containerId: SPACES.bob, fileIds: [siteId], shareId: SHARES.websiteRedesign.shareId, targetFileId: { fileId: 'root', containerId: SPACES.bob } },
    { 'x-user-id': 'bob' },
  )
  test.clock.advance(3000)
  const done = await detail(test, taskId, SHARES.websiteRedesign.shareId, { 'x-user-id': 'bob' })
  const copy = world.files.get(done.taskInfos[0]?.newFileId as string)
  t.match(copy, { name: 'Website redesign', type: 'folder', parentId: 'root', containerId: SPACES.bob, copiedFromId: siteId })
  const copied = world.subtree(copy as FileEntry)
  t.strictSame(copied.map((file) => file.copiedFromId), subtree.map((file) => file.fileId), 'the same tree, entry for entry')
  t.equal(new Set([...copied, ...subtree].map((file) => file.fileId)).size, 28, 'every copy has a new ID')
  const archiveCopy = copied.find((file) => file.name === 'Archive')
  t.equal(world.files.get(archiveCopy?.parentId as string)?.copiedFromId, idOf('Mockups'), 'parents are the copies of the parents')
  t.equal(world.spaces.get(SPACES.bob)?.usedBytes, usedBefore + world.subtreeBytes(world.files.get(siteId) as FileEntry))
})

t.test('a dump copies what the share shows: files in the recycle bin stay behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'koodrive-seed-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const seed: Seed = {
    users: [{ userId: 'ann', name: 'Ann', tokens: ['ann-token'] }],
    spaces: [{ containerId: 'IAAann', ownerId: 'ann', capacityBytes: 10 * ONE_MIB }],
    files: [
      { fileId: 'Fproject', containerId: 'IAAann', parentId: 'root', name: 'Project', type: 'folder' },
      { fileId: 'Fkeep', containerId: 'IAAann', parentId: 'Fproject', name: 'keep.txt', type: 'file', size: 1000 },
      { fileId: 'Fdeleted', containerId: 'IAAann', parentId: 'Fproject', name: 'deleted.txt', type: 'file', size: 5000, recycled: true },
      { fileId: 'Fsaved', containerId: 'IAAann', parentId: 'root', name: 'Saved', type: 'folder' },
    ],
    shares: [{ shareId: '1000000000000000001', shortUrl: 'project', ownerId: 'ann', containerId: 'IAAann', fileIds: ['Fproject'] }],
  }
  const seedFile = join(dir, 'seed.json')
  await writeFile(seedFile, JSON.stringify(seed))
  const test = await startTestApp(t, { env: { MOCK_SEED_FILE: seedFile, MOCK_TASK_DURATION_MS: '0' } })
  const listed = await postApi(test, '/koodrive/ose/v1/share/files', { shortUrl: 'project', parentFolder: 'Fproject' })
  t.strictSame(listed.json().files.map((file: { fileName: string }) => file.fileName), ['keep.txt'], 'share/files hides the recycled file')
  const world = test.app.emulator.world
  const usedBefore = world.spaces.get('IAAann')?.usedBytes as number
  const taskId = await createTask(test, {
    taskType: 2,
    containerId: 'IAAann',
    fileIds: ['Fproject'],
    shareId: '1000000000000000001',
    targetFileId: { fileId: 'Fsaved', containerId: 'IAAann' },
  })
  const copyId = (await detail(test, taskId, '1000000000000000001')).taskInfos[0]?.newFileId as string
  const copiedNames = world.childrenOf('IAAann', copyId).map((file) => `${file.name}${file.recycled ? ' (recycled)' : ''}`)
  // Regression: the copy used to include recycled entries, brought back to life, and charge their bytes.
  t.strictSame(copiedNames, ['keep.txt'], 'only the live file is copied')
  t.equal(world.spaces.get('IAAann')?.usedBytes, usedBefore + 1000, 'the target space grows by the live file only')
})

t.test('a package download', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)

  t.test('has no downloadUrl before it completes', async (t) => {
    at(test, 2999)
    const running = await detail(test, taskId, packageExample.shareId)
    t.notOk('downloadUrl' in running.jobInfo)
    t.strictSame(running.taskInfos, [{ fileId: REPORT_ID, status: '0', srcContainerId: SPACES.ann }])
  })

  let downloadUrl = ''
  t.test('completed: a presigned URL valid for 3600 s, per-file status "1" and no newFileId', async (t) => {
    at(test, 3000)
    const done = await detail(test, taskId, packageExample.shareId)
    downloadUrl = done.jobInfo.downloadUrl as string
    t.strictSame(done, {
      code: 0,
      msg: 'Success',
      jobInfo: {
        userId: 'u1',
        taskId,
        taskType: 1,
        taskStatus: 2,
        taskResultCode: 1,
        createTime: '20261126100000',
        startTime: '20261126100001',
        endTime: '20261126100003',
        progress: 100,
        downloadUrl,
      },
      taskInfos: [{ fileId: REPORT_ID, status: '1', srcContainerId: SPACES.ann }],
    })
    const url = new URL(downloadUrl)
    t.equal(downloadUrl.split('?')[0], `${INJECT_BASE_URL}/obs/koodrive-share/packages/${taskId}/holiday.zip`, 'on the Host the request was sent to')
    t.strictSame(Object.fromEntries(url.searchParams), {
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'KOODRIVEMOCKACCESSID/20261126/cn-north-4/s3/aws4_request',
      'X-Amz-Date': '20261126T100003Z',
      'X-Amz-Expires': '3600',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': url.searchParams.get('X-Amz-Signature'),
    })
    t.match(url.searchParams.get('X-Amz-Signature'), /^[0-9a-f]{64}$/)
    at(test, 60_000)
    const later = new URL((await detail(test, taskId, packageExample.shareId)).jobInfo.downloadUrl as string)
    t.equal(`${later.origin}${later.pathname}`, `${url.origin}${url.pathname}`, 'the same object on every poll')
    t.not(later.searchParams.get('X-Amz-Date'), url.searchParams.get('X-Amz-Date'), 'presigned afresh when read')
  })

  t.test('GET on the downloadUrl is a real zip named after zipName', async (t) => {
    const res = await fetchObject(test, downloadUrl)
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'application/zip')
    t.equal(res.headers['content-disposition'], `attachment; filename="holiday.zip"; filename*=UTF-8''holiday.zip`)
    t.equal(res.headers['content-length'], String(res.rawPayload.length), 'Content-Length is exact')
    const entries = await unzip(res.rawPayload)
    t.strictSame(entries.map(({ name, size }) => ({ name, size })), [{ name: 'Quarterly report.pdf', size: ONE_MIB }], 'one entry, capped at MOCK_ZIP_MAX_FILE_BYTES')
    t.ok(entries[0]?.content.equals(await expectedContent(REPORT_ID, ONE_MIB)), 'the file content is the same as a direct download gives')
    const again = await fetchObject(test, downloadUrl)
    t.ok(again.rawPayload.equals(res.rawPayload), 'the same bytes every time')
  })

  t.test('HEAD on the downloadUrl gives the headers and no body', async (t) => {
    const res = await fetchObject(test, downloadUrl, 'HEAD')
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'application/zip')
    t.equal(res.rawPayload.length, 0)
    t.equal(res.headers['content-length'], String((await fetchObject(test, downloadUrl)).rawPayload.length))
  })

  t.test('a tampered signature is 403 SignatureDoesNotMatch, in XML', async (t) => {
    const url = new URL(downloadUrl)
    const signature = url.searchParams.get('X-Amz-Signature') as string
    url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`)
    const res = await fetchObject(test, url.toString())
    t.equal(res.statusCode, 403)
    t.match(res.headers['content-type'], /^application\/xml/)
    t.equal(res.body, objectError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, `packages/${taskId}/holiday.zip`, res.headers['x-request-id']))
    const longer = new URL(downloadUrl)
    longer.searchParams.set('X-Amz-Expires', '604800')
    t.equal((await fetchObject(test, longer.toString())).statusCode, 403, 'nor can a client extend the expiry')
    const otherZip = downloadUrl.replace('/holiday.zip?', '/other.zip?')
    t.equal((await fetchObject(test, otherZip)).statusCode, 403, 'the signature covers the object key')
  })

  t.test('3600 s after the task ended the URL is 403 AccessDenied', async (t) => {
    at(test, 3000 + 3_599_000)
    t.equal((await fetchObject(test, downloadUrl)).statusCode, 200, 'valid until the hour is up')
    at(test, 3000 + 3_600_000)
    const res = await fetchObject(test, downloadUrl)
    t.equal(res.statusCode, 403)
    t.equal(res.body, objectError('AccessDenied', EXPIRED_MESSAGE, `packages/${taskId}/holiday.zip`, res.headers['x-request-id']))
    const fresh = (await detail(test, taskId, packageExample.shareId)).jobInfo.downloadUrl as string
    t.not(fresh, downloadUrl, 'taskDetail gives a new URL')
    t.equal((await fetchObject(test, fresh)).statusCode, 200, 'which works for another hour')
  })
})

t.test('a package of a folder and a file: directories come first, contents capped at MOCK_ZIP_MAX_FILE_BYTES', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_ZIP_MAX_FILE_BYTES: '1000', MOCK_TASK_DURATION_MS: '0' } })
  const zipName = 'Launch kit – 第三季度.zip'
  const taskId = await createTask(test, {
    taskType: 1,
    containerId: SPACES.bob,
    fileIds: [idOf('Drafts'), idOf('README.txt')],
    shareId: SHARES.launchKit.shareId,
    zipName,
  })
  const { jobInfo } = await detail(test, taskId, SHARES.launchKit.shareId)
  t.ok(jobInfo.downloadUrl?.includes(`/packages/${taskId}/Launch%20kit%20%E2%80%93%20`), 'the name is percent-encoded in the URL')
  const res = await fetchObject(test, jobInfo.downloadUrl as string)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-disposition'], `attachment; filename="Launch kit _ ____.zip"; filename*=UTF-8''${encodeURIComponent(zipName)}`)
  const entries = await unzip(res.rawPayload)
  t.strictSame(entries.map(({ name, size }) => ({ name, size })), [
    { name: 'Drafts/', size: 0 },
    { name: 'Drafts/Press release draft.docx', size: 1000 },
    { name: 'README.txt', size: 1000 },
  ])
  t.ok(entries[2]?.content.equals(await expectedContent(idOf('README.txt'), 1000)))
})

t.test('a package whose files went to the recycle bin while it ran', async (t) => {
  // No API recycles a file yet: the test plays the share owner by changing the world directly.
  t.test('partly: taskResultCode 2, status "2" for the lost file, and the zip holds the rest', async (t) => {
    const test = await startTestApp(t)
    const taskId = await createTask(test, { ...packageExample, containerId: SPACES.bob, shareId: SHARES.launchKit.shareId, fileIds: [idOf('README.txt'), idOf('Budget.xlsx')] })
    recycleFile(test.app.emulator.world, idOf('Budget.xlsx'))
    test.clock.advance(3000)
    const done = await detail(test, taskId, SHARES.launchKit.shareId)
    t.match(done.jobInfo, { taskStatus: 2, taskResultCode: 2, downloadUrl: String })
    t.strictSame(done.taskInfos.map((info) => info.status), ['1', '2'])
    const entries = await unzip((await fetchObject(test, done.jobInfo.downloadUrl as string)).rawPayload)
    t.strictSame(entries.map((entry) => entry.name), ['README.txt'])
  })
  t.test('entirely: taskResultCode 3 and no downloadUrl', async (t) => {
    const test = await startTestApp(t)
    const taskId = await createTask(test, packageExample)
    recycleFile(test.app.emulator.world, REPORT_ID)
    test.clock.advance(3000)
    const done = await detail(test, taskId, packageExample.shareId)
    t.strictSame(done.jobInfo, {
      userId: 'u1',
      taskId,
      taskType: 1,
      taskStatus: 2,
      taskResultCode: 3,
      createTime: '20261126100000',
      startTime: '20261126100001',
      endTime: '20261126100003',
      progress: 100,
    })
    t.strictSame(done.taskInfos, [{ fileId: REPORT_ID, status: '2', srcContainerId: SPACES.ann }])
  })
})

t.test('a task the caller may not see is 13000309', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  t.test("another user's task", async (t) => {
    const res = await taskDetail(test, taskId, packageExample.shareId, { 'x-user-id': 'bob' })
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: no task ${taskId} (taskId) for user bob`)
  })
  t.test('the right task with the wrong shareId', async (t) => {
    const res = await taskDetail(test, taskId, SHARES.launchKit.shareId)
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: task ${taskId} does not belong to share ${SHARES.launchKit.shareId}`)
  })
  t.test('an unknown task', async (t) => {
    const res = await taskDetail(test, '1234567890123456789', packageExample.shareId)
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: no task 1234567890123456789 (taskId) for user u1')
  })
})

t.test('MOCK_MAX_TASKS: past the cap the oldest finished task goes first, else the oldest', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_TASKS: '3' } })
  const visible = async (taskIds: string[]) => {
    const seen: string[] = []
    for (const taskId of taskIds) if ((await taskDetail(test, taskId, packageExample.shareId)).statusCode === 200) seen.push(taskId)
    return seen
  }
  const [a, b, c] = [await createTask(test, packageExample), await createTask(test, packageExample), await createTask(test, packageExample)] as [string, string, string]
  t.equal((await postApi(test, CANCEL_URL, { jobId: b })).statusCode, 200)
  const d = await createTask(test, packageExample)
  t.strictSame(await visible([a, b, c, d]), [a, c, d], 'the cancelled task B went, not the older running A')
  test.clock.advance(3000)
  const e = await createTask(test, packageExample)
  t.strictSame(await visible([a, c, d, e]), [c, d, e], 'then the oldest completed one, A')
  const f = await createTask(test, packageExample)
  const g = await createTask(test, packageExample)
  t.strictSame(await visible([c, d, e, f, g]), [e, f, g], 'C and D went: finished before the running E')
  const h = await createTask(test, packageExample)
  t.strictSame(await visible([e, f, g, h]), [f, g, h], 'none finished: the oldest, E, goes')
  t.equal(await taskCount(test), 3)
})

t.test('MOCK_MAX_TASK_FILE_IDS: past the file IDs the kept tasks may name, the oldest tasks go', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_MAX_TASK_FILE_IDS: '2500' } })
  // Lenient mode makes up the files a request names: a thousand new 128-character IDs a task.
  const thousandMadeUp = (task: number) => ({ ...packageExample, fileIds: Array.from({ length: 1000 }, (_, i) => `F${task}-${i}-`.padEnd(128, 'x')) })
  const [a, b] = [await createTask(test, thousandMadeUp(1)), await createTask(test, thousandMadeUp(2))] as [string, string]
  t.equal((await taskDetail(test, a, packageExample.shareId)).statusCode, 200, 'two thousand IDs fit')
  const c = await createTask(test, thousandMadeUp(3))
  const statuses = [] as number[]
  for (const taskId of [a, b, c]) statuses.push((await taskDetail(test, taskId, packageExample.shareId)).statusCode)
  t.strictSame(statuses, [400, 200, 200], 'the oldest task went to make room for the third thousand')
  t.equal(await taskCount(test), 2)
})

t.test('the body rules: each broken rule is 400 13000102 naming the field', async (t) => {
  const test = await startTestApp(t)
  const shareId = packageExample.shareId
  const cases: [string, unknown, string][] = [
    ['rejects a missing taskId', { shareId }, 'taskId is required'],
    ['rejects a missing shareId', { taskId: '1234567890123456789' }, 'shareId is required'],
    ['rejects an empty taskId', { taskId: '', shareId }, 'taskId must not be empty'],
    // eslint-disable-next-line no-loss-of-precision -- a client that sends the ID as a number loses its last digits: exactly the mistake under test
    ['rejects a numeric taskId', { taskId: 1234567890123456789, shareId }, 'taskId must be a string'],
    ['rejects an empty kdstoken', { taskId: '1234567890123456789', shareId, kdstoken: '' }, 'kdstoken must not be empty'],
    ['rejects an unknown field', { taskId: '1234567890123456789', shareId, jobId: '1' }, 'jobId is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await postApi(test, TASK_DETAIL_URL, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
})
