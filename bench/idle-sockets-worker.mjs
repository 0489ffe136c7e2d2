// A child of bench/attacks.mjs: opens COUNT keep-alive sockets to 127.0.0.1:PORT, one health
// request on each, then leaves them idle until its parent says "close". A process of its own
// because one process may hold only `ulimit -n` descriptors (20 000 here): the attack needs more
// sockets than that to reach the server's own limit.
//   node bench/idle-sockets-worker.mjs PORT COUNT DEADLINE_MS
import { connect } from 'node:net'

const [port, count, deadlineMs] = process.argv.slice(2).map(Number)
const IN_FLIGHT = 200
const deadline = Date.now() + deadlineMs
const sockets = []
/** outcome → number of sockets: `served 200`, `answered 503`, `ECONNRESET`, `closed without answer`… */
const outcomes = {}
let closedLater = 0
const count1 = (key) => (outcomes[key] = (outcomes[key] ?? 0) + 1)

function openOne() {
  return new Promise((resolve) => {
    let settled = false
    const settle = (key) => {
      if (settled) return
      settled = true
      count1(key)
      resolve()
    }
    const socket = connect({ port, host: '127.0.0.1' })
    sockets.push(socket)
    socket.setTimeout(15_000, () => {
      settle('no answer in 15 s')
    })
    socket.once('connect', () => socket.write(`GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`))
    socket.once('data', (chunk) => {
      socket.setTimeout(0)
      const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]
      settle(status === '200' ? 'served 200' : status ? `answered ${status}` : 'answered non-HTTP')
    })
    socket.on('error', (error) => settle(error.code ?? error.message))
    socket.once('close', () => {
      if (settled) closedLater++
      settle('closed without answer')
    })
  })
}

let next = 0
async function lane() {
  while (next < count && Date.now() < deadline) {
    next++
    await openOne()
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
const open = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open').length
process.send({ attempted: next, open, closedAfterAnswer: closedLater, outcomes })
process.on('message', (message) => {
  if (message !== 'close') return
  for (const socket of sockets) socket.destroy()
  process.exit(0)
})
