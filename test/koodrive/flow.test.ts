import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { startTestApp } from '../helpers/app.js'
import { DOWNLOAD_URL, fetchObject, FILES_URL, getUserInfo, postApi, TASK_DETAIL_URL, TASKS_URL, VERIFY_URL } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL } from '../helpers/admin.js'
import { SHARES } from '../helpers/world.js'
import { unzip } from '../helpers/zips.js'

t.test('a new user opens a protected share link, browses it, saves a copy and downloads it as a zip', async (t) => {
  const test = await startTestApp(t)
  // Dana is new: lenient mode knows nothing about her, her token or her space until she uses them.
  const dana = { authorization: 'Bearer dana-token', 'x-user-id': 'dana' }
  const danaSpace = 'IAAdanaSpace0000000001'
  const { shortUrl, extractCode } = SHARES.contracts

  // 1. The link: whose share it is, and that it is still valid.
  const info = await getUserInfo(test, { shortUrl }, dana)
  t.equal(info.statusCode, 200)
  const { link } = info.json()
  t.match(link, { shortUrl, ownerName: 'Ann Lee', status: 0 })
  const { shareId } = link

  // 2. Its files are behind an access code...
  const locked = await postApi(test, FILES_URL, { shortUrl }, dana)
  t.equal(locked.json().code, 13000410, 'files need a kdstoken')

  // 3. ...which Dana types in, and gets a kdstoken for.
  const verified = await postApi(test, VERIFY_URL, { shortUrl, extractCode }, dana)
  const { kdstoken } = verified.json()
  t.match(kdstoken, /^[0-9a-f]{48}$/)

  // 4. She browses: the shared folder, then what is in it.
  const top = (await postApi(test, FILES_URL, { shortUrl, kdstoken }, dana)).json()
  t.strictSame(top.files.map((file: { fileName: string }) => file.fileName), ['Contracts'])
  const folder = top.files[0]
  t.equal(folder.fileType, 10)
  const inside = (await postApi(test, FILES_URL, { shortUrl, kdstoken, parentFolder: folder.id, sortType: 1, sortDirection: 1 }, dana)).json()
  t.strictSame(inside.files.map((file: { fileName: string }) => file.fileName), ['NDA - Northwind.pdf', 'Supplier agreement 2026.pdf'])
  const containerId = folder.containers[0]

  // 5. She saves the folder into her own drive, and asks for the whole folder as a zip.
  const dump = await postApi(test, TASKS_URL, { taskType: 2, containerId, fileIds: [folder.id], shareId, kdstoken, targetFileId: { fileId: 'root', containerId: danaSpace } }, dana)
  const pack = await postApi(test, TASKS_URL, { taskType: 1, containerId, fileIds: [folder.id], shareId, kdstoken, zipName: 'Contracts.zip' }, dana)
  t.equal(dump.statusCode, 200)
  t.equal(pack.statusCode, 200)
  const dumpId = dump.json().taskId
  const packId = pack.json().taskId

  // 6. She polls both tasks every half second until they are done (the clock moves, nobody sleeps).
  const seen: string[] = []
  let dumpDetail = (await postApi(test, TASK_DETAIL_URL, { taskId: dumpId, shareId, kdstoken }, dana)).json()
  let packDetail = (await postApi(test, TASK_DETAIL_URL, { taskId: packId, shareId, kdstoken }, dana)).json()
  for (let polls = 0; packDetail.jobInfo.taskStatus !== 2 && polls < 20; polls++) {
    seen.push(`${packDetail.jobInfo.taskStatus}:${packDetail.jobInfo.progress}`)
    await test.app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs: 500 } })
    dumpDetail = (await postApi(test, TASK_DETAIL_URL, { taskId: dumpId, shareId, kdstoken }, dana)).json()
    packDetail = (await postApi(test, TASK_DETAIL_URL, { taskId: packId, shareId, kdstoken }, dana)).json()
  }
  t.strictSame(seen, ['0:0', '1:0', '1:20', '1:40', '1:60', '1:80'], 'status:progress as she saw it')
  t.match(dumpDetail, { jobInfo: { userId: 'dana', taskStatus: 2, taskResultCode: 1, progress: 100 }, taskInfos: [{ fileId: folder.id, status: '1', newFileId: /^F/ }] })
  t.match(packDetail, { jobInfo: { userId: 'dana', taskStatus: 2, taskResultCode: 1, progress: 100, downloadUrl: /X-Amz-Expires=3600/ } })

  // 7. Her copy is in her drive, folder and files.
  const world = test.app.emulator.world
  const copy = world.files.get(dumpDetail.taskInfos[0].newFileId)
  t.match(copy, { name: 'Contracts', type: 'folder', containerId: danaSpace, parentId: 'root' })
  t.strictSame(world.childrenOf(danaSpace, copy?.fileId as string).map((file) => file.name).sort(), ['NDA - Northwind.pdf', 'Supplier agreement 2026.pdf'])
  t.match(world.spaces.get(danaSpace), { ownerId: 'dana', usedBytes: 1_048_912 + 402_117 })

  // 8. And the zip downloads, with the folder and both files in it.
  const zip = await fetchObject(test, packDetail.jobInfo.downloadUrl)
  t.equal(zip.statusCode, 200)
  t.equal(zip.headers['content-type'], 'application/zip')
  t.match(zip.headers['content-disposition'], /filename="Contracts\.zip"/)
  t.strictSame((await unzip(zip.rawPayload)).map(({ name, size }) => ({ name, size })), [
    { name: 'Contracts/', size: 0 },
    { name: 'Contracts/Supplier agreement 2026.pdf', size: 1_048_576 },
    { name: 'Contracts/NDA - Northwind.pdf', size: 402_117 },
  ])

  // 9. One file on its own needs no task.
  const single = await postApi(test, DOWNLOAD_URL, { shareId, fileId: inside.files[0].id, kdstoken }, dana)
  const pdf = await fetchObject(test, single.json().downloadUrl)
  t.equal(pdf.headers['content-type'], 'application/pdf')
  t.equal(pdf.rawPayload.length, 402_117)
})

interface Session {
  bodies: unknown[]
  requestIds: unknown[]
  /** What the seed decides: made-up share ID, kdstoken, task IDs, newFileIds, URL signatures. */
  generated: string[]
}

/** The same session of calls on a fresh app: every response body and X-Request-Id, and the generated values. */
async function session(t: Test, seed: string): Promise<Session> {
  const test = await startTestApp(t, { env: { MOCK_RANDOM_SEED: seed } })
  const responses: LightMyRequestResponse[] = []
  const record = async (call: Promise<LightMyRequestResponse>) => {
    const res = await call
    responses.push(res)
    return res.json()
  }
  const made = await record(getUserInfo(test, { shortUrl: 'made-up-link' }))
  const { kdstoken } = await record(postApi(test, VERIFY_URL, { shortUrl: SHARES.contracts.shortUrl, extractCode: SHARES.contracts.extractCode }))
  const { files } = await record(postApi(test, FILES_URL, { shortUrl: 'made-up-link', sortType: 1, sortDirection: 1 }))
  const dump = await record(postApi(test, TASKS_URL, {
    taskType: 2,
    containerId: files[0].containers[0],
    fileIds: files.slice(0, 3).map((file: { id: string }) => file.id),
    shareId: made.link.shareId,
    targetFileId: { fileId: 'root', containerId: 'IAAmine' },
  }))
  const contractsTop = await record(postApi(test, FILES_URL, { shortUrl: SHARES.contracts.shortUrl, kdstoken }))
  const pack = await record(postApi(test, TASKS_URL, {
    taskType: 1,
    containerId: SHARES.contracts.containerId,
    fileIds: [contractsTop.files[0].id],
    shareId: SHARES.contracts.shareId,
    kdstoken,
    zipName: 'contracts.zip',
  }))
  test.clock.advance(3000)
  const dumped = await record(postApi(test, TASK_DETAIL_URL, { taskId: dump.taskId, shareId: made.link.shareId }))
  const packed = await record(postApi(test, TASK_DETAIL_URL, { taskId: pack.taskId, shareId: SHARES.contracts.shareId }))
  const single = await record(postApi(test, DOWNLOAD_URL, { shareId: made.link.shareId, fileId: files[4].id }))
  await record(postApi(test, TASKS_URL, { taskType: 9 }))
  const signature = (url: string) => new URL(url).searchParams.get('X-Amz-Signature') as string
  return {
    bodies: responses.map((res) => res.json()),
    requestIds: responses.map((res) => res.headers['x-request-id']),
    generated: [
      made.link.shareId,
      kdstoken,
      dump.taskId,
      pack.taskId,
      ...dumped.taskInfos.map((info: { newFileId: string }) => info.newFileId),
      signature(packed.jobInfo.downloadUrl),
      signature(single.downloadUrl),
    ],
  }
}

t.test('determinism: the same MOCK_RANDOM_SEED and the same calls give the same responses', async (t) => {
  const first = await session(t, '7')
  const second = await session(t, '7')
  t.strictSame(second.bodies, first.bodies, 'every body, IDs and URLs included')
  t.strictSame(second.requestIds, first.requestIds, 'and every X-Request-Id')
  t.equal(first.generated.length, 9)
  t.match(first.generated, [/^\d{19}$/, /^[0-9a-f]{48}$/, /^\d{19}$/, /^\d{19}$/, /^F[\w-]{32}$/, /^F[\w-]{32}$/, /^F[\w-]{32}$/, /^[0-9a-f]{64}$/, /^[0-9a-f]{64}$/])
  t.equal(new Set(first.generated).size, 9, 'all distinct')

  t.test('a different seed gives different IDs, tokens and signatures', async (t) => {
    const other = await session(t, '8')
    t.equal(other.generated.length, 9)
    other.generated.forEach((value, i) => t.not(value, first.generated[i], `generated value ${i} differs`))
    t.notSame(other.requestIds, first.requestIds)
  })
})
