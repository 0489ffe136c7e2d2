// The dashboard's start: panels set up, namespaces offered, and the change stream followed; each
// topic it names is read again, one read at a time per topic (a busy emulator never queues more).
import { admin, fetchAdmin } from './api.js'
import { loadClock, setUpClock } from './clock.js'
import { $, announce, el, fill } from './dom.js'
import { followChanges } from './events.js'
import { loadFaults, setUpFaults } from './faults.js'
import { currentNamespace, loadNamespaces, pickNamespace } from './namespace.js'
import { loadRequests, setUpRequests } from './requests.js'
import { loadTasks, startTaskClock } from './tasks.js'
import { renderTryItUsers, setUpTryIt } from './try-it.js'
import { loadWorld } from './world.js'

const loaders = {
  clock: loadClock,
  tasks: loadTasks,
  requests: loadRequests,
  faults: loadFaults,
  world: async () => renderTryItUsers((await loadWorld()).users),
}
/** The world can be large: read at most once a second while requests pour in. */
const MIN_GAP_MS = { world: 1000 }
const reads = {}

async function refresh(topic) {
  const read = (reads[topic] ??= { busy: false, again: false, lastAt: -Infinity })
  if (read.busy) {
    read.again = true
    return
  }
  read.busy = true
  const wait = (MIN_GAP_MS[topic] ?? 0) - (performance.now() - read.lastAt)
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  try {
    await loaders[topic]()
  } catch (error) {
    announce(`Reading ${topic} failed: ${error.message}`, true)
  }
  read.lastAt = performance.now()
  read.busy = false
  if (read.again) {
    read.again = false
    refresh(topic)
  }
}

/** Tasks are drawn by the emulator's clock, so the clock is read first when both changed. */
async function onTopics(topics) {
  if (topics.includes('clock')) await refresh('clock')
  for (const topic of topics) if (topic !== 'clock') refresh(topic)
}

function onState(state) {
  const live = $('#live')
  live.textContent = state === 'live' ? 'Live' : 'Reconnecting…'
  live.dataset.state = state
}

let stream

function follow() {
  stream?.stop()
  stream = followChanges({ onTopics, onState })
}

async function setUpNamespaces() {
  const select = $('#namespace')
  const namespaces = await loadNamespaces(fetchAdmin)
  fill(select, namespaces.map((namespace) => el('option', { value: namespace.name, selected: namespace.name === currentNamespace() }, namespace.name)))
  select.disabled = namespaces.length < 2
  select.addEventListener('change', () => {
    pickNamespace(select.value)
    announce(`Namespace ${select.value}`)
    follow()
  })
}

function setUpReset() {
  $('#reset-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      const answer = await admin(`/__admin/reset${$('#reset-faults').checked ? '?faults=true' : ''}`, { method: 'POST' })
      announce(`Reset in ${answer.durationMs} ms: ${answer.world.shares} shares, ${answer.faultRules} fault rules`)
    } catch (error) {
      announce(error.message, true)
    }
  })
}

setUpClock()
setUpFaults()
setUpRequests(() => refresh('requests'))
setUpTryIt()
setUpReset()
startTaskClock(() => refresh('tasks'))
try {
  await setUpNamespaces()
} catch (error) {
  announce(error.message, true)
}
follow()
