import { TypeCompiler } from '@sinclair/typebox/compiler'
import { once } from 'node:events'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ChangeEventSchema } from '../../schemas/dashboard.js'
import { startMockServer, type MockServer } from '../../src/index.js'
import { carrierHeaders, packageExample, TASKS_URL } from '../helpers/requests.js'
import { REQUEST_ID_PATTERN } from '../helpers/envelopes.js'
import { validateResponses } from '../support/response-validation.js'

const checkChange = TypeCompiler.Compile(ChangeEventSchema)

/** Rejects after `ms`: every wait on a real socket is bounded. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}

interface ServerEvent {
  event: string
  topics: string[]
}

/** A client of GET /__admin/events on a real socket, as the page reads it: fetch, then the body. */
class EventClient {
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  readonly #decoder = new TextDecoder()
  #buffer = ''

  private constructor(readonly response: Response) {}

  /** Left open: the server's close ends it (aborting a fetch makes undici open a spare socket that holds a close for a minute). */
  static async open(mock: MockServer, headers: Record<string, string> = {}): Promise<EventClient> {
    return new EventClient(await within(fetch(`${mock.url}/__admin/events`, { headers }), 5_000, 'the event stream\'s headers'))
  }

  /** The next block: an event with its topics, or a comment. */
  async nextBlock(): Promise<string | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n')
      if (end !== -1) {
        const block = this.#buffer.slice(0, end)
        this.#buffer = this.#buffer.slice(end + 2)
        return block
      }
      this.#reader ??= (this.response.body as ReadableStream<Uint8Array>).getReader()
      const { value, done } = await within(this.#reader.read(), 5_000, 'the next event')
      if (done) return undefined
      this.#buffer += this.#decoder.decode(value, { stream: true })
    }
  }

  /** The next event (`retry:` lines and comments skipped), its data checked against the schema. */
  async next(): Promise<ServerEvent> {
    for (;;) {
      const block = await this.nextBlock()
      if (block === undefined) throw new Error('the stream ended')
      const event = /^event: (.+)$/m.exec(block)?.[1]
      const data = /^data: (.+)$/m.exec(block)?.[1]
      if (event === undefined || data === undefined) continue
      const parsed: unknown = JSON.parse(data)
      if (!checkChange.Check(parsed)) throw new Error(`not a change event: ${data}`)
      return { event, topics: [...parsed.topics].sort() }
    }
  }
}

async function started(t: import('tap').Test, env: Record<string, string> = {}): Promise<MockServer> {
  const mock = await startMockServer({ env }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  return mock
}

const createTask = (mock: MockServer, headers: Record<string, string> = {}) =>
  fetch(`${mock.url}${TASKS_URL}`, { method: 'POST', headers: { ...carrierHeaders(Date.now()), ...headers }, body: JSON.stringify(packageExample) })

t.test('GET / sends a browser to the dashboard and tells any other client where it is, in the gateway\'s envelope', async (t) => {
  const mock = await started(t)
  const browser = await fetch(`${mock.url}/`, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(browser.status, 302)
  t.equal(browser.headers.get('location'), '/__admin/')
  t.equal(browser.headers.get('vary'), 'Accept', 'a cache keeps the two answers apart')
  const curl = await fetch(`${mock.url}/`, { headers: { accept: '*/*' } })
  t.equal(curl.status, 404)
  t.strictSame(await curl.json(), {
    error_code: 'APIGW.0101',
    error_msg: 'The API does not exist or has not been published in the environment: GET / is no API; the dashboard is at /__admin/ and the API docs at /__admin/docs',
    request_id: curl.headers.get('x-request-id'),
  })
  t.match(curl.headers.get('x-request-id'), REQUEST_ID_PATTERN)
  const followed = await fetch(`${mock.url}/`, { headers: { accept: 'text/html' } })
  t.equal(followed.url, `${mock.url}/__admin/`, 'a client that follows redirects lands on the page')
  t.match(await followed.text(), /<title>koodrive-mock dashboard<\/title>/)
  const bare = await fetch(`${mock.url}/__admin`, { redirect: 'manual' })
  t.equal(bare.status, 302)
  t.equal(bare.headers.get('location'), '/__admin/', '/__admin without its slash goes to the page too')
})

t.test('the page and every file it loads come from the emulator, each with its type and a policy that forbids any other origin', async (t) => {
  const mock = await started(t)
  const page = await fetch(`${mock.url}/__admin/`)
  t.equal(page.status, 200)
  t.equal(page.headers.get('content-type'), 'text/html; charset=utf-8')
  t.match(page.headers.get('content-security-policy'), /^default-src 'self'; script-src 'self';/)
  t.equal(page.headers.get('x-content-type-options'), 'nosniff')
  const html = await page.text()
  const linked = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((match) => match[1] as string)
  t.ok(linked.length >= 3, 'the page links its script, style sheet and icon')
  t.strictSame(linked.filter((url) => !url.startsWith('/')), [], 'no URL in the page names another host')
  // Every module the page imports, followed from main.js: all served, none from elsewhere.
  const seen = new Set<string>()
  const queue = linked.filter((url) => url.startsWith('/__admin/dashboard/'))
  while (queue.length > 0) {
    const url = queue.pop() as string
    if (seen.has(url)) continue
    seen.add(url)
    const asset = await fetch(`${mock.url}${url}`)
    t.equal(asset.status, 200, `${url} is served`)
    const body = await asset.text()
    if (url.endsWith('.js')) {
      t.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8', `${url} is a script`)
      for (const match of body.matchAll(/^import .* from '([^']+)'$/gm)) {
        const target = match[1] as string
        t.ok(target.startsWith('./'), `${url} imports ${target} from beside itself`)
        queue.push(new URL(target, `http://x${url}`).pathname)
      }
      t.notMatch(body, /https?:\/\//, `${url} names no other host`)
    }
    if (url.endsWith('.css')) t.equal(asset.headers.get('content-type'), 'text/css; charset=utf-8')
    if (url.endsWith('.svg')) t.equal(asset.headers.get('content-type'), 'image/svg+xml')
  }
  t.ok(seen.size >= 10, `${seen.size} files followed from the page`)
  const head = await fetch(`${mock.url}/__admin/dashboard/main.js`, { method: 'HEAD' })
  t.equal(head.status, 200)
  t.equal(head.headers.get('content-length'), String(Buffer.byteLength(await (await fetch(`${mock.url}/__admin/dashboard/main.js`)).text())), 'HEAD announces the length GET sends')
})

t.test('an unknown file of the page is the gateway\'s 404, never a path out of the folder', async (t) => {
  const mock = await started(t)
  const names: [string, string][] = [['nope.js', 'nope.js'], ['..%2Fassets.ts', '../assets.ts'], ['%2E%2E%2F%2E%2E%2Fapp.ts', '../../app.ts']]
  for (const [name, shown] of names) {
    const res = await fetch(`${mock.url}/__admin/dashboard/${name}`)
    t.equal(res.status, 404, name)
    t.strictSame(await res.json(), {
      error_code: 'APIGW.0101',
      error_msg: `The API does not exist or has not been published in the environment: GET /__admin/dashboard/${shown}: the dashboard has no such file`,
      request_id: res.headers.get('x-request-id'),
    })
  }
})

t.test('the event stream: ready first, then one change event per burst naming what changed', async (t) => {
  const mock = await started(t)
  const events = await EventClient.open(mock)
  t.equal(events.response.status, 200)
  t.equal(events.response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.equal(events.response.headers.get('cache-control'), 'no-cache')
  t.equal(events.response.headers.get('x-accel-buffering'), 'no')
  t.equal(await events.nextBlock(), 'retry: 2000', 'the browser\'s reconnect delay comes first')
  t.strictSame(await events.next(), { event: 'ready', topics: ['clock', 'faults', 'requests', 'tasks', 'world'] })

  t.equal((await createTask(mock)).status, 200)
  t.strictSame(await events.next(), { event: 'change', topics: ['faults', 'requests', 'tasks', 'world'] }, 'a created task')

  // Reads and refusals change nothing: the next event is the clock's alone.
  await mock.admin.tasks.list()
  const refused = await fetch(`${mock.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"latencyMs":-1}' })
  t.equal(refused.status, 400)
  await mock.admin.clock.advance(1_000)
  t.strictSame(await events.next(), { event: 'change', topics: ['clock', 'tasks', 'world'] }, 'the clock moved')

  await mock.admin.faults.add({ id: 'drop', operation: 'getShareUserInfo', connection: 'reset' })
  t.strictSame(await events.next(), { event: 'change', topics: ['faults'] })
  const dropped = await fetch(`${mock.url}/koodrive/ose/v1/share/userInfo?shortUrl=1822239307136816339`, { headers: carrierHeaders(Date.now()) }).catch((error: Error) => error)
  t.type(dropped, Error, 'the connection was reset')
  t.strictSame(await events.next(), { event: 'change', topics: ['faults', 'requests', 'world'] }, 'a request a connection fault left unanswered is news too')

  await mock.admin.reset()
  t.strictSame(await events.next(), { event: 'change', topics: ['clock', 'faults', 'requests', 'tasks', 'world'] }, 'a reset changes everything')
})

t.test('a seed file that reloads is news too: its world and the tasks it cleared', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'koodrive-dashboard-seed-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const file = join(folder, 'world.json')
  copyFileSync(fileURLToPath(new URL('../fixtures/seed-valid.json', import.meta.url)), file)
  const mock = await started(t, { MOCK_SEED_FILE: file })
  const events = await EventClient.open(mock)
  await events.next()
  rmSync(file)
  await mock.app.reloadSeed()
  t.strictSame(await events.next(), { event: 'change', topics: ['tasks', 'world'] })
})

t.test('a burst of requests is one event, not one per request', async (t) => {
  const mock = await started(t)
  const events = await EventClient.open(mock)
  await events.next()
  const answers = await Promise.all(Array.from({ length: 20 }, () => createTask(mock)))
  t.strictSame(answers.map((answer) => answer.status), Array(20).fill(200))
  await mock.admin.clock.advance(1)
  const burst = [await events.next()]
  while (!burst.at(-1)?.topics.includes('clock')) burst.push(await events.next())
  t.ok(burst.length <= 3, `20 tasks and a clock move came as ${burst.length} event(s)`)
})

t.test('with MOCK_ADMIN_TOKEN the stream needs the token, the page does not (it asks for it); a foreign page is refused', async (t) => {
  const mock = await started(t, { MOCK_ADMIN_TOKEN: 's3cret' })
  const without = await EventClient.open(mock)
  t.equal(without.response.status, 401)
  t.match(await without.response.json(), { error_code: 'APIGW.0301', error_msg: /MOCK_ADMIN_TOKEN/ })
  const page = await fetch(`${mock.url}/__admin/`)
  t.equal(page.status, 200, 'the page is open, so it can ask')
  await page.text()
  const host = new URL(mock.url).host
  const own = await EventClient.open(mock, { authorization: 'Bearer s3cret', origin: `http://${host}` })
  t.equal(own.response.status, 200, 'the page\'s own origin passes the admin API\'s origin rule')
  t.strictSame(await own.next(), { event: 'ready', topics: ['clock', 'faults', 'requests', 'tasks', 'world'] })
  const foreign = await EventClient.open(mock, { authorization: 'Bearer s3cret', origin: 'http://evil.example' })
  t.equal(foreign.response.status, 403)
  t.match(await foreign.response.json(), { error_code: 'APIGW.0302' })
})

t.test('closing the server ends open streams: a dashboard left open never holds a shutdown', async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  const events = await EventClient.open(mock)
  await events.next()
  await within(mock.close(), 5_000, 'close')
  t.equal(await events.nextBlock(), undefined, 'the client sees the stream end')
})

t.test('a client that goes away leaves nothing behind: the server closes at once after', async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  const { hostname, port } = new URL(mock.url)
  const client = request({ hostname, port, path: '/__admin/events' })
  client.end()
  const [response] = (await within(once(client, 'response'), 5_000, 'the stream\'s headers')) as [import('node:http').IncomingMessage]
  t.equal(response.statusCode, 200)
  await within(once(response, 'data'), 5_000, 'the ready event')
  const gone = once(client.socket as import('node:net').Socket, 'close')
  client.destroy()
  await gone
  t.equal((await createTask(mock)).status, 200, 'requests after it are served (nothing writes to the gone client)')
  await within(mock.close(), 5_000, 'close')
})
