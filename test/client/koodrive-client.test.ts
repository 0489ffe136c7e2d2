import { readFileSync } from 'node:fs'
import t from 'tap'
import { openApiTypes } from '../../scripts/openapi-types.js'
import { createKooDriveClient, startMockServer, type MockServer } from '../../src/index.js'
import { formatXDate } from '../../src/koodrive/x-date.js'
import { packageExample, vendorExample } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { validateResponses } from '../support/response-validation.js'

async function mockServer(t: import('tap').Test, env: Record<string, string> = {}): Promise<MockServer> {
  const mock = await startMockServer({ env }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  return mock
}

t.test('src/client/openapi-types.ts is what openapi-typescript makes of schemas/openapi.json (run npm run openapi)', async (t) => {
  const document = JSON.parse(readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>
  t.equal(await openApiTypes(document), readFileSync(new URL('../../src/client/openapi-types.ts', import.meta.url), 'utf8'))
})

t.test('the client fills in the headers: a package download, polled to completion, as Ann (strict mode: her token is checked)', async (t) => {
  const mock = await mockServer(t, { MOCK_WORLD: 'strict' })
  const kd = createKooDriveClient({ baseUrl: `${mock.url}/`, token: 'ann-token', userId: 'ann' })
  const { data: created, error } = await kd.POST('/koodrive/ose/v1/share/tasks', { body: { ...packageExample, taskType: 1 } })
  t.equal(error, undefined)
  t.match(created?.taskId, /^[1-9][0-9]{18}$/)
  await mock.admin.clock.advance(3_000)
  const { data: detail, response } = await kd.POST('/koodrive/ose/v1/share/taskDetail', { body: { taskId: created?.taskId as string, shareId: packageExample.shareId } })
  t.equal(detail?.jobInfo.taskStatus, 2, 'completed')
  t.match(detail?.jobInfo.downloadUrl, /\/obs\/koodrive-share\/packages\//)
  t.match(response.headers.get('x-request-id'), REQUEST_ID_PATTERN)
  const [sent] = (await mock.admin.requests.list({ operation: 'createShareTask' })) as { headers: Record<string, string> }[]
  t.match(sent?.headers, { 'x-user-id': 'ann', 'x-hw-agentname': 'koodrive-mock-client' })
  t.match(sent?.headers['x-date'], /^\d{8}T\d{6}Z$/)
})

t.test('headers the call gives win over the filled-in ones; errors come typed in their envelope', async (t) => {
  const mock = await mockServer(t)
  const signedAt = Date.UTC(2020, 0, 1)
  const kd = createKooDriveClient({ baseUrl: mock.url, token: 'ann-token', userId: 'ann', agentName: 'my-carrier', now: () => signedAt })
  const stale = await kd.GET('/koodrive/ose/v1/share/userInfo', { params: { query: { shortUrl: SHARES.vendorExample.shortUrl } } })
  t.equal(stale.response.status, 401)
  t.match(stale.error, { error_code: 'APIGW.0303', error_msg: /signature expired, signature time:20200101T000000Z/ }, 'X-Date is the `now` given')
  const fresh = await kd.GET('/koodrive/ose/v1/share/userInfo', {
    params: { query: { shortUrl: SHARES.vendorExample.shortUrl }, header: { 'X-Date': formatXDate(Date.now()) } },
  })
  t.equal(fresh.data?.link.shareId, SHARES.vendorExample.shareId)
  const bad = await kd.POST('/koodrive/ose/v1/share/tasks', { body: { ...vendorExample, taskType: 2, fileIds: [] }, params: { header: { 'X-Date': formatXDate(Date.now()) } } })
  t.strictSame(bad.error, { code: 13000102, msg: 'Parameter invalid: fileIds must have at least 1 item' })
})
