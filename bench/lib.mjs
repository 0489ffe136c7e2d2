// Shared pieces of the benchmarks: start a server pinned to CPU 0, build valid KooDrive requests.
import { spawn, spawnSync } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const hasTaskset = spawnSync('taskset', ['-V']).status === 0

/** Re-runs this script pinned to CPU 1, so the load generator never shares a core with the server. */
export function pinSelfToCpu1() {
  if (!hasTaskset || process.env.BENCH_PINNED === '1') return
  const child = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  })
  process.exit(child.status ?? 1)
}

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

/** Spawns `script` (with Node's `nodeArgs`) on CPU 0 with stdout/stderr to `logFile`; resolves once it answers HTTP. */
export async function startServer(script, env, logFile, nodeArgs = []) {
  const port = await freePort()
  const out = openSync(logFile, 'w')
  const args = hasTaskset ? ['-c', '0', process.execPath, ...nodeArgs, script] : [...nodeArgs, script]
  const startedAt = performance.now()
  const child = spawn(hasTaskset ? 'taskset' : process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 2000; i++) {
    try {
      await fetch(`${url}/__admin/health`)
      return { child, url, startMs: performance.now() - startedAt }
    } catch {
      await new Promise((r) => setTimeout(r, 2))
    }
  }
  child.kill('SIGKILL')
  throw new Error(`${script} did not start; see ${logFile}`)
}

export function stopServer(server) {
  return new Promise((resolve) => {
    server.child.once('exit', resolve)
    server.child.kill('SIGTERM')
  })
}

/** User + system CPU time of a process so far, µs (utime and stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
export function cpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks * 10_000
}

/** Resident memory of a process, MB (taskset execs node in place: same PID). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024)
}

const xDate = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
export const kooDriveHeaders = () => ({
  authorization: 'Bearer bench-token',
  'x-user-id': 'bench-user',
  'x-date': xDate(),
  'x-hw-agentname': 'bench-carrier',
  'content-type': 'application/json',
})

export const VENDOR_SPACE = 'IAABh_RdhS8bOg0cA1684711052660690818'
export const VENDOR_SHARE = '1689765568237837824'
/** A package download of the vendor example's file: valid against the default world, any number of times. */
export const createTaskBody = JSON.stringify({
  taskType: 1,
  containerId: VENDOR_SPACE,
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: VENDOR_SHARE,
  zipName: 'bench.zip',
})

/**
 * Autocannon options for polls of share/taskDetail: 100 tasks made on `url` first, then each
 * request asks for the next of them, as a client polling its tasks would.
 */
export async function taskDetailLoad(url, headers = kooDriveHeaders()) {
  const taskIds = []
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${url}/koodrive/ose/v1/share/tasks`, { method: 'POST', headers, body: createTaskBody })
    taskIds.push((await res.json()).taskId)
  }
  let next = 0
  const detailBody = () => JSON.stringify({ taskId: taskIds[next++ % taskIds.length], shareId: VENDOR_SHARE })
  return {
    url: `${url}/koodrive/ose/v1/share/taskDetail`,
    body: detailBody(),
    requests: [{ setupRequest: (request) => ({ ...request, body: detailBody() }) }],
  }
}
