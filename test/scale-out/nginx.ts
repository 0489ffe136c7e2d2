// Scale-out on a real proxy: Debian's nginx with deploy/scale-out/nginx.conf (its replica addresses
// pointed at three local `node dist/server.mjs` processes), and 20 namespaces running the whole flow
// through it at once. Every flow must succeed, and each namespace must live on exactly one replica.
// Run: npm run test:scale-out (CI: .ci/run). Needs nginx on PATH and dist/ built.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { AdminClient, createKooDriveClient, type NamespaceSummary } from '../../src/index.js'

const REPLICAS = 3
const NAMESPACES = 20
const DEADLINE_MS = 20_000

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Polls `url` until it answers 200, within the deadline: the processes start in parallel. */
async function waitFor(url: string): Promise<void> {
  const until = Date.now() + DEADLINE_MS
  for (;;) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${DEADLINE_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const children: ChildProcess[] = []
t.teardown(() => {
  for (const child of children) child.kill('SIGTERM')
})

t.test(`${NAMESPACES} namespaces through nginx over ${REPLICAS} replicas: every flow succeeds, each namespace on one replica`, async (t) => {
  const ports = await Promise.all(Array.from({ length: REPLICAS }, freePort))
  for (const port of ports) {
    const child = spawn(process.execPath, ['dist/server.mjs'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MOCK_CLOCK: 'manual', MOCK_RANDOM_SEED: '42' },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    children.push(child)
  }
  const proxyPort = await freePort()
  const prefix = mkdtempSync(join(tmpdir(), 'koodrive-nginx-'))
  // The committed configuration, with its replica addresses and port pointed at this machine's.
  let config = readFileSync('deploy/scale-out/nginx.conf', 'utf8').replace('listen 8080;', `listen 127.0.0.1:${proxyPort};`)
  ports.forEach((port, i) => (config = config.replace(`server koodrive-mock-${i + 1}:3000;`, `server 127.0.0.1:${port};`)))
  t.notMatch(config, /koodrive-mock-\d:3000/, 'every replica address was replaced')
  writeFileSync(join(prefix, 'nginx.conf'), config)
  const nginx = spawn('nginx', ['-p', `${prefix}/`, '-c', 'nginx.conf', '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] })
  children.push(nginx)
  await Promise.all([...ports.map((port) => waitFor(`http://127.0.0.1:${port}/__admin/health`))])
  const proxy = `http://127.0.0.1:${proxyPort}`
  await waitFor(`${proxy}/__admin/health`)

  const names = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`)
  const outcomes = await Promise.all(names.map((name) => flow(proxy, name)))
  const failures = outcomes.flatMap((outcome, i) => outcome.map((failure) => `${names[i]}: ${failure}`))
  t.same(failures, [], 'every flow succeeded through the proxy')

  // Each replica's own view (asked directly, not through the proxy): where each namespace lives.
  const lists = await Promise.all(ports.map(async (port) => new AdminClient(`http://127.0.0.1:${port}`).namespaces.list()))
  const homes = names.map((name) => ({ name, replicas: lists.flatMap((list, i) => (list.some((ns: NamespaceSummary) => ns.name === name) ? [i + 1] : [])) }))
  t.same(homes.filter((home) => home.replicas.length !== 1), [], 'each namespace lives on exactly one replica')
  const perReplica = lists.map((list, i) => `replica ${i + 1}: ${list.filter((ns) => ns.name !== 'default').map((ns) => `${ns.name} (${ns.tasks} tasks, ${ns.requests} requests)`).join(', ')}`)
  t.comment(perReplica.join('\n'))
  t.ok(lists.filter((list) => list.some((ns) => ns.name !== 'default')).length >= 2, 'the namespaces are spread over more than one replica')
})

/** The whole flow of one namespace through the proxy: reset, a fault, a package download polled to completion and fetched by its URL, a dump. */
async function flow(proxy: string, name: string): Promise<string[]> {
  const failures: string[] = []
  const admin = new AdminClient(proxy).namespace(name)
  const kd = createKooDriveClient({ baseUrl: proxy, token: 'ann-token', userId: 'ann', namespace: name })
  await admin.reset({ faults: true })
  await admin.faults.add({ operation: 'createShareTask', error: 13000007, times: 1 })
  const shareId = '1689765568237837824'
  const containerId = 'IAABh_RdhS8bOg0cA1684711052660690818'
  const fileIds = ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI']
  const refused = await kd.POST('/koodrive/ose/v1/share/tasks', { body: { taskType: 1, containerId, fileIds, shareId, zipName: `${name}.zip` } })
  if ((refused.error as { code?: number } | undefined)?.code !== 13000007) failures.push('its fault did not fire')
  const created = await kd.POST('/koodrive/ose/v1/share/tasks', { body: { taskType: 1, containerId, fileIds, shareId, zipName: `${name}.zip` } })
  if (created.data === undefined) return [...failures, `create: ${JSON.stringify(created.error)}`]
  await admin.clock.advance(60_000)
  const detail = await kd.POST('/koodrive/ose/v1/share/taskDetail', { body: { taskId: created.data.taskId, shareId } })
  const url = detail.data?.jobInfo.downloadUrl
  if (detail.data?.jobInfo.taskStatus !== 2 || url === undefined) return [...failures, `detail: ${JSON.stringify(detail.data ?? detail.error)}`]
  if (!url.startsWith(`${proxy}/`)) failures.push(`the download URL points past the proxy: ${url}`)
  const zip = await fetch(url)
  const bytes = Buffer.from(await zip.arrayBuffer())
  if (zip.status !== 200 || bytes.subarray(0, 2).toString() !== 'PK') failures.push(`the zip through the proxy: ${zip.status}`)
  if ((await admin.tasks.list()).length !== 1) failures.push('its namespace does not hold exactly its one task')
  if ((await admin.requests.count({ operation: 'createShareTask' })) !== 2) failures.push('its journal does not hold exactly its two creates')
  return failures
}
