import t from 'tap'
import { createKooDriveClient, signRequest, startMockServer, type MockServer } from '../../src/index.js'
import { packageExample } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { validateResponses } from '../support/response-validation.js'

async function mockServer(t: import('tap').Test, env: Record<string, string> = {}): Promise<MockServer> {
  const mock = await startMockServer({ env: { MOCK_WORLD: 'strict', ...env } }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  return mock
}

t.test("Node's fetch, signed with signRequest, over a real socket: X-Date made now, Host from the URL", async (t) => {
  const mock = await mockServer(t)
  const url = `${mock.url}/koodrive/ose/v1/share/tasks`
  const body = JSON.stringify(packageExample)
  const headers = { 'x-user-id': 'ann', 'x-hw-agentname': 'my-carrier', 'content-type': 'application/json' }
  const signed = signRequest({ method: 'POST', url, headers, body, appId: 'ann-app', appSecret: 'ann-app-secret' })
  t.match(signed, { authorization: /^HMAC-SHA256 AppId=ann-app,SignedHeaders=host;x-date;x-user-id,Signature=[0-9a-f]{64}$/, 'x-date': /^\d{8}T\d{6}Z$/ })
  const res = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body, signal: AbortSignal.timeout(5000) })
  t.equal(res.status, 200)
  const { taskId } = (await res.json()) as { taskId: string }
  t.match(taskId, /^\d{19}$/)
  const [task] = await mock.admin.tasks.list()
  t.equal(task?.userId, 'ann', 'the task is the app\'s user\'s')

  const query = `${mock.url}/koodrive/ose/v1/share/userInfo?shortUrl=${SHARES.vendorExample.shortUrl}`
  const get = signRequest({ method: 'GET', url: query, headers: { 'X-User-Id': 'bob', 'X-Hw-Agentname': 'my-carrier' }, appId: 'bob-app', appSecret: 'bob-app-secret' })
  const info = await fetch(query, { headers: { 'X-User-Id': 'bob', 'X-Hw-Agentname': 'my-carrier', ...get }, signal: AbortSignal.timeout(5000) })
  t.equal(info.status, 200, 'a GET, header names in any case')

  const wrong = signRequest({ method: 'POST', url, headers, body, appId: 'ann-app', appSecret: 'guessed' })
  const refused = await fetch(url, { method: 'POST', headers: { ...headers, ...wrong }, body, signal: AbortSignal.timeout(5000) })
  t.equal(refused.status, 401)
  const envelope = (await refused.json()) as { error_code: string; error_msg: string }
  t.equal(envelope.error_code, 'APIGW.0303')
  t.match(envelope.error_msg, `The canonical request the emulator computed:\nPOST\n/koodrive/ose/v1/share/tasks/\n\nhost:${new URL(mock.url).host}\nx-date:${wrong['x-date']}\nx-user-id:ann\n\nhost;x-date;x-user-id\n`)
})

t.test('the typed client signs every call with an app: a task polled to completion, a wrong secret refused in its envelope', async (t) => {
  const mock = await mockServer(t)
  const kd = createKooDriveClient({ baseUrl: mock.url, userId: 'ann', app: { appId: 'ann-app', appSecret: 'ann-app-secret' } })
  const { data: created, error } = await kd.POST('/koodrive/ose/v1/share/tasks', { body: { ...packageExample, taskType: 1 } })
  t.equal(error, undefined)
  await mock.admin.clock.advance(3_000)
  const { data: detail } = await kd.POST('/koodrive/ose/v1/share/taskDetail', { body: { taskId: created?.taskId as string, shareId: packageExample.shareId } })
  t.equal(detail?.jobInfo.taskStatus, 2)
  const info = await kd.GET('/koodrive/ose/v1/share/userInfo', { params: { query: { shortUrl: SHARES.vendorExample.shortUrl } } })
  t.equal(info.response.status, 200, 'a GET with a query')
  const [sent] = (await mock.admin.requests.list({ operation: 'createShareTask' })) as { headers: Record<string, string> }[]
  t.match(sent?.headers, { authorization: '[Redacted]', 'x-user-id': 'ann' })

  const guessed = createKooDriveClient({ baseUrl: mock.url, userId: 'ann', app: { appId: 'ann-app', appSecret: 'guessed' } })
  const refused = await guessed.POST('/koodrive/ose/v1/share/tasks', { body: { ...packageExample, taskType: 1 } })
  t.equal(refused.response.status, 401)
  t.match(refused.error, { error_code: 'APIGW.0303', error_msg: /verify signature fail/ })
  const own = await guessed.GET('/koodrive/ose/v1/share/userInfo', { params: { query: { shortUrl: SHARES.vendorExample.shortUrl } }, headers: { Authorization: 'Bearer ann-token' } })
  t.equal(own.response.status, 200, "a call's own Authorization is sent as it is, unsigned")
})
