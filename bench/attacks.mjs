// node bench/attacks.mjs [--server PATH/server.mjs] [--only name,name]: issue 10's attacks, each
// against a fresh server (default dist/server.mjs; LOG_LEVEL=info, MOCK_RANDOM_SEED=1, every other
// setting at its default unless the attack says), 127.0.0.1 only, each bounded in time and count.
// For each it records what was sent, the answer, the server's RSS before and after (and its peak),
// whether the process is still alive, and a verdict against the issue's "Must". It assumes nothing
// about which build it runs: a 413, a cut socket or a refusal is recorded as it comes.
// Prints a markdown table and writes bench/results/attacks-<date>.json. Minutes; not in CI.
import { fork } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { kooDriveHeaders, pinSelfToCpu1, root, startServer, VENDOR_SHARE, VENDOR_SPACE } from './lib.mjs'

pinSelfToCpu1()
const { values: options } = parseArgs({ options: { server: { type: 'string' }, only: { type: 'string' } } })
const serverScript = resolve(options.server ?? join(root, 'dist/server.mjs'))
const logDir = '/tmp/koodrive-attacks'
mkdirSync(logDir, { recursive: true })
// The servers get the defaults, not whatever this shell happens to export.
for (const name of Object.keys(process.env)) if (/^(MOCK_|LOG_LEVEL$|PORT$|HOST$)/.test(name)) delete process.env[name]

const VENDOR_FILE = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'
const VENDOR_SHORT_URL = '1822239307136816339'
const MB = 1024 * 1024
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
/** The loser of a race: a timer that does not keep the process alive once everything else is done. */
const deadline = (ms, value) => new Promise((r) => setTimeout(r, ms, value).unref())
const since = (t0) => Math.round(performance.now() - t0)
const seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`

// ---------------------------------------------------------------------------------------------
// Clients: every call resolves (never rejects) with what came back or the client's error code.

/** The client-side error code: EPIPE, ECONNRESET, UND_ERR_SOCKET… (fetch wraps it in `cause`). */
const codeOf = (error) => error?.cause?.code ?? error?.code ?? error?.cause?.message ?? error?.message ?? String(error)

/** One HTTP/1.1 exchange; keeps at most `keep` bytes of the body but counts them all. */
function send(server, { method = 'GET', path, headers = {}, body, agent = false, timeoutMs = 30_000, keep = MB }) {
  return new Promise((done) => {
    const t0 = performance.now()
    const allHeaders = body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers }
    const req = httpRequest(`${server.url}${path}`, { method, headers: allHeaders, agent }, (res) => {
      const chunks = []
      let bytes = 0
      res.on('data', (chunk) => {
        if (bytes < keep) chunks.push(chunk)
        bytes += chunk.length
      })
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).subarray(0, keep), bytes, ms: since(t0) }))
      res.on('error', (error) => done({ error: codeOf(error), status: res.statusCode, ms: since(t0) }))
    })
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('no answer'), { code: `no answer in ${seconds(timeoutMs)}` })))
    req.on('error', (error) => done({ error: codeOf(error), reusedSocket: req.reusedSocket, ms: since(t0) }))
    req.end(body)
  })
}

const koo = (operation, body, headers = {}) => ({ method: 'POST', path: `/koodrive/ose/v1/${operation}`, headers: { ...kooDriveHeaders(), ...headers }, body })

/** `400 {"code":13000102,"msg":"…` or the error code: one table cell. */
function answerOf(result, length = 90) {
  if (result.error !== undefined) return result.status ? `${result.status} then ${result.error}` : result.error
  return `${result.status} ${snippet(result.body, length)}`
}
function snippet(body, length = 90) {
  const text = Buffer.isBuffer(body) ? body.subarray(0, length * 2).toString() : String(body)
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > length ? `${line.slice(0, length)}…` : line
}
const tally = (items) => items.reduce((counts, item) => ({ ...counts, [item]: (counts[item] ?? 0) + 1 }), {})
const tallyText = (counts) => Object.entries(counts).map(([key, n]) => `${n}× ${key}`).join(', ')

/**
 * A raw socket: writes `head`, then `drip` (a string written every `everyMs`) until `untilMs`.
 * Resolves with the bytes it got and when (and how) the server ended the connection.
 */
function rawSocket(server, { head, drip, everyMs, untilMs }) {
  const port = Number(new URL(server.url).port)
  const t0 = performance.now()
  const state = { received: '', closedAtMs: undefined, error: undefined, socket: undefined }
  state.done = new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' })
    state.socket = socket
    let timer
    const finish = () => {
      clearInterval(timer)
      clearTimeout(stop)
      done(state)
    }
    const stop = setTimeout(finish, untilMs)
    socket.on('connect', () => {
      socket.write(head)
      if (drip !== undefined) timer = setInterval(() => socket.writable && socket.write(typeof drip === 'function' ? drip() : drip), everyMs)
    })
    socket.on('data', (chunk) => {
      if (state.received.length < 4096) state.received += chunk.toString('latin1')
    })
    socket.on('error', (error) => (state.error ??= error.code ?? error.message))
    socket.on('close', () => {
      state.closedAtMs = since(t0)
      finish()
    })
  })
  return state
}
const firstLine = (text) => (text ? text.split('\r\n')[0] : '')

// ---------------------------------------------------------------------------------------------
// Servers: one per attack, watched for exit and sampled for RSS.

function procStatus(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1])
    // A process that has exited but is not yet reaped has a status without memory lines.
    if (!Number.isFinite(kb('VmRSS'))) return undefined
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
  } catch {
    return undefined
  }
}

const children = new Set()
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

async function launch(name, env) {
  const logFile = join(logDir, `${name}.log`)
  const server = await startServer(serverScript, { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...env }, logFile)
  children.add(server.child)
  server.logFile = logFile
  server.pid = server.child.pid
  server.exited = new Promise((done) =>
    server.child.once('exit', (code, signal) => {
      children.delete(server.child)
      server.exit = { code, signal, atMs: performance.now() }
      done(server.exit)
    }),
  )
  server.rss = () => procStatus(server.pid)?.rssMb
  server.peakMb = 0
  server.lastRssMb = server.rss()
  server.sampler = setInterval(() => {
    const status = procStatus(server.pid)
    if (status === undefined) return
    server.lastRssMb = status.rssMb
    server.peakMb = Math.max(server.peakMb, status.peakMb)
  }, 100)
  return server
}

/** Resolves with the exit, or undefined if the process is still running after `ms`. */
const exitWithin = (server, ms) => Promise.race([server.exited, deadline(ms, undefined)])

async function stop(server) {
  if (server.exit === undefined) {
    server.child.kill('SIGTERM')
    if ((await exitWithin(server, 5000)) === undefined) {
      server.child.kill('SIGKILL')
      await server.exited
    }
  }
  clearInterval(server.sampler)
}

/** What the server logged at error level or above, and what it wrote to stderr, counted by message. */
function serverErrors(server) {
  const counts = {}
  for (const line of readFileSync(server.logFile, 'utf8').split('\n')) {
    let key
    // Plain lines are stderr: V8's fatal error, close-with-grace's "killed by timeout", an uncaught error.
    if (/^[A-Za-z]/.test(line) && !/^Node\.js v/.test(line)) key = snippet(line, 120)
    else if (line.startsWith('{') && /"level":[56]0/.test(line)) {
      try {
        const entry = JSON.parse(line)
        key = entry.err ? `${entry.err.type}: ${entry.err.message}` : entry.msg
      } catch {
        // A line that is not JSON (a fatal V8 message) is counted as itself.
      }
    }
    if (key) counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

const exitText = (exit) => (exit === undefined ? 'still running' : exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`)

// ---------------------------------------------------------------------------------------------
// The attacks. Each `run(server)` resolves with { rows: [{ sent, answer, held, verdict }], details }.

const validCreate = (extra = {}) => ({ taskType: 1, containerId: VENDOR_SPACE, fileIds: [VENDOR_FILE], shareId: VENDOR_SHARE, zipName: 'attack.zip', ...extra })
/** A create refused for its unknown field `junk`, `bytes` long in all. */
function refusedBody(bytes) {
  const shell = JSON.stringify(validCreate({ junk: '' }))
  return Buffer.from(JSON.stringify(validCreate({ junk: 'x'.repeat(bytes - shell.length) })))
}
const isKooDriveEnvelope = (text) => {
  try {
    const body = JSON.parse(text)
    return Number.isInteger(body.code) && typeof body.msg === 'string'
  } catch {
    return false
  }
}
const isGatewayEnvelope = (text) => {
  try {
    const body = JSON.parse(text)
    return typeof body.error_code === 'string' && typeof body.error_msg === 'string' && typeof body.request_id === 'string'
  } catch {
    return false
  }
}

/** Sends `body` `count` times one after another, stopping when the server dies, RSS passes `maxRssMb` or `budgetMs` is up. */
async function flood(server, { count, body, maxRssMb, budgetMs, checkpoints = {} }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const t0 = performance.now()
  const answers = []
  const curve = []
  let stoppedBy = `all ${count} sent`
  let firstAnswer
  const extra = {}
  for (let i = 1; i <= count; i++) {
    const result = await send(server, { ...koo('share/tasks', body), agent, keep: 200 })
    firstAnswer ??= answerOf(result)
    answers.push(result.error ?? String(result.status))
    const rss = server.rss()
    if (i % 50 === 0 || rss === undefined) curve.push({ requests: i, rssMb: rss ?? null })
    if (checkpoints[i]) extra[i] = await checkpoints[i]()
    if (server.exit !== undefined || rss === undefined) {
      await exitWithin(server, 2000)
      stoppedBy = `server ${exitText(server.exit)} after request ${i}`
      break
    }
    if (rss > maxRssMb) {
      stoppedBy = `RSS ${rss} MB > ${maxRssMb} MB after request ${i}`
      break
    }
    if (performance.now() - t0 > budgetMs) {
      stoppedBy = `time bound ${seconds(budgetMs)} after request ${i}`
      break
    }
  }
  agent.destroy()
  return { sent: answers.length, answers: tally(answers), firstAnswer, stoppedBy, curve, checkpoints: extra, ms: since(t0) }
}

const journalRead = (server, path) => async () => {
  const result = await send(server, { path, keep: 300, timeoutMs: 60_000 })
  return { path, status: result.status ?? null, error: result.error, bytes: result.bytes ?? 0, ms: result.ms, answer: answerOf(result, 120) }
}
const size = (bytes) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${bytes} B`)
const readText = (read) => (read.error ? `${read.path} → ${read.error}` : `${read.path} → ${read.status}, ${size(read.bytes)} in ${seconds(read.ms)}`)

const attacks = [
  {
    name: 'journal-flood',
    title: 'journal flood (11 MB refused bodies)',
    async run(server) {
      const body = refusedBody(11 * MB)
      const f = await flood(server, {
        count: 400,
        body,
        maxRssMb: 4600, // above V8's default heap limit here (4 144 MB), so that limit is met first
        budgetMs: 60_000,
        checkpoints: { 20: journalRead(server, '/__admin/requests') },
      })
      const after = server.exit === undefined ? await journalRead(server, '/__admin/requests')() : undefined
      const at20 = f.checkpoints[20]
      const died = server.exit !== undefined
      const journalOk = (read) => read === undefined || (read.status === 200 && read.bytes < 100 * MB)
      const held = !died && journalOk(at20) && journalOk(after)
      return {
        rows: [
          {
            sent: `POST share/tasks, ${(body.length / MB).toFixed(1)} MB valid JSON with unknown field "junk", one after another (≤ 400, ≤ 60 s)`,
            answer: `${f.sent} sent: ${tallyText(f.answers)} (first: ${f.firstAnswer}); stopped: ${f.stoppedBy}; ${at20 ? `after 20: ${readText(at20)}` : ''}${after ? `; at the end: ${readText(after)}` : ''}`,
            held,
            verdict: died ? `broke: the process died (${exitText(server.exit)}) after ${f.sent} requests` : held ? 'held: alive, journal readable and small' : 'broke: the journal answer is huge or fails',
          },
        ],
        details: { ...f, journalAfter20: at20, journalAtEnd: after },
      }
    },
  },
  {
    name: 'journal-1mb',
    title: 'journal of 1 MB entries, ?limit=600',
    async run(server) {
      const body = refusedBody(MB)
      const f = await flood(server, { count: 600, body, maxRssMb: 4600, budgetMs: 60_000 })
      const read = server.exit === undefined ? await journalRead(server, '/__admin/requests?limit=600')() : undefined
      const held = read?.status === 200
      return {
        rows: [
          {
            sent: `600 × POST share/tasks, ${(body.length / MB).toFixed(1)} MB refused body; then GET /__admin/requests?limit=600`,
            answer: `${f.sent} sent: ${tallyText(f.answers)}; ${read ? `${readText(read)}: ${read.answer}` : `server ${exitText(server.exit)}`}`,
            held,
            verdict: held ? `held: limit=600 answers (${size(read.bytes)})` : `broke: limit=600 answers ${read?.status ?? read?.error ?? exitText(server.exit)}`,
          },
        ],
        details: { ...f, read },
      }
    },
  },
  {
    name: 'lenient-flood',
    title: 'lenient flood (1 000 new file IDs a create)',
    async run(server) {
      const CREATES = 4000
      const BUDGET_MS = 60_000
      const agent = new Agent({ keepAlive: true, maxSockets: 4 })
      const ready = async () => (await send(server, { path: '/__admin/ready' })).body
      const filesNow = async () => {
        try {
          return JSON.parse(await ready()).world.files
        } catch {
          return null
        }
      }
      const t0 = performance.now()
      const curve = [{ creates: 0, files: await filesNow(), rssMb: server.rss() }]
      const answers = []
      let firstAnswer
      let next = 0
      const createBody = (i) => {
        const tag = i.toString(36).padStart(6, '0')
        const fileIds = Array.from({ length: 1000 }, (_, j) => `F${tag}${j.toString(36).padStart(3, '0')}`.padEnd(128, 'x'))
        return JSON.stringify({ taskType: 1, containerId: `IAAflood${tag}`, fileIds, shareId: `9${String(i).padStart(18, '0')}`, zipName: 'flood.zip' })
      }
      const lane = async () => {
        while (next < CREATES && performance.now() - t0 < BUDGET_MS && server.exit === undefined) {
          const i = ++next
          const result = await send(server, { ...koo('share/tasks', createBody(i)), agent, keep: 200 })
          firstAnswer ??= answerOf(result)
          answers.push(result.error ?? String(result.status))
          if (i % 1000 === 0 && server.exit === undefined) curve.push({ creates: i, files: await filesNow(), rssMb: server.rss() })
        }
      }
      await Promise.all([lane(), lane(), lane(), lane()])
      const ms = since(t0)
      if (server.exit === undefined && curve.at(-1).creates !== answers.length) curve.push({ creates: answers.length, files: await filesNow(), rssMb: server.rss() })
      agent.destroy()
      const last = curve.at(-1)
      const perThousandMb = Math.round(((last.rssMb - curve[0].rssMb) / Math.max(1, last.creates)) * 1000)
      const madeUp = last.files - curve[0].files
      const asked = answers.filter((a) => a === '200').length * 1000
      const capped = madeUp < asked
      return {
        rows: [
          {
            sent: `POST share/tasks naming 1 000 new 128-char file IDs (new share and space each), 4 connections (≤ ${CREATES}, ≤ ${seconds(BUDGET_MS)})`,
            answer: `${answers.length} creates in ${seconds(ms)}: ${tallyText(tally(answers))} (first: ${firstAnswer}); world files ${curve[0].files} → ${last.files}; RSS +${perThousandMb} MB per 1 000 creates (${curve.map((c) => `${c.creates}: ${c.rssMb} MB`).join(', ')})`,
            held: capped,
            verdict: capped ? `held: ${asked - madeUp} made-up files dropped, world at ${last.files}` : `broke: every made-up file kept (${madeUp} new, no cap seen), RSS growing ~${perThousandMb} MB per 1 000 creates`,
          },
        ],
        details: { creates: answers.length, ms, answers: tally(answers), firstAnswer, curve, perThousandMb, madeUp, asked },
      }
    },
  },
  {
    name: 'poison-surrogate',
    title: 'poisoning: lone surrogate in zipName',
    env: { MOCK_TASK_DURATION_MS: '0', MOCK_TASK_START_DELAY_MS: '0' },
    async run(server) {
      // The JSON escape \ud800 as text: a lone high surrogate once parsed.
      const body = `{"taskType":1,"containerId":"${VENDOR_SPACE}","fileIds":["${VENDOR_FILE}"],"shareId":"${VENDOR_SHARE}","zipName":"\\ud800.zip"}`
      const create = await send(server, koo('share/tasks', body))
      let taskId
      try {
        taskId = JSON.parse(create.body).taskId
      } catch {
        // No task made: the rows below say what was answered instead.
      }
      let detail
      if (taskId !== undefined) {
        for (let i = 0; i < 20; i++) {
          await sleep(100)
          detail = await send(server, koo('share/taskDetail', JSON.stringify({ taskId, shareId: VENDOR_SHARE })))
          if (detail.status !== 200 || /"taskStatus":2/.test(detail.body)) break
        }
      }
      const adminTasks = await send(server, { path: '/__admin/tasks' })
      const reads = [detail, adminTasks].filter(Boolean)
      const held = reads.every((r) => r.status !== undefined && r.status < 500) && (taskId === undefined ? create.status === 400 : true)
      return {
        rows: [
          {
            sent: 'POST share/tasks with "zipName":"\\ud800.zip" (MOCK_TASK_DURATION_MS=0); then share/taskDetail when done; GET /__admin/tasks',
            answer: `create: ${answerOf(create, 70)}; taskDetail: ${detail ? answerOf(detail, 70) : '(no task)'}; /__admin/tasks: ${answerOf(adminTasks, 70)}`,
            held,
            verdict: held ? (taskId === undefined ? 'held: refused at create, views answer' : 'held: accepted and every view answers') : 'broke: a view answers 5xx after an accepted request',
          },
        ],
        details: { create: answerOf(create, 300), detail: detail && answerOf(detail, 300), adminTasks: answerOf(adminTasks, 300) },
      }
    },
  },
  {
    name: 'poison-nesting',
    title: 'poisoning: body nested 5 000 deep',
    async run(server) {
      const body = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
      const post = await send(server, koo('share/tasks', body))
      const journal = await send(server, { path: '/__admin/requests', keep: 300 })
      const again = await send(server, { path: '/__admin/requests', keep: 300 })
      const held = journal.status === 200 && again.status === 200
      return {
        rows: [
          {
            sent: `POST share/tasks, {"a":{"a":…1…}} 5 000 deep (${(body.length / 1024).toFixed(0)} KB); then GET /__admin/requests twice`,
            answer: `POST: ${answerOf(post, 70)}; /__admin/requests: ${answerOf(journal, 70)}; again: ${again.status ?? again.error}`,
            held,
            verdict: held ? 'held: the journal answers' : `broke: the journal answers ${journal.status ?? journal.error}`,
          },
        ],
        details: { post: answerOf(post, 300), journal: answerOf(journal, 300) },
      }
    },
  },
  {
    name: 'slowloris',
    title: 'slowloris (500 sockets, a header line every 4 s)',
    async run(server) {
      const SOCKETS = 500
      const BOUND_MS = 40_000
      const port = new URL(server.url).port
      let n = 0
      const states = Array.from({ length: SOCKETS }, () =>
        rawSocket(server, { head: `GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, drip: () => `X-Slow-${n++}: 1\r\n`, everyMs: 4000, untilMs: BOUND_MS }),
      )
      await Promise.all(states.map((s) => s.done))
      const probe = await send(server, { path: '/__admin/health', timeoutMs: 5000 })
      for (const s of states) s.socket.destroy()
      const cut = states.filter((s) => s.closedAtMs !== undefined && s.closedAtMs <= BOUND_MS).map((s) => s.closedAtMs).sort((a, b) => a - b)
      const answers = tally(states.filter((s) => s.closedAtMs !== undefined).map((s) => firstLine(s.received) || s.error || 'closed, no bytes'))
      const held = cut.length === SOCKETS
      const when = cut.length ? `cut between ${seconds(cut[0])} and ${seconds(cut.at(-1))} (median ${seconds(cut[cut.length >> 1])})` : ''
      return {
        rows: [
          {
            sent: `${SOCKETS} raw sockets: "GET /__admin/health HTTP/1.1", then a header line every 4 s, never the blank line (bound ${seconds(BOUND_MS)})`,
            answer: `${cut.length} of ${SOCKETS} cut within ${seconds(BOUND_MS)}${when ? `, ${when}` : ''}${cut.length ? `: ${tallyText(answers)}` : ''}; then a normal request: ${answerOf(probe, 40)}`,
            held,
            verdict: held ? `held: all cut within ${seconds(cut.at(-1))}` : `broke: ${SOCKETS - cut.length} of ${SOCKETS} still held after ${seconds(BOUND_MS)}`,
          },
        ],
        details: { cut: cut.length, cutTimesMs: cut.length ? [cut[0], cut[cut.length >> 1], cut.at(-1)] : [], answers, probe: answerOf(probe) },
      }
    },
  },
  {
    name: 'slow-upload',
    title: 'slow upload (1 byte every 100 ms of a declared 1 MB)',
    async run(server) {
      const BOUND_MS = 40_000
      const s = await slowUpload(server, BOUND_MS).done
      const held = s.closedAtMs !== undefined
      return {
        rows: [
          {
            sent: `POST share/tasks, Content-Length: 1048576, then 1 byte every 100 ms (bound ${seconds(BOUND_MS)})`,
            answer: held ? `cut at ${seconds(s.closedAtMs)}: ${firstLine(s.received) || s.error || 'no bytes'}` : `not cut within ${seconds(BOUND_MS)} (${firstLine(s.received) || 'no answer'})`,
            held,
            verdict: held ? `held: cut after ${seconds(s.closedAtMs)}` : `broke: still held after ${seconds(BOUND_MS)}`,
          },
        ],
        details: { closedAtMs: s.closedAtMs, received: s.received.slice(0, 300), error: s.error },
      }
    },
  },
  {
    name: 'idle-sockets',
    title: 'idle keep-alive sockets',
    async run(server) {
      // This process may hold 20 000 descriptors (ulimit -n), the server as many: two children
      // holding 10 500 each reach the server's limit, which one process could not.
      const WORKERS = 2
      const PER_WORKER = 10_500
      const DEADLINE_MS = 50_000
      const port = new URL(server.url).port
      const t0 = performance.now()
      const workers = Array.from({ length: WORKERS }, () => fork(fileURLToPath(new URL('./idle-sockets-worker.mjs', import.meta.url)), [port, String(PER_WORKER), String(DEADLINE_MS)]))
      for (const w of workers) children.add(w)
      const reports = await Promise.all(workers.map((w) => new Promise((done) => { w.once('message', done); w.once('exit', (code) => done({ attempted: 0, open: 0, outcomes: { [`worker exit ${code}`]: 1 } })) })))
      const openedMs = since(t0)
      const rssWithSockets = server.rss()
      const probes = []
      for (let i = 0; i < 3; i++) probes.push(await send(server, { path: '/__admin/health', timeoutMs: 5000 }))
      const create = await send(server, { ...koo('share/tasks', JSON.stringify(validCreate())), timeoutMs: 5000 })
      for (const w of workers) {
        w.send('close')
        await new Promise((done) => (w.exitCode !== null ? done() : w.once('exit', done)))
        children.delete(w)
      }
      const outcomes = {}
      for (const r of reports) for (const [k, v] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v
      const attempted = reports.reduce((sum, r) => sum + r.attempted, 0)
      const open = reports.reduce((sum, r) => sum + r.open, 0)
      // Served, or refused with an HTTP answer (a connection cap's clean refusal); not a reset.
      const newClient = [...probes, create]
      const held = newClient.every((p) => p.status !== undefined && p.error === undefined)
      const served = newClient.every((p) => p.status === 200)
      return {
        rows: [
          {
            sent: `${attempted} keep-alive sockets (2 client processes, ulimit -n 20 000 each; server's limit ${serverFdLimit(server)}), one GET /__admin/health each, left idle; then a new client`,
            answer: `in ${seconds(openedMs)}: ${tallyText(outcomes)}; ${open} still open; then 3 × health: ${probes.map((p) => p.status ?? p.error).join(', ')}; create: ${answerOf(create, 40)}`,
            held,
            verdict: served ? 'held: a new client is served' : held ? `held: a new client is refused with an answer (${newClient.map((p) => p.status).join(', ')})` : `broke: a new client gets ${newClient.find((p) => p.error !== undefined).error}`,
          },
        ],
        details: { attempted, open, outcomes, openedMs, rssWithSocketsMb: rssWithSockets, probes: probes.map((p) => answerOf(p)), create: answerOf(create) },
      }
    },
  },
  {
    name: 'hang',
    title: 'connection=hang',
    // The default MOCK_HANG_MAX_MS (120 s) is past this attack's 45 s bound; 30 s shows the release within it.
    env: { MOCK_HANG_MAX_MS: '30000' },
    async run(server) {
      const BOUND_MS = 45_000
      const s = await rawSocket(server, { head: rawPost(server, 'share/tasks', JSON.stringify(validCreate()), { 'x-mock-fault': 'connection=hang' }), untilMs: BOUND_MS }).done
      s.socket.destroy()
      const held = s.closedAtMs !== undefined
      return {
        rows: [
          {
            sent: `POST share/tasks with X-Mock-Fault: connection=hang (bound ${seconds(BOUND_MS)})`,
            answer: held ? `released at ${seconds(s.closedAtMs)}: ${firstLine(s.received) || s.error || 'closed, no bytes'}` : `no answer, socket still held after ${seconds(BOUND_MS)}`,
            held,
            verdict: held ? `held: released after ${seconds(s.closedAtMs)}` : `broke: still held after ${seconds(BOUND_MS)}`,
          },
        ],
        details: { closedAtMs: s.closedAtMs, received: s.received.slice(0, 300), error: s.error },
      }
    },
  },
  {
    name: 'fetch-413',
    title: '413 with fetch (13 MB bodies)',
    async run(server) {
      const TIMES = 20
      const SIZE = 13 * MB
      const fixed = Buffer.alloc(SIZE, 0x20)
      fixed[0] = 0x7b
      const chunked = () => {
        let sent = 0
        return new ReadableStream({
          pull(controller) {
            if (sent >= SIZE) return controller.close()
            const piece = new Uint8Array(Math.min(64 * 1024, SIZE - sent)).fill(0x20)
            sent += piece.length
            controller.enqueue(piece)
          },
        })
      }
      const one = async (body, extra) => {
        try {
          const res = await fetch(`${server.url}/koodrive/ose/v1/share/tasks`, { method: 'POST', headers: kooDriveHeaders(), body, signal: AbortSignal.timeout(20_000), ...extra })
          const text = await res.text()
          return isGatewayEnvelope(text) ? `${res.status} ${JSON.parse(text).error_code}` : `${res.status} ${snippet(text, 40)}`
        } catch (error) {
          return codeOf(error)
        }
      }
      const withLength = []
      for (let i = 0; i < TIMES; i++) withLength.push(await one(fixed))
      const withChunks = []
      for (let i = 0; i < TIMES; i++) withChunks.push(await one(chunked(), { duplex: 'half' }))
      const seen = (list) => list.filter((a) => a === '413 APIGW.0201').length
      const held = seen(withLength) === TIMES && seen(withChunks) === TIMES
      return {
        rows: [
          {
            sent: `${TIMES} × fetch POST share/tasks, 13 MB Buffer (Content-Length)`,
            answer: tallyText(tally(withLength)),
            held: seen(withLength) === TIMES,
            verdict: `${seen(withLength) === TIMES ? 'held' : 'broke'}: ${seen(withLength)} of ${TIMES} see the 413 envelope`,
          },
          {
            sent: `${TIMES} × fetch POST share/tasks, 13 MB ReadableStream (chunked, duplex: 'half')`,
            answer: tallyText(tally(withChunks)),
            held: seen(withChunks) === TIMES,
            verdict: `${seen(withChunks) === TIMES ? 'held' : 'broke'}: ${seen(withChunks)} of ${TIMES} see the 413 envelope`,
          },
        ],
        details: { withLength: tally(withLength), withChunks: tally(withChunks), held },
      }
    },
  },
  {
    name: 'sigterm-loops',
    title: 'SIGTERM with 50 keep-alive loops',
    async run(server) {
      const LOOPS = 50
      let termAt
      const loop = async () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 })
        let served = 0
        let servedAfter = 0
        for (;;) {
          const result = await send(server, { path: `/koodrive/ose/v1/share/userInfo?shortUrl=${VENDOR_SHORT_URL}`, headers: kooDriveHeaders(), agent, timeoutMs: 10_000 })
          if (result.error !== undefined) {
            agent.destroy()
            const socket = result.reusedSocket ? 'kept-alive socket' : 'new connection'
            return { outcome: termAt === undefined ? `${result.error} before SIGTERM` : `${result.error} on a ${socket}`, served, servedAfter }
          }
          served++
          if (termAt !== undefined) servedAfter++
          if (result.headers.connection === 'close') {
            agent.destroy()
            return { outcome: termAt === undefined ? 'told to close before SIGTERM' : 'answered with Connection: close', served, servedAfter }
          }
        }
      }
      const loops = Array.from({ length: LOOPS }, loop)
      await sleep(500)
      termAt = performance.now()
      server.child.kill('SIGTERM')
      const ends = await Promise.all(loops)
      const exit = await exitWithin(server, 15_000)
      const outcomes = tally(ends.map((e) => e.outcome))
      const resets = ends.filter((e) => /ECONNRESET|socket hang up|EPIPE/.test(e.outcome)).length
      const held = resets === 0 && exit?.code === 0
      return {
        rows: [
          {
            sent: `${LOOPS} clients, each looping GET share/userInfo on its keep-alive connection; SIGTERM after 0.5 s`,
            answer: `${tallyText(outcomes)}; ${ends.reduce((s, e) => s + e.servedAfter, 0)} answers after SIGTERM; ${exitText(exit)}${exit ? ` ${seconds(exit.atMs - termAt)} after SIGTERM` : ' after 15 s'}`,
            held,
            verdict: held ? 'held: no loop loses a request, exit 0' : `broke: ${resets} of ${LOOPS} loops get a reset${exit?.code === 0 ? '' : `; ${exitText(exit)}`}`,
          },
        ],
        details: { outcomes, exit, servedBefore: ends.reduce((s, e) => s + e.served - e.servedAfter, 0) },
      }
    },
  },
  {
    name: 'sigterm-latency',
    title: 'SIGTERM with an injected latency in flight',
    async run(server) {
      const inFlight = send(server, { path: `/koodrive/ose/v1/share/userInfo?shortUrl=${VENDOR_SHORT_URL}`, headers: { ...kooDriveHeaders(), 'x-mock-fault': 'latency=3000' }, timeoutMs: 10_000 })
      return sigtermWith(server, inFlight, 'GET share/userInfo with X-Mock-Fault: latency=3000, SIGTERM 0.3 s in', (r) => ({ text: answerOf(r, 50), answered: r.status !== undefined && r.error === undefined }))
    },
  },
  {
    name: 'sigterm-hang',
    title: 'SIGTERM with a hung socket',
    async run(server) {
      const s = rawSocket(server, { head: rawPost(server, 'share/tasks', JSON.stringify(validCreate()), { 'x-mock-fault': 'connection=hang' }), untilMs: 20_000 })
      return sigtermWith(server, s.done, 'POST share/tasks with X-Mock-Fault: connection=hang, SIGTERM 0.3 s in', (r) => ({ text: `${firstLine(r.received) || r.error || (r.closedAtMs !== undefined ? 'closed, no bytes' : 'still open')}`, answered: 'not expected' }))
    },
  },
  {
    name: 'sigterm-upload',
    title: 'SIGTERM with a slow upload in flight',
    async run(server) {
      const s = slowUpload(server, 20_000)
      return sigtermWith(server, s.done, 'slow upload (1 byte / 100 ms of 1 MB) in flight, SIGTERM 0.3 s in', (r) => ({ text: `${firstLine(r.received) || r.error || (r.closedAtMs !== undefined ? 'closed, no bytes' : 'still open')}`, answered: 'not expected' }))
    },
  },
  {
    name: 'admin-cross-origin',
    title: 'admin API from a foreign page',
    async run(server) {
      const origin = 'https://evil.example'
      await send(server, koo('share/tasks', JSON.stringify(validCreate())))
      const tasksBefore = JSON.parse((await send(server, { path: '/__admin/ready' })).body).tasks
      const world = await send(server, { path: '/__admin/world', headers: { origin } })
      const acao = world.headers?.['access-control-allow-origin']
      const readable = world.status === 200 && (acao === '*' || acao === origin)
      const leaks = world.status === 200 && /ann-token/.test(world.body)
      const reset = await send(server, { method: 'POST', path: '/__admin/reset', headers: { origin } })
      const tasksAfter = JSON.parse((await send(server, { path: '/__admin/ready' })).body).tasks
      const acted = tasksAfter < tasksBefore
      const held = !readable && !acted
      return {
        rows: [
          {
            sent: `GET /__admin/world with Origin: ${origin}`,
            answer: `${world.status}, Access-Control-Allow-Origin: ${acao ?? '(none)'}${leaks ? ', body has users\' tokens (ann-token)' : ''}${world.status !== 200 ? ` ${snippet(world.body, 60)}` : ''}`,
            held: !readable,
            verdict: readable ? 'broke: any page can read the world and its tokens' : 'held: not readable cross-origin',
          },
          {
            sent: `bodiless POST /__admin/reset with Origin: ${origin} (a simple request: no preflight)`,
            answer: `${answerOf(reset, 60)}; tasks ${tasksBefore} → ${tasksAfter}`,
            held: !acted,
            verdict: acted ? 'broke: the reset acted' : 'held: nothing reset',
          },
        ],
        details: { worldStatus: world.status, acao, leaks, reset: answerOf(reset, 200), tasksBefore, tasksAfter, held },
      }
    },
  },
  {
    name: 'strict-hmac',
    title: 'strict mode: HMAC on its form alone',
    env: { MOCK_WORLD: 'strict' },
    async run(server) {
      const ann = { authorization: 'Bearer ann-token', 'x-user-id': 'ann' }
      const create = await send(server, koo('share/tasks', JSON.stringify(validCreate()), ann))
      let taskId
      try {
        taskId = JSON.parse(create.body).taskId
      } catch {
        // No task made: the rows below say what was answered instead.
      }
      const forged = { authorization: `HMAC-SHA256 AppId=x,SignedHeaders=host;x-date;x-user-id,Signature=${'0'.repeat(64)}`, 'x-user-id': 'ann' }
      const read = await send(server, koo('share/taskDetail', JSON.stringify({ taskId, shareId: VENDOR_SHARE }), forged))
      const got = read.status === 200 && /"jobInfo"/.test(read.body)
      return {
        rows: [
          {
            sent: `MOCK_WORLD=strict; Ann creates a task (Bearer ann-token); then taskDetail with Authorization: HMAC-SHA256 AppId=x,SignedHeaders=host;x-date;x-user-id,Signature=<64 zeros>, X-User-Id: ann`,
            answer: `create: ${answerOf(create, 50)}; forged read: ${answerOf(read, 70)}`,
            held: !got,
            verdict: got ? "broke: an unsigned HMAC header reads Ann's task" : 'held: refused',
          },
        ],
        details: { create: answerOf(create, 200), read: answerOf(read, 300) },
      }
    },
  },
  {
    name: 'secrets-query',
    title: 'secrets in query strings',
    env: { MOCK_ADMIN_TOKEN: 'admintok-SECRET-7q2' },
    async run(server) {
      const kdstoken = 'c0ffee'.repeat(8)
      const extractCode = 'Zq7Xw9Kp'
      const admin = 'admintok-SECRET-7q2'
      const a = await send(server, { path: `/koodrive/ose/v1/share/userInfo?shortUrl=${VENDOR_SHORT_URL}&kdstoken=${kdstoken}&extractCode=${extractCode}`, headers: kooDriveHeaders() })
      const b = await send(server, { path: `/__admin/world?token=${admin}` })
      await sleep(300)
      const journal = (await send(server, { path: '/__admin/requests', headers: { authorization: `Bearer ${admin}` }, keep: 50 * MB })).body.toString()
      const log = readFileSync(server.logFile, 'utf8')
      const found = { kdstoken, extractCode, adminToken: admin }
      const where = Object.fromEntries(Object.entries(found).map(([name, value]) => [name, [log.includes(value) && 'log', journal.includes(value) && 'journal'].filter(Boolean)]))
      const leaks = Object.entries(where).filter(([, places]) => places.length > 0)
      return {
        rows: [
          {
            sent: `GET share/userInfo?…&kdstoken=<48 hex>&extractCode=<8>; GET /__admin/world?token=<MOCK_ADMIN_TOKEN> (no header)`,
            answer: `${a.status}, ${b.status}; in clear: ${leaks.length ? leaks.map(([n, p]) => `${n} in ${p.join(' + ')}`).join(', ') : 'nowhere'}`,
            held: leaks.length === 0,
            verdict: leaks.length ? `broke: ${leaks.map(([n]) => n).join(', ')} in clear` : 'held: redacted in log and journal',
          },
        ],
        details: { where, answers: [answerOf(a, 200), answerOf(b, 200)] },
      }
    },
  },
  {
    name: 'secrets-debug-body',
    title: 'secrets nested in a body at LOG_LEVEL=debug',
    env: { LOG_LEVEL: 'debug' },
    async run(server) {
      const secrets = { 'meta.KdsToken': 'beef01'.repeat(8), 'list[0].extractCode': 'Nested42', 'kdstoken (top level)': 'face02'.repeat(8) }
      const body = JSON.stringify({ meta: { KdsToken: secrets['meta.KdsToken'] }, list: [{ extractCode: secrets['list[0].extractCode'] }], kdstoken: secrets['kdstoken (top level)'] })
      const post = await send(server, koo('share/files', body))
      await sleep(300)
      const journal = (await send(server, { path: '/__admin/requests', keep: 50 * MB })).body.toString()
      const log = readFileSync(server.logFile, 'utf8')
      const where = Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, [log.includes(value) && 'log', journal.includes(value) && 'journal'].filter(Boolean)]))
      const leaks = Object.entries(where).filter(([, places]) => places.length > 0)
      return {
        rows: [
          {
            sent: 'LOG_LEVEL=debug; POST share/files {"meta":{"KdsToken":…},"list":[{"extractCode":…}],"kdstoken":…}',
            answer: `${answerOf(post, 40)}; in clear: ${leaks.length ? leaks.map(([n, p]) => `${n} in ${p.join(' + ')}`).join(', ') : 'nowhere'}`,
            held: leaks.length === 0,
            verdict: leaks.length ? `broke: ${leaks.map(([n]) => n).join(', ')} in clear` : 'held: redacted in log and journal',
          },
        ],
        details: { where, post: answerOf(post, 200) },
      }
    },
  },
  {
    name: 'envelopes',
    title: 'envelopes of the odd answers',
    async run(server) {
      await send(server, { path: '/__admin/docs' }) // Swagger UI loads on the first visit
      const port = new URL(server.url).port
      const rawGet = async (path) => (await rawSocket(server, { head: `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, untilMs: 5000 }).done).received
      const fromRaw = (text) => {
        const [head, ...rest] = text.split('\r\n\r\n')
        let body = rest.join('\r\n\r\n')
        if (/transfer-encoding: chunked/i.test(head)) body = dechunk(body)
        return { line: firstLine(head), type: /content-type: ([^\r\n;]+)/i.exec(head)?.[1] ?? '-', body }
      }
      const probes = [
        ['GET /__admin/docs/static/nope.js', fromRaw(await rawGet('/__admin/docs/static/nope.js'))],
        ['GET /__admin/docs/static/foo%00.js (forbidden path)', fromRaw(await rawGet('/__admin/docs/static/foo%00.js'))],
        ['OPTIONS /koodrive/ose/v1/share/tasks, no Origin, no Access-Control-Request-Method', fromRaw((await rawSocket(server, { head: `OPTIONS /koodrive/ose/v1/share/tasks HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, untilMs: 5000 }).done).received)],
        ['raw "GET /__admin/health HTTP/1.1" with no Host header', fromRaw((await rawSocket(server, { head: 'GET /__admin/health HTTP/1.1\r\nConnection: close\r\n\r\n', untilMs: 5000 }).done).received)],
      ]
      return {
        rows: probes.map(([sent, got]) => {
          // A bad header is a parameter error in KooDrive's own envelope (koodrive-api.md: 13000102); the rest are the gateway's.
          const gateway = isGatewayEnvelope(got.body)
          const held = gateway || isKooDriveEnvelope(got.body)
          return {
            sent,
            answer: `${got.line.replace('HTTP/1.1 ', '')}, ${got.type}: ${snippet(got.body || '(empty)', 80)}`,
            held,
            verdict: held ? `held: ${gateway ? 'gateway' : 'KooDrive'} envelope` : 'broke: not the vendor envelope',
          }
        }),
        details: Object.fromEntries(probes.map(([sent, got]) => [sent, got])),
      }
    },
  },
]

/** The body of a chunked answer, joined. */
function dechunk(text) {
  let body = ''
  for (let at = 0; ; ) {
    const eol = text.indexOf('\r\n', at)
    const size = parseInt(text.slice(at, eol), 16)
    if (!(size > 0)) return body
    body += text.slice(eol + 2, eol + 2 + size)
    at = eol + 2 + size + 2
  }
}

/** A POST in raw bytes: the KooDrive headers, a Content-Length, the body. */
function rawPost(server, operation, body, extraHeaders = {}) {
  const headers = { host: new URL(server.url).host, ...kooDriveHeaders(), ...extraHeaders, 'content-length': Buffer.byteLength(body) }
  return `POST /koodrive/ose/v1/${operation} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`
}

/** Declares a 1 MB body and sends one byte of it every 100 ms. */
function slowUpload(server, untilMs) {
  const headers = { host: new URL(server.url).host, ...kooDriveHeaders(), 'content-length': MB }
  const head = `POST /koodrive/ose/v1/share/tasks HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return rawSocket(server, { head, drip: ' ', everyMs: 100, untilMs })
}

/** SIGTERM 0.3 s after `inFlight` started: its answer, the exit code and how long the exit took. */
async function sigtermWith(server, inFlight, sent, describe) {
  await sleep(300)
  const termAt = performance.now()
  server.child.kill('SIGTERM')
  let answeredAt
  const answer = inFlight.then((r) => {
    answeredAt = performance.now()
    return r
  })
  const exit = await exitWithin(server, 15_000)
  const r = await Promise.race([answer, deadline(2000, undefined)])
  // `answered`: true or false where an answer is owed, 'not expected' for a hung socket or an upload.
  const got = r === undefined ? { text: 'nothing yet', answered: false } : describe(r)
  if (r?.socket) r.socket.destroy()
  const held = exit?.code === 0 && got.answered && exit.atMs - termAt < 5000
  return {
    rows: [
      {
        sent,
        answer: `client: ${got.text}${answeredAt ? ` (${seconds(answeredAt - termAt)} after SIGTERM)` : ''}; ${exitText(exit)}${exit ? ` ${seconds(exit.atMs - termAt)} after SIGTERM` : ' 15 s after SIGTERM'}`,
        held,
        verdict: held ? `held: exit 0 in ${seconds(exit.atMs - termAt)}${got.answered === true ? ', answered' : ''}` : `broke: ${exit === undefined ? 'still running' : exitText(exit)}${got.answered ? '' : ', request not answered'}`,
      },
    ],
    details: { exit, exitAfterMs: exit && Math.round(exit.atMs - termAt), answerAfterMs: answeredAt && Math.round(answeredAt - termAt), client: got.text },
  }
}

function serverFdLimit(server) {
  try {
    return /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/limits`, 'utf8'))?.[1] ?? '?'
  } catch {
    return '?'
  }
}

// ---------------------------------------------------------------------------------------------
// Run, print, write.

const only = options.only?.split(',').map((s) => s.trim())
const unknown = only?.filter((name) => !attacks.some((a) => a.name === name)) ?? []
if (unknown.length) throw new Error(`unknown attack ${unknown.join(', ')}; known: ${attacks.map((a) => a.name).join(', ')}`)
const chosen = attacks.filter((a) => !only || only.includes(a.name))
const startedAt = new Date()
const loadAverageAtStart = loadavg().map((n) => Math.round(n * 100) / 100)
const results = []
for (const attack of chosen) {
  process.stderr.write(`attacks: ${attack.name}… `)
  const t0 = performance.now()
  const server = await launch(attack.name, attack.env)
  const rssBeforeMb = server.rss()
  let outcome
  try {
    // A last bound over the attack's own: whatever hangs, move on.
    outcome = await Promise.race([attack.run(server), deadline(180_000, { rows: [{ sent: '-', answer: 'harness: no result in 180 s', held: false, verdict: 'unknown' }] })])
  } catch (error) {
    outcome = { rows: [{ sent: '-', answer: `harness error: ${error.stack}`, held: false, verdict: 'unknown' }] }
  }
  const rssAfterMb = server.exit === undefined ? server.rss() : server.lastRssMb
  const alive = server.exit === undefined
  const exit = server.exit && { code: server.exit.code, signal: server.exit.signal }
  const errors = serverErrors(server)
  await stop(server)
  if (Object.keys(errors).length > 0) outcome.rows[0].answer += `; server log: ${tallyText(errors)}`
  const result = {
    name: attack.name,
    title: attack.title,
    env: { LOG_LEVEL: 'info', MOCK_RANDOM_SEED: '1', ...attack.env },
    rssBeforeMb,
    rssAfterMb,
    rssPeakMb: Math.max(server.peakMb, rssAfterMb ?? 0),
    aliveAfter: alive,
    exit: exit ?? null,
    durationS: Math.round(since(t0) / 100) / 10,
    rows: outcome.rows,
    serverErrors: errors,
    details: outcome.details,
    logFile: server.logFile,
  }
  results.push(result)
  process.stderr.write(`${result.durationS} s\n`)
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
const rssCell = (r) => `${r.rssBeforeMb} → ${r.rssAfterMb ?? '?'}${r.rssPeakMb > (r.rssAfterMb ?? 0) + 20 ? ` (peak ${r.rssPeakMb})` : ''}${r.aliveAfter ? '' : `; ${exitText(r.exit ?? undefined)}`}`
const lines = ['| attack | sent | answer | RSS MB before → after | verdict |', '|---|---|---|---|---|']
for (const r of results) for (const row of r.rows) lines.push(`| ${cell(r.title)} | ${cell(row.sent)} | ${cell(row.answer)} | ${cell(rssCell(r))} | ${cell(row.verdict)} |`)
const finishedAt = new Date()
const meta = {
  date: startedAt.toISOString(),
  durationS: Math.round((finishedAt - startedAt) / 1000),
  command: `node bench/attacks.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  server: serverScript,
  node: process.version,
  cpus: cpus().length,
  loadAverageAtStart,
  note: 'the server runs on CPU 0, this harness on CPU 1 (taskset); the machine is shared, so timings are indicative',
}
console.log(lines.join('\n'))
console.log(`\n${meta.command}: ${results.length} attacks in ${meta.durationS} s; logs in ${logDir}`)
mkdirSync(join(root, 'bench/results'), { recursive: true })
const file = join(root, `bench/results/attacks-${meta.date.replace(/[:.]/g, '-')}.json`)
writeFileSync(file, JSON.stringify({ meta, results }, null, 2) + '\n')
console.log(`written to ${file}`)
