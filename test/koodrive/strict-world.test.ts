import t from 'tap'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { asUser, createTask, kdstokenFor, packageExample, postApi, taskDetail, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { idOf, SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { taskCount, worldFile, worldSeed } from '../helpers/admin.js'

const STRICT = { MOCK_WORLD: 'strict' }
const CONTAINER_NOT_EXIST = 13000301
const FILE_NOT_IN_SHARE = 13000302
const TARGET_DIRECTORY_ABNORMAL = 13000304
const TARGET_DIRECTORY_RECYCLED = 13000305
const FILE_RECYCLED = 13000306
const RESOURCE_NOT_FOUND = 13000309
const INSUFFICIENT_SPACE = 13000311
const NO_PERMISSION = 13000410

/** [taskResultCode, status of the first file] of each task, as carol sees them. */
async function outcomes(test: TestApp, taskIds: string[]): Promise<unknown[]> {
  const results: unknown[] = []
  for (const taskId of taskIds) {
    const { jobInfo, taskInfos } = (await taskDetail(test, taskId, SHARES.contracts.shareId, asUser('carol'))).json()
    results.push([jobInfo.taskResultCode, taskInfos[0].status])
  }
  return results
}

/** A dump of `fileIds` of a default-world share into `target`. */
function dump(share: { shareId: string; containerId: string }, fileIds: string[], target: { fileId: string; containerId: string }, kdstoken?: string) {
  return {
    taskType: 2,
    containerId: share.containerId,
    fileIds,
    shareId: share.shareId,
    targetFileId: target,
    ...(kdstoken === undefined ? {} : { kdstoken }),
  }
}

t.test('strict mode: the vendor example works for the owner of the target space, ann', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const res = await postApi(test, TASKS_URL, vendorExample, asUser('ann'))
  t.equal(res.statusCode, 200)
  t.match(res.json(), { code: 0, msg: 'Success', taskId: /^[1-9]\d{18}$/ })
})

t.test('strict mode: what the share side refuses', async (t) => {
  const test = await startTestApp(t, { env: STRICT })

  t.test('an unknown share is 13000309', async (t) => {
    const res = await postApi(test, TASKS_URL, { ...vendorExample, shareId: '1999999999999999999' }, asUser('ann'))
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: share 1999999999999999999')
  })
  t.test('an expired share is 13000309 with a message saying it expired', async (t) => {
    const res = await postApi(test, TASKS_URL, dump(SHARES.holidayExpired, [idOf('Holiday 2024')], { fileId: 'root', containerId: SPACES.carol }), asUser('carol'))
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: share ${SHARES.holidayExpired.shareId} has expired`)
    t.match(res.json().msg, /expired/)
  })
  t.test("a containerId that is not the share's space is 13000301", async (t) => {
    const res = await postApi(test, TASKS_URL, { ...vendorExample, containerId: SPACES.bob }, asUser('ann'))
    assertKooDriveError(t, res, CONTAINER_NOT_EXIST, `Space mismatch: share ${SHARES.vendorExample.shareId} is in space ${SPACES.ann}, not ${SPACES.bob}`)
  })
  t.test('a file that exists but is not in the share is 13000302', async (t) => {
    for (const fileId of [idOf('Contracts'), idOf('Saved from shares'), idOf('README.txt')]) {
      const res = await postApi(test, TASKS_URL, { ...vendorExample, fileIds: [vendorExample.fileIds[0], fileId] }, asUser('ann'))
      assertKooDriveError(t, res, FILE_NOT_IN_SHARE, `File not in the share: ${fileId} is not a file of share ${SHARES.vendorExample.shareId}`)
    }
  })
  t.test('a fileId that exists nowhere is 13000309 (resource not found)', async (t) => {
    const res = await postApi(test, TASKS_URL, { ...vendorExample, fileIds: [vendorExample.fileIds[0], 'Fnever-seen'] }, asUser('ann'))
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: file Fnever-seen')
  })
  t.test('a shared file in the recycle bin is 13000306', async (t) => {
    const res = await postApi(test, TASKS_URL, dump(SHARES.oldBudget, [idOf('Old budget.xlsx')], { fileId: 'root', containerId: SPACES.carol }), asUser('carol'))
    assertKooDriveError(t, res, FILE_RECYCLED, `File in the recycle bin: ${idOf('Old budget.xlsx')}`)
  })
  t.test('a protected share without a kdstoken is 13000410; with one it works', async (t) => {
    const body = dump(SHARES.contracts, [idOf('NDA - Northwind.pdf')], { fileId: 'root', containerId: SPACES.bob })
    const res = await postApi(test, TASKS_URL, body, asUser('bob'))
    assertKooDriveError(t, res, NO_PERMISSION, 'No permission: this share has an access code: call share/verify and send its kdstoken')
    const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode, asUser('bob'))
    t.equal((await postApi(test, TASKS_URL, { ...body, kdstoken }, asUser('bob'))).statusCode, 200)
  })
  t.test('a package download is refused for the same reasons', async (t) => {
    const res = await postApi(test, TASKS_URL, { ...packageExample, fileIds: ['Fnever-seen'] }, asUser('bob'))
    assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: file Fnever-seen')
    t.equal((await postApi(test, TASKS_URL, packageExample, asUser('bob'))).statusCode, 200, "anyone may download another user's open share")
  })
  t.test('no refused request made a task', async (t) => {
    t.equal(await taskCount(test), 2, 'only the two accepted ones')
  })
})

t.test('strict mode: what the target side refuses', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const report = [vendorExample.fileIds[0] as string]

  t.test('a target folder that does not exist is 13000304', async (t) => {
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: 'Fnope', containerId: SPACES.ann }), asUser('ann'))
    assertKooDriveError(t, res, TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: Fnope is not a folder of space ${SPACES.ann}`)
  })
  t.test('a target folder in the recycle bin is 13000305', async (t) => {
    const oldDrafts = idOf('Old drafts')
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: oldDrafts, containerId: SPACES.ann }), asUser('ann'))
    assertKooDriveError(t, res, TARGET_DIRECTORY_RECYCLED, `Target directory in the recycle bin: ${oldDrafts}`)
  })
  t.test('a target that is a file is 13000304', async (t) => {
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: report[0] as string, containerId: SPACES.ann }), asUser('ann'))
    assertKooDriveError(t, res, TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: ${report[0]} is not a folder of space ${SPACES.ann}`)
  })
  t.test('a target folder of another space than targetFileId.containerId is 13000304', async (t) => {
    const documents = idOf('Documents')
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: documents, containerId: SPACES.ann }), asUser('ann'))
    assertKooDriveError(t, res, TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: ${documents} is not a folder of space ${SPACES.ann}`)
  })
  t.test('a target inside the folder being copied is 13000304', async (t) => {
    const site = idOf('Website redesign')
    for (const inside of [site, idOf('Design'), idOf('Archive')]) {
      const res = await postApi(test, TASKS_URL, dump(SHARES.websiteRedesign, [site], { fileId: inside, containerId: SPACES.bob }), asUser('bob'))
      assertKooDriveError(t, res, TARGET_DIRECTORY_ABNORMAL, `Target directory abnormal: ${inside} is inside a folder being copied`)
    }
  })
  t.test('a target space that does not exist is 13000301', async (t) => {
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: 'root', containerId: 'IAAnope' }), asUser('ann'))
    assertKooDriveError(t, res, CONTAINER_NOT_EXIST, 'Space not found: targetFileId.containerId IAAnope')
  })
  t.test('a target space of another user is 13000410: the vendor example as bob', async (t) => {
    const res = await postApi(test, TASKS_URL, vendorExample, asUser('bob'))
    assertKooDriveError(t, res, NO_PERMISSION, `No permission: user bob does not own space ${SPACES.ann}`)
  })
  t.test('a dump bigger than the free space is 13000311', async (t) => {
    const space = test.app.emulator.world.spaces.get(SPACES.carol)
    const free = (space?.capacityBytes as number) - (space?.usedBytes as number)
    t.equal(free, 1_048_614, "carol's space is nearly full")
    const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, report, { fileId: 'root', containerId: SPACES.carol }), asUser('carol'))
    assertKooDriveError(t, res, INSUFFICIENT_SPACE, `Insufficient space: the dump needs 3276800 bytes, space ${SPACES.carol} has ${free} free`)
    const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode, asUser('carol'))
    const justOver = dump(SHARES.contracts, [idOf('Supplier agreement 2026.pdf')], { fileId: 'root', containerId: SPACES.carol }, kdstoken)
    assertKooDriveError(t, await postApi(test, TASKS_URL, justOver, asUser('carol')), INSUFFICIENT_SPACE, `Insufficient space: the dump needs 1048912 bytes, space ${SPACES.carol} has ${free} free`)
    const folder = dump(SHARES.contracts, [idOf('Contracts')], { fileId: 'root', containerId: SPACES.carol }, kdstoken)
    assertKooDriveError(t, await postApi(test, TASKS_URL, folder, asUser('carol')), INSUFFICIENT_SPACE, `Insufficient space: the dump needs ${1_048_912 + 402_117} bytes, space ${SPACES.carol} has ${free} free`)
    const fits = dump(SHARES.contracts, [idOf('NDA - Northwind.pdf')], { fileId: 'root', containerId: SPACES.carol }, kdstoken)
    t.equal((await postApi(test, TASKS_URL, fits, asUser('carol'))).statusCode, 200, 'a file that fits is fine')
  })
})

t.test('strict mode: dumps that each fit but not together fail at completion, not at creation', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode, asUser('carol'))
  const nda = [idOf('NDA - Northwind.pdf')]
  const targets = ['root', idOf('Documents'), idOf('Holiday 2024')]
  const taskIds: string[] = []
  for (const fileId of targets) {
    taskIds.push(await createTask(test, dump(SHARES.contracts, nda, { fileId, containerId: SPACES.carol }, kdstoken), asUser('carol')))
    test.clock.advance(1)
  }
  test.clock.advance(3000)
  t.strictSame(await outcomes(test, taskIds), [[1, '1'], [1, '1'], [3, '2']], 'two copies of 402117 bytes fit in 1048614, the third one does not')
  const space = test.app.emulator.world.spaces.get(SPACES.carol)
  t.equal((space?.capacityBytes as number) - (space?.usedBytes as number), 1_048_614 - 2 * 402_117)
})

t.test('strict mode: of competing dumps created in the same millisecond, the first created wins', async (t) => {
  const test = await startTestApp(t, { env: STRICT })
  const kdstoken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode, asUser('carol'))
  const nda = [idOf('NDA - Northwind.pdf')]
  const taskIds: string[] = []
  for (const fileId of ['root', idOf('Documents'), idOf('Holiday 2024')]) {
    taskIds.push(await createTask(test, dump(SHARES.contracts, nda, { fileId, containerId: SPACES.carol }, kdstoken), asUser('carol')))
  }
  test.clock.advance(3000)
  // Regression: a heap keyed by end time alone used to settle the third task before the second.
  t.strictSame(await outcomes(test, taskIds), [[1, '1'], [1, '1'], [3, '2']], 'tasks due at the same time complete in creation order')
})

t.test('lenient mode: the vendor example succeeds for any X-User-Id', async (t) => {
  const test = await startTestApp(t)
  for (const userId of ['u1', 'ann', 'bob', 'carol', 'somebody-else']) {
    const res = await postApi(test, TASKS_URL, { ...vendorExample, targetFileId: { fileId: 'root', containerId: SPACES.ann } }, { 'x-user-id': userId, authorization: 'Bearer whatever' })
    t.equal(res.statusCode, 200, `as ${userId}`)
  }
  const first = await postApi(test, TASKS_URL, vendorExample, { 'x-user-id': 'somebody-else' })
  t.equal(first.statusCode, 200, 'into the vendor example folder as well')
})

t.test('lenient mode: a task on an unknown share makes the share up, in the space and with the files it names', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0' } })
  const body = { taskType: 1, containerId: 'IAAsomewhere', fileIds: ['Fone', 'Ftwo'], shareId: '1777777777777777777', zipName: 'made-up.zip' }
  const taskId = await createTask(test, body, { 'x-user-id': 'dana' })
  const { jobInfo, taskInfos } = (await taskDetail(test, taskId, body.shareId, { 'x-user-id': 'dana' })).json()
  t.match(jobInfo, { taskStatus: 2, taskResultCode: 1, downloadUrl: /\/packages\/\d{19}\/made-up\.zip\?/ })
  t.strictSame(taskInfos.map((info: { fileId: string; status: string }) => [info.fileId, info.status]), [['Fone', '1'], ['Ftwo', '1']])
  t.match((await worldSeed(test)).shares.find((share) => share.shareId === body.shareId), { shortUrl: body.shareId, containerId: 'IAAsomewhere', fileIds: ['Fone', 'Ftwo'] })
  const strict = await startTestApp(t, { env: STRICT })
  const refused = await postApi(strict, TASKS_URL, body, asUser('ann'))
  assertKooDriveError(t, refused, RESOURCE_NOT_FOUND, 'Resource not found: share 1777777777777777777')
})

t.test('lenient mode: quota is not enforced, and a made-up target space belongs to the caller', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, vendorExample.fileIds, { fileId: 'root', containerId: SPACES.carol }), asUser('carol'))
  t.equal(res.statusCode, 200, "3.1 MB into carol's nearly-full space")
  const mine = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, vendorExample.fileIds, { fileId: 'Fnew-folder', containerId: 'IAAdana' }), { 'x-user-id': 'dana' })
  t.equal(mine.statusCode, 200)
  t.match((await worldSeed(test)).spaces.find((space) => space.containerId === 'IAAdana'), { ownerId: 'dana' })
  t.match(await worldFile(test, 'Fnew-folder'), { type: 'folder', containerId: 'IAAdana', parentId: 'root' })
})

t.test('lenient mode: the target rules that do not depend on the world still hold', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, TASKS_URL, dump(SHARES.vendorExample, vendorExample.fileIds, { fileId: idOf('Old drafts'), containerId: SPACES.ann }))
  assertKooDriveError(t, res, TARGET_DIRECTORY_RECYCLED, `Target directory in the recycle bin: ${idOf('Old drafts')}`)
  const mismatch = await postApi(test, TASKS_URL, { ...vendorExample, containerId: SPACES.bob })
  assertKooDriveError(t, mismatch, CONTAINER_NOT_EXIST, `Space mismatch: share ${SHARES.vendorExample.shareId} is in space ${SPACES.ann}, not ${SPACES.bob}`)
  const expired = await postApi(test, TASKS_URL, { ...packageExample, shareId: SHARES.holidayExpired.shareId, containerId: SPACES.carol, fileIds: [idOf('Beach.jpg')] })
  assertKooDriveError(t, expired, RESOURCE_NOT_FOUND, `Resource not found: share ${SHARES.holidayExpired.shareId} has expired`)
})
