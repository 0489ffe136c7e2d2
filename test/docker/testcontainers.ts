// The testcontainers module against a real engine: run by .ci/docker-check.sh after it builds the
// image (KDM_IMAGE), with TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
// (the engine there has no default bridge: the container joins a network this test creates).
// Not part of `npm test`, which runs without Docker.
import t from 'tap'
import { Network } from 'testcontainers'
import type { Seed } from '../../schemas/seed.js'
import { AdminApiError, AdminClient } from '../../src/testing/admin-client.js'
import { KooDriveMockContainer } from '../../src/testing/testcontainers.js'
import { carrierHeaders } from '../helpers/requests.js'

const IMAGE = process.env.KDM_IMAGE ?? 'koodrive-mock:local'

const world: Seed = {
  users: [{ userId: 'u1', name: 'Ann', tokens: ['t-ann'] }],
  spaces: [{ containerId: 'IAAann1', ownerId: 'u1', capacityBytes: 10_737_418_240 }],
  files: [{ fileId: 'Fa', containerId: 'IAAann1', parentId: 'root', name: 'a.pdf', type: 'file', size: 1024, recycled: false }],
  shares: [{ shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'u1', containerId: 'IAAann1', fileIds: ['Fa'] }],
}

t.test('KooDriveMockContainer: seeded, faulted, waited for, reached through getBaseUrl and getAdminClient', { timeout: 120_000 }, async (t) => {
  const network = await new Network().start()
  t.teardown(() => network.stop())
  const startedAt = performance.now()
  const mock = await new KooDriveMockContainer(IMAGE)
    .withNetwork(network)
    .withSeed(world)
    .withFaults([{ id: 'warm-up', operation: 'createShareTask', first: 1, error: 'APIGW.0308', retryAfterS: 1 }])
    .withEnvironment({ MOCK_WORLD: 'strict', MOCK_CLOCK: 'manual', MOCK_ADMIN_TOKEN: 'tc-admin' })
    .start()
  t.teardown(() => mock.stop())
  t.comment(`started and healthy in ${Math.round(performance.now() - startedAt)} ms`)

  t.match(mock.getBaseUrl(), /^http:\/\/127\.0\.0\.1:\d+$/)
  const admin = mock.getAdminClient()
  t.match(await admin.ready(), { status: 'ready', world: { users: 1, spaces: 1, files: 1, shares: 1 } }, 'the seeded world, not the default one')
  t.match(await admin.faults.list(), [{ id: 'warm-up', matched: 0, fired: 0 }])

  const create = () =>
    fetch(`${mock.getBaseUrl()}/koodrive/ose/v1/share/tasks`, {
      method: 'POST',
      headers: carrierHeaders(Date.now(), { authorization: 'Bearer t-ann', 'x-user-id': 'u1' }),
      body: JSON.stringify({ taskType: 1, containerId: 'IAAann1', fileIds: ['Fa'], shareId: '1000000000000000001', zipName: 'a.zip' }),
    })
  const throttled = await create()
  t.equal(throttled.status, 429, 'the rule given to withFaults fires first')
  t.equal(throttled.headers.get('retry-after'), '1')
  t.equal((await create()).status, 200)
  t.equal(await admin.requests.count({ operation: 'createShareTask' }), 2)

  // One container for parallel workers: getAdminClient(namespace) acts on that namespace only.
  const worker = mock.getAdminClient('worker-1')
  const inWorker = await fetch(`${mock.getBaseUrl()}/koodrive/ose/v1/share/tasks`, {
    method: 'POST',
    headers: { ...carrierHeaders(Date.now(), { authorization: 'Bearer t-ann', 'x-user-id': 'u1' }), 'x-mock-namespace': 'worker-1' },
    body: JSON.stringify({ taskType: 1, containerId: 'IAAann1', fileIds: ['Fa'], shareId: '1000000000000000001', zipName: 'a.zip' }),
  })
  t.equal(inWorker.status, 429, "worker-1 meets MOCK_FAULTS' rule on its own first create (its own counter)")
  t.equal(await worker.requests.count({ operation: 'createShareTask' }), 1, "worker-1's journal has its call")
  t.equal(await admin.requests.count({ operation: 'createShareTask' }), 2, "default's is as it was")
  t.same((await admin.namespaces.list()).map((namespace) => namespace.name), ['default', 'worker-1'])

  const anonymous = await new AdminClient(mock.getBaseUrl()).faults.list().catch((error: unknown) => error)
  t.ok(anonymous instanceof AdminApiError && anonymous.status === 401, 'the token given with withEnvironment is what getAdminClient sends')
})
