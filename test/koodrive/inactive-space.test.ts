import t from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { startTestApp } from '../helpers/app.js'
import { DOWNLOAD_URL, FILES_URL, getUserInfo, postApi, TASKS_URL, vendorExample, VERIFY_URL } from '../helpers/requests.js'
import { idOf, SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'
import { taskCount } from '../helpers/admin.js'

const SPACE_NOT_ACTIVE = 13000412

/** The default world with Bob's and Carol's spaces inactive, put in through the admin API. */
const inactiveWorld = {
  ...DEFAULT_WORLD,
  spaces: DEFAULT_WORLD.spaces.map((space) => (space.containerId === SPACES.bob || space.containerId === SPACES.carol ? { ...space, active: false } : space)),
}

for (const mode of ['lenient', 'strict']) {
  t.test(`${mode}: a seeded space can be inactive; listing, downloading and tasks on its files are 13000412`, async (t) => {
    const test = await startTestApp(t, { env: { MOCK_WORLD: mode } })
    const put = await test.app.inject({ method: 'PUT', url: '/__admin/world', payload: inactiveWorld })
    t.equal(put.statusCode, 200)
    const bob = { authorization: 'Bearer bob-token', 'x-user-id': 'bob' }
    const kit = SHARES.launchKit
    const notActive = `Space not active: the share's space ${kit.containerId}`
    assertKooDriveError(t, await postApi(test, FILES_URL, { shortUrl: kit.shortUrl }, bob), SPACE_NOT_ACTIVE, notActive)
    assertKooDriveError(t, await postApi(test, DOWNLOAD_URL, { shareId: kit.shareId, fileId: idOf('README.txt') }, bob), SPACE_NOT_ACTIVE, notActive)
    const zip = { taskType: 1, containerId: kit.containerId, fileIds: [idOf('README.txt')], shareId: kit.shareId, zipName: 'kit.zip' }
    assertKooDriveError(t, await postApi(test, TASKS_URL, zip, bob), SPACE_NOT_ACTIVE, notActive)
    t.equal(await taskCount(test), 0, 'no task made')

    // What only describes the share still answers: the link, and its access code if it had one.
    t.equal((await getUserInfo(test, { shortUrl: kit.shortUrl }, bob)).statusCode, 200, 'userInfo still answers')
    t.equal((await postApi(test, VERIFY_URL, { shortUrl: kit.shortUrl, extractCode: 'anything' }, bob)).statusCode, 200, 'verify still answers')
  })

  t.test(`${mode}: a dump into an inactive space is 13000412 naming targetFileId.containerId`, async (t) => {
    const test = await startTestApp(t, { env: { MOCK_WORLD: mode } })
    await test.app.inject({ method: 'PUT', url: '/__admin/world', payload: inactiveWorld })
    const carol = { authorization: 'Bearer carol-token', 'x-user-id': 'carol' }
    const res = await postApi(test, TASKS_URL, { ...vendorExample, targetFileId: { fileId: 'root', containerId: SPACES.carol } }, carol)
    assertKooDriveError(t, res, SPACE_NOT_ACTIVE, `Space not active: targetFileId.containerId ${SPACES.carol}`)
    t.equal(await taskCount(test), 0)
    const world = await test.app.inject({ method: 'GET', url: '/__admin/world' })
    t.strictSame(
      (world.json() as { spaces: { containerId: string; active?: boolean }[] }).spaces.filter((space) => space.active === false).map((space) => space.containerId),
      [SPACES.bob, SPACES.carol],
      'GET /__admin/world shows them inactive',
    )
  })
}
