import t from 'tap'
import type { Seed } from '../../schemas/seed.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { checkSeed, worldToSeed } from '../../src/domain/world/seed.js'
import { START_MS, startTestApp, type TestApp } from '../helpers/app.js'
import { asUser, createTask, FILES_URL, getUserInfo, kdstokenFor, packageExample, postApi, taskDetail, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, adminTask, worldSeed } from '../helpers/admin.js'
import { SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'

const PARAMETER_INVALID = 13000102
const NOW = new Date(START_MS).toISOString()
const DEFAULT_COUNTS = { users: 3, spaces: 3, files: 1244, shares: 7 }

const getWorld = async (app: TestApp['app']) => (await app.inject({ method: 'GET', url: '/__admin/world' })).json<Seed>()
const putWorld = (app: TestApp['app'], seed: unknown) => app.inject({ method: 'PUT', url: '/__admin/world', payload: seed as object })
const addShare = (app: TestApp['app'], body: unknown) => app.inject({ method: 'POST', url: '/__admin/world/shares', payload: body as object })
const counts = async (app: TestApp['app']) => (await app.inject({ method: 'GET', url: '/__admin/ready' })).json<{ world: unknown }>().world
const advance = (app: TestApp['app'], advanceMs: number) => app.inject({ method: 'POST', url: ADMIN_CLOCK_URL, payload: { advanceMs } })

/** The README's "Your own world": one user, one space, one file, one protected share. */
const smallWorld: Seed = {
  users: [{ userId: 'u1', name: 'Ann', tokens: ['t-ann'] }],
  spaces: [{ containerId: 'IAAann1', ownerId: 'u1', capacityBytes: 10737418240 }],
  files: [{ fileId: 'Fa', containerId: 'IAAann1', parentId: 'root', name: 'a.pdf', type: 'file', size: 1024, recycled: false }],
  shares: [
    {
      shareId: '1000000000000000001',
      shortUrl: '1000000000000000002',
      ownerId: 'u1',
      containerId: 'IAAann1',
      fileIds: ['Fa'],
      extractCode: '31945314',
      expireTime: '2030-01-01T00:00:00.000Z',
    },
  ],
}

/** smallWorld as GET /__admin/world shows it: the times it left out are when it was loaded. */
const smallWorldAsLoaded = (loadedAt: string): Seed => ({
  ...smallWorld,
  files: [{ ...(smallWorld.files[0] as Seed['files'][number]), editedTime: loadedAt }],
  shares: [{ ...(smallWorld.shares[0] as Seed['shares'][number]), shareTime: loadedAt }],
})

/** A new share of a new file in Ann's space, for POST /__admin/world/shares. */
const newShare = { shareId: '1000000000000000011', shortUrl: '1000000000000000012', ownerId: 'ann', containerId: SPACES.ann, fileIds: ['Fnew'] }
const newFile = { fileId: 'Fnew', containerId: SPACES.ann, parentId: 'root', name: 'new.pdf', type: 'file' as const, size: 1000 }

t.test('GET /__admin/world: the default world as a seed document that checkSeed accepts', async (t) => {
  const { app } = await startTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/__admin/world' })
  t.equal(res.statusCode, 200)
  const seed = res.json<Seed>()
  t.doesNotThrow(() => checkSeed(seed))
  t.strictSame(seed, worldToSeed(app.emulator.world))
  t.strictSame(seed.users, DEFAULT_WORLD.users)
  t.strictSame(seed.spaces, DEFAULT_WORLD.spaces)
  t.strictSame(seed.files.map((file) => file.fileId), DEFAULT_WORLD.files.map((file) => file.fileId))
  t.strictSame(seed.shares.map((share) => share.shareId), DEFAULT_WORLD.shares.map((share) => share.shareId))
  t.ok(seed.files.every((file) => typeof file.size === 'number' && typeof file.recycled === 'boolean' && typeof file.editedTime === 'string'), 'every file with its size, recycled and editedTime')
})

t.test('GET then PUT /__admin/world is a round trip, a dump\'s copy (copiedFromId) included', async (t) => {
  const test = await startTestApp(t)
  const { app } = test
  const dumpId = await createTask(test, vendorExample)
  await advance(app, 3000)
  t.match((await taskDetail(test, dumpId, vendorExample.shareId)).json(), { jobInfo: { taskStatus: 2, taskResultCode: 1 } })
  const before = await getWorld(app)
  const copies = before.files.filter((file) => file.copiedFromId !== undefined)
  t.match(copies, [{ copiedFromId: vendorExample.fileIds[0], parentId: vendorExample.targetFileId.fileId, name: 'Quarterly report.pdf', size: 3276800 }])
  const usedBytes = app.emulator.world.spaces.get(SPACES.ann)?.usedBytes

  const res = await putWorld(app, before)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { ...DEFAULT_COUNTS, files: DEFAULT_COUNTS.files + 1 })
  t.strictSame(await getWorld(app), before, 'the same document back')
  t.equal(app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBytes, 'bytes used follow from the files')
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/tasks' })).json(), { total: 0, tasks: [] }, 'PUT clears the tasks')

  // The copy is still known as a copy: dumping the same file into the same folder again is refused.
  const again = await postApi(test, TASKS_URL, vendorExample)
  assertKooDriveError(t, again, 13000312, `File already in the target folder: ${vendorExample.fileIds[0]}`)
})

t.test('GET /__admin/world and /__admin/ready include a dump that completed by the clock, with nothing else read since', async (t) => {
  const test = await startTestApp(t)
  await createTask(test, vendorExample)
  await advance(test.app, 3000)
  const copies = (await getWorld(test.app)).files.filter((file) => file.copiedFromId !== undefined)
  t.equal(copies.length, 1, 'the copy is in the world document')
  t.strictSame(await counts(test.app), { ...DEFAULT_COUNTS, files: DEFAULT_COUNTS.files + 1 }, 'and counted')
})

t.test('PUT /__admin/world replaces the world: counts back, the new world serves, the old one is gone', async (t) => {
  const test = await startTestApp(t)
  const oldTask = await createTask(test, packageExample)
  const oldToken = await kdstokenFor(test, SHARES.contracts.shortUrl, SHARES.contracts.extractCode)
  const res = await putWorld(test.app, smallWorld)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { users: 1, spaces: 1, files: 1, shares: 1 })
  t.strictSame(await getWorld(test.app), smallWorldAsLoaded(NOW), 'times the seed leaves out are the time it was loaded')
  t.match((await getUserInfo(test, { shortUrl: '1000000000000000002' })).json(), { code: 0, link: { shareId: '1000000000000000001', ownerId: 'u1', ownerName: 'Ann' } })
  assertKooDriveError(t, await taskDetail(test, oldTask, packageExample.shareId), 13000309, `Resource not found: no task ${oldTask} (taskId) for user u1`)
  t.equal((await worldSeed(test)).shares.some((share) => share.shareId === SHARES.contracts.shareId), false, 'the default world\'s shares are gone')
  t.equal(test.app.emulator.kdstokens.problem(oldToken, SHARES.contracts.shareId, 'u1', START_MS), 'the kdstoken is not valid for this share and user', 'share tokens cleared')
})

t.test('PUT /__admin/world takes a "$schema" key (an editor\'s pointer to schemas/seed.schema.json) and ignores it; ready\'s seed is still the server\'s (a PUT is one namespace\'s world)', async (t) => {
  const test = await startTestApp(t)
  test.clock.advance(5000)
  const res = await putWorld(test.app, { $schema: './node_modules/koodrive-mock/schemas/seed.schema.json', ...smallWorld })
  t.equal(res.statusCode, 200)
  const later = new Date(START_MS + 5000).toISOString()
  t.strictSame(await getWorld(test.app), smallWorldAsLoaded(later), 'the world is the document\'s, and GET gives no $schema back')
  const ready = (await test.app.inject({ method: 'GET', url: '/__admin/ready' })).json<{ seed: unknown }>()
  t.strictSame(ready.seed, { source: 'default', watching: false, loadedAt: new Date(START_MS).toISOString(), version: 1 })
  assertKooDriveError(t, await putWorld(test.app, { $schema: 7, ...smallWorld }), PARAMETER_INVALID, 'Parameter invalid: $schema: expected string')
})

t.test('PUT /__admin/world in strict mode: only the new world exists', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  await putWorld(test.app, smallWorld)
  const asU1 = { authorization: 'Bearer t-ann', 'x-user-id': 'u1' }
  t.match((await getUserInfo(test, { shortUrl: '1000000000000000002' }, asU1)).json(), { code: 0 })
  assertKooDriveError(
    t,
    await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }, asU1),
    13000309,
    `Resource not found: no share has shortUrl ${SHARES.vendorExample.shortUrl}`,
  )
  const kdstoken = await kdstokenFor(test, '1000000000000000002', '31945314', asU1)
  t.match((await postApi(test, FILES_URL, { shortUrl: '1000000000000000002', kdstoken }, asU1)).json(), { code: 0 }, 'its files open with its access code')
})

t.test('PUT then reset: reset goes back to the world that was PUT', async (t) => {
  const test = await startTestApp(t)
  await putWorld(test.app, smallWorld)
  await addShare(test.app, { share: { ...newShare, ownerId: 'u1', containerId: 'IAAann1', fileIds: ['Fa'] } })
  t.strictSame(await counts(test.app), { users: 1, spaces: 1, files: 1, shares: 2 })
  const res = await test.app.inject({ method: 'POST', url: '/__admin/reset' })
  t.strictSame(res.json<{ world: unknown }>().world, { users: 1, spaces: 1, files: 1, shares: 1 })
  t.strictSame(await getWorld(test.app), smallWorldAsLoaded(NOW))
})

t.test('PUT /__admin/world refuses a bad world with 13000102 naming the entry, and keeps the world it has', async (t) => {
  const test = await startTestApp(t)
  const taskId = await createTask(test, packageExample)
  const before = await getWorld(test.app)
  const file = smallWorld.files[0] as Seed['files'][number]
  const share = smallWorld.shares[0] as Seed['shares'][number]
  const cases: [string, unknown, string][] = [
    ['not an object', [], 'the document: expected object'],
    ['a list missing', { users: [], spaces: [], files: [] }, 'shares: expected required property; shares: expected array'],
    ['an unknown field', { ...smallWorld, groups: [] }, 'groups: unexpected property'],
    ['a negative size', { ...smallWorld, files: [{ ...file, size: -1 }] }, 'files[0] (fileId "Fa").size: expected integer to be greater or equal to 0'],
    ['a date that is not in the calendar', { ...smallWorld, files: [{ ...file, editedTime: '2025-02-30T00:00:00Z' }] }, 'files[0] (fileId "Fa").editedTime: expected string to match \'date-time\' format'],
    ['a parent that is not there', { ...smallWorld, files: [{ ...file, parentId: 'Fnope' }] }, 'files[0] (fileId "Fa"): parentId "Fnope" is not a folder of space "IAAann1" (use "root" for top level)'],
    [
      'a duplicate userId',
      { ...smallWorld, users: [...smallWorld.users, { userId: 'u1', name: 'Other', tokens: [] }] },
      'users[1]: duplicate userId "u1"',
    ],
    [
      'a share of a file it does not have',
      { ...smallWorld, shares: [{ ...share, fileIds: ['Fzz'] }] },
      'shares[0] (shareId "1000000000000000001"): fileId "Fzz" is not a file of space "IAAann1"',
    ],
  ]
  for (const [name, seed, message] of cases) {
    t.test(`refuses ${name}`, async (t) => {
      assertKooDriveError(t, await putWorld(test.app, seed), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('the world and the tasks are as they were', async (t) => {
    t.strictSame(await getWorld(test.app), before)
    t.ok(await adminTask(test, taskId), 'a refused PUT clears nothing')
  })
})

t.test('PUT /__admin/world refuses a body that is not JSON with 13000101', async (t) => {
  const { app } = await startTestApp(t)
  assertKooDriveError(
    t,
    await app.inject({ method: 'PUT', url: '/__admin/world', headers: { 'content-type': 'application/json' }, payload: '{"users":' }),
    13000101,
    'Bad request: the request body is not valid JSON, or has a __proto__ or constructor.prototype key',
  )
})

t.test('POST /__admin/world/shares adds a share with its files to the live world: 201 with the counts', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const usedBefore = test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes as number
  const res = await addShare(test.app, { share: newShare, files: [newFile] })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), { ...DEFAULT_COUNTS, files: DEFAULT_COUNTS.files + 1, shares: DEFAULT_COUNTS.shares + 1 })
  t.equal(test.app.emulator.world.spaces.get(SPACES.ann)?.usedBytes, usedBefore + 1000, 'the file takes space in the existing space')

  const info = await getUserInfo(test, { shortUrl: newShare.shortUrl }, asUser('ann'))
  t.strictSame(info.json(), {
    code: 0,
    msg: 'Success',
    link: { shareId: newShare.shareId, shortUrl: newShare.shortUrl, shareTime: NOW, ownerId: 'ann', ownerName: 'Ann Lee', expireDate: '-1', status: 0 },
  })
  t.match((await postApi(test, FILES_URL, { shortUrl: newShare.shortUrl }, asUser('bob'))).json(), { code: 0, files: [{ id: 'Fnew', fileName: 'new.pdf', size: 1000 }] })
  const world = await getWorld(test.app)
  t.strictSame(world.shares.at(-1), { ...newShare, shareTime: NOW }, 'GET /__admin/world shows it')
  t.strictSame(world.files.at(-1), { ...newFile, recycled: false, editedTime: NOW })
})

t.test('POST /__admin/world/shares can share files the world already has', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await addShare(test.app, { share: { ...newShare, fileIds: vendorExample.fileIds, extractCode: 'abcd1234', expireTime: '2030-01-01T00:00:00Z', shareTime: '2026-01-01T00:00:00Z' } })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), { ...DEFAULT_COUNTS, shares: DEFAULT_COUNTS.shares + 1 })
  const kdstoken = await kdstokenFor(test, newShare.shortUrl, 'abcd1234', asUser('bob'))
  const created = await postApi(test, TASKS_URL, { ...packageExample, shareId: newShare.shareId, kdstoken }, asUser('bob'))
  t.equal(created.statusCode, 200, 'a task on the new share')
  t.match((await getUserInfo(test, { shortUrl: newShare.shortUrl }, asUser('bob'))).json(), {
    link: { shareTime: '2026-01-01T00:00:00.000Z', expireTime: '2030-01-01T00:00:00.000Z' },
  })
})

t.test('POST /__admin/world/shares adds the users and spaces a share needs', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await addShare(test.app, {
    users: [{ userId: 'dan', name: 'Dan Wu', tokens: ['dan-token'] }],
    spaces: [{ containerId: 'IAAdan1', ownerId: 'dan', capacityBytes: 1000000 }],
    files: [
      { fileId: 'Fdocs', containerId: 'IAAdan1', parentId: 'root', name: 'Docs', type: 'folder' },
      { fileId: 'Fdoc1', containerId: 'IAAdan1', parentId: 'Fdocs', name: 'one.txt', type: 'file', size: 10 },
    ],
    share: { ...newShare, ownerId: 'dan', containerId: 'IAAdan1', fileIds: ['Fdocs'] },
  })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), { users: 4, spaces: 4, files: DEFAULT_COUNTS.files + 2, shares: 8 })
  const asDan = { authorization: 'Bearer dan-token', 'x-user-id': 'dan' }
  t.match((await getUserInfo(test, { shortUrl: newShare.shortUrl }, asDan)).json(), { code: 0, link: { ownerId: 'dan', ownerName: 'Dan Wu' } }, 'the new user\'s token works in strict mode')
  const dump = { taskType: 2, containerId: 'IAAdan1', fileIds: ['Fdocs'], shareId: newShare.shareId, targetFileId: { fileId: 'root', containerId: SPACES.ann } }
  t.equal((await postApi(test, TASKS_URL, dump, asUser('ann'))).statusCode, 200, 'Ann can dump Dan\'s folder')
})

t.test('POST /__admin/world/shares refuses a clash or a dangling reference with 13000102 and adds nothing', async (t) => {
  const test = await startTestApp(t)
  const before = await getWorld(test.app)
  const cases: [string, unknown, string][] = [
    ['a shareId the world has', { share: { ...newShare, shareId: SHARES.vendorExample.shareId, fileIds: vendorExample.fileIds } }, `share: duplicate shareId "${SHARES.vendorExample.shareId}"`],
    ['a shortUrl the world has', { share: { ...newShare, shortUrl: SHARES.vendorExample.shortUrl }, files: [newFile] }, `share: duplicate shortUrl "${SHARES.vendorExample.shortUrl}"`],
    [
      'a fileId the world has',
      { share: { ...newShare, fileIds: vendorExample.fileIds }, files: [{ ...newFile, fileId: vendorExample.fileIds[0] }] },
      `files[0]: duplicate fileId "${vendorExample.fileIds[0]}"`,
    ],
    ['a user the world has', { share: newShare, files: [newFile], users: [{ userId: 'ann', name: 'Ann again', tokens: [] }] }, 'users[0]: duplicate userId "ann"'],
    ['a token the world has', { share: newShare, files: [newFile], users: [{ userId: 'dan', name: 'Dan', tokens: ['ann-token'] }] }, 'users[0]: duplicate token "ann-token"'],
    ['a space the world has', { share: newShare, files: [newFile], spaces: [{ containerId: SPACES.ann, ownerId: 'ann', capacityBytes: 1 }] }, `spaces[0]: duplicate containerId "${SPACES.ann}"`],
    ['a file it does not send', { share: newShare }, `share (shareId "${newShare.shareId}"): fileId "Fnew" is not a file of space "${SPACES.ann}"`],
    ['an owner who is not a user', { share: { ...newShare, ownerId: 'zed' }, files: [newFile] }, `share (shareId "${newShare.shareId}"): ownerId "zed" is not a user`],
    [
      'a file in a space that is not there',
      { share: { ...newShare, containerId: 'IAAnone' }, files: [{ ...newFile, containerId: 'IAAnone' }] },
      `files[0] (fileId "Fnew"): containerId "IAAnone" is not a space; share (shareId "${newShare.shareId}"): containerId "IAAnone" is not a space`,
    ],
    [
      'a file whose parent is not there',
      { share: newShare, files: [{ ...newFile, parentId: 'Fnope' }] },
      `files[0] (fileId "Fnew"): parentId "Fnope" is not a folder of space "${SPACES.ann}" (use "root" for top level)`,
    ],
  ]
  for (const [name, body, message] of cases) {
    t.test(`refuses ${name}`, async (t) => {
      assertKooDriveError(t, await addShare(test.app, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('the world is as it was', async (t) => {
    t.strictSame(await getWorld(test.app), before)
  })
})

t.test('POST /__admin/world/shares names the body\'s own entry when it refuses one', async (t) => {
  const { app } = await startTestApp(t)
  const res = await addShare(app, { share: { ...newShare, shareId: SHARES.vendorExample.shareId, fileIds: vendorExample.fileIds } })
  t.match(res.json<{ msg: string }>().msg, /^Parameter invalid: share\b/, 'the message names `share`, the field the body has')
})

t.test('POST /__admin/world/shares refuses a body of the wrong shape, naming the field', async (t) => {
  const { app } = await startTestApp(t)
  const before = await counts(app)
  const cases: [string, unknown, string][] = [
    ['no share', {}, 'share: expected required property; share: expected object'],
    ['only files', { files: [newFile] }, 'share: expected required property; share: expected object'],
    ['not an object', [], 'body: expected object'],
    ['an unknown field', { share: newShare, files: [newFile], folders: [] }, 'folders: unexpected property'],
    ['a bad extract code', { share: { ...newShare, extractCode: 'short' }, files: [newFile] }, 'share.extractCode: expected string to match \'^[0-9a-zA-Z]{8}$\''],
    ['a share of no files', { share: { ...newShare, fileIds: [] } }, 'share.fileIds: expected array length to be greater or equal to 1'],
    ['a bad file type', { share: newShare, files: [{ ...newFile, type: 'dir' }] }, 'files[0].type: expected union value'],
  ]
  for (const [name, body, message] of cases) {
    t.test(`refuses ${name}`, async (t) => {
      assertKooDriveError(t, await addShare(app, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
  t.test('nothing was added', async (t) => {
    t.strictSame(await counts(app), before)
  })
})

t.test('a share added at run time is not part of the seed: reset removes it', async (t) => {
  const { app } = await startTestApp(t)
  await addShare(app, { share: newShare, files: [newFile] })
  await app.inject({ method: 'POST', url: '/__admin/reset' })
  t.strictSame(await counts(app), DEFAULT_COUNTS)
  t.notOk((await worldSeed({ app })).shares.some((share) => share.shareId === newShare.shareId))
})
