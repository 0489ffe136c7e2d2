import { request } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { localUrlOf } from '../src/public-url.js'
import { listenLocally, startTestApp, type TestApp } from './helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL } from './helpers/requests.js'


/** The download URL share/download hands out for a request with these extra headers, as `origin + path`. */
async function downloadBase(test: TestApp, headers: Record<string, string>): Promise<string> {
  const created = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(test.clock.now()), payload: packageExample })
  const { taskId } = created.json() as { taskId: string }
  await test.app.inject({ method: 'POST', url: `/__admin/tasks/${taskId}`, payload: { action: 'complete' } })
  const detail = await test.app.inject({
    method: 'POST',
    url: '/koodrive/ose/v1/share/taskDetail',
    headers: { ...carrierHeaders(test.clock.now()), ...headers },
    payload: { taskId, shareId: packageExample.shareId },
  })
  const url = (detail.json() as { jobInfo: { downloadUrl: string } }).jobInfo.downloadUrl
  return url.slice(0, url.indexOf('/obs/'))
}

t.test('localUrlOf: a wildcard address is reached as localhost, an IPv6 address in brackets', async (t) => {
  t.equal(localUrlOf('127.0.0.1', 3000), 'http://127.0.0.1:3000')
  t.equal(localUrlOf('0.0.0.0', 80), 'http://localhost:80')
  t.equal(localUrlOf('::', 3000), 'http://localhost:3000')
  t.equal(localUrlOf('::1', 3000), 'http://[::1]:3000')
  t.equal(localUrlOf('[::1]', 3000), 'http://[::1]:3000')
})

t.test('without MOCK_PUBLIC_URL a download URL names the address the request was sent to', async (t) => {
  const test = await startTestApp(t)
  t.equal(await downloadBase(test, { host: 'localhost:8080' }), 'http://localhost:8080', 'a -p 8080:3000 mapping')
  t.equal(await downloadBase(test, { host: 'koodrive-mock:3000' }), 'http://koodrive-mock:3000', 'a compose service name')
  t.equal(await downloadBase(test, { host: 'my_mock.internal' }), 'http://my_mock.internal', 'no port, an underscore')
  t.equal(await downloadBase(test, { host: '[::1]:9000' }), 'http://[::1]:9000')
  t.equal(await downloadBase(test, { host: '10.0.0.5:65535' }), 'http://10.0.0.5:65535')
})

t.test('behind a proxy X-Forwarded-Host and X-Forwarded-Proto win; their first value, as a chain appends', async (t) => {
  const test = await startTestApp(t)
  t.equal(await downloadBase(test, { host: '127.0.0.1:3000', 'x-forwarded-host': 'mock.example.test, inner:1', 'x-forwarded-proto': 'HTTPS, http' }), 'https://mock.example.test')
  t.equal(await downloadBase(test, { host: 'localhost:8080', 'x-forwarded-proto': 'https' }), 'https://localhost:8080')
  t.equal(await downloadBase(test, { host: 'localhost:8080', 'x-forwarded-proto': 'gopher' }), 'http://localhost:8080', 'only http or https')
  t.equal(await downloadBase(test, { host: 'localhost:8080', 'x-forwarded-host': 'evil.test/x?' }), 'http://localhost:8080', 'a bad forwarded host falls back to Host')
})

t.test('a Host that is not a plain authority cannot reshape the URL: the listening address is used', async (t) => {
  const test = await startTestApp(t)
  for (const host of ['evil.test/steal?', 'user@evil.test', 'a b', 'evil.test#', 'x:99999', 'x:', '-bad.test', '[::1']) {
    t.equal(await downloadBase(test, { host }), 'http://127.0.0.1:3000', JSON.stringify(host))
  }
})

t.test('MOCK_PUBLIC_URL, when set, wins over every header', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_PUBLIC_URL: 'https://drive.example.test/' } })
  t.equal(await downloadBase(test, { host: 'localhost:8080', 'x-forwarded-host': 'proxy.test' }), 'https://drive.example.test')
})

t.test('over a real socket: the Host a client sends is the one its download URL names, and the URL serves', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_TASK_DURATION_MS: '0' } })
  const { port } = await listenLocally(test)
  const headers = carrierHeaders(test.clock.now(), { authorization: 'Bearer t', 'x-user-id': 'u1' })
  const post = (path: string, body: unknown, host: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, host } }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve(text))
      })
      req.on('error', reject)
      req.end(JSON.stringify(body))
    })
  const { taskId } = JSON.parse(await post(TASKS_URL, packageExample, `127.0.0.1:${port}`)) as { taskId: string }
  const detail = JSON.parse(await post('/koodrive/ose/v1/share/taskDetail', { taskId, shareId: packageExample.shareId }, 'localhost:8080')) as { jobInfo: { downloadUrl: string } }
  const url = new URL(detail.jobInfo.downloadUrl)
  t.equal(url.host, 'localhost:8080', 'what a -p 8080:3000 mapping gives a client')
  // The signature does not cover the host: the same URL fetched on the real port serves the zip.
  const zip = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`)
  t.equal(zip.status, 200)
  t.equal(zip.headers.get('content-type'), 'application/zip')
  await zip.arrayBuffer()

  // HTTP/1.0 without a Host header: the listening address, as before.
  const socket = connect(port, '127.0.0.1')
  const body = JSON.stringify({ taskId, shareId: packageExample.shareId })
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  socket.end(`POST /koodrive/ose/v1/share/taskDetail HTTP/1.0\r\n${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  let answer = ''
  for await (const chunk of socket) answer += (chunk as Buffer).toString()
  // (This app's config says PORT 3000; it was made to listen on a free port instead.)
  t.match(answer, '"downloadUrl":"http://127.0.0.1:3000/obs/', 'no Host: the configured HOST:PORT')
})
