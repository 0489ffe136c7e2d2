// The task list: every user's tasks, newest first (GET /__admin/tasks), each with a progress bar
// that follows the emulator's clock, its timeline, result, files, zip link and the admin actions.
import { admin } from './api.js'
import { emulatorNow } from './clock.js'
import { $, announce, el, fill, formatTime, hidden } from './dom.js'
import { FILE_STATUS_NAMES, isLive, phaseAt, RESULT_NAMES, STATUS_NAMES } from './task-phase.js'

const SHOWN = 50
const ACTIONS = [
  ['complete', 'Complete'],
  ['fail', 'Fail'],
  ['partial', 'Partly fail'],
  ['cancel', 'Cancel'],
]

/** taskId → { task, node, parts }: cards are updated in place, so focus and open details stay. */
const cards = new Map()
let onStale = () => {}

export async function loadTasks() {
  const { total, tasks } = await admin(`/__admin/tasks?limit=${SHOWN}`)
  $('#tasks-count').textContent = total === 0 ? 'No tasks yet.' : `${total} task${total === 1 ? '' : 's'}${total > SHOWN ? `, the newest ${SHOWN} shown` : ''}`
  const list = $('#task-list')
  const kept = new Set(tasks.map((task) => task.taskId))
  for (const [taskId, card] of cards) {
    if (!kept.has(taskId)) {
      card.node.remove()
      cards.delete(taskId)
    }
  }
  tasks.forEach((task, index) => {
    let card = cards.get(task.taskId)
    if (card === undefined) {
      card = makeCard(task)
      cards.set(task.taskId, card)
    }
    card.task = task
    card.asked = false
    renderCard(card)
    if (list.children[index] !== card.node) list.insertBefore(card.node, list.children[index] ?? null)
  })
}

const kindOf = (task) => (task.jobInfo.taskType === 1 ? `zip “${task.request.zipName}”` : 'dump')

function makeCard(task) {
  const titleId = `task-${task.taskId}`
  const parts = {
    status: el('span', { class: 'badge' }),
    bar: el('progress', { max: 100, 'aria-label': `Progress of task ${task.taskId}` }),
    percent: el('span', { class: 'percent' }),
    timeline: el('ol', { class: 'timeline', 'aria-label': 'Timeline' }),
    result: el('p', { class: 'result' }),
    files: el('ul', { class: 'files' }),
    filesSummary: el('summary'),
    link: el('p', { class: 'zip' }),
    buttons: [],
  }
  const actions = el('div', { class: 'actions', role: 'group', 'aria-label': `Actions on task ${task.taskId}` })
  for (const [action, label] of ACTIONS) {
    const button = el('button', { type: 'button', 'data-action': action, onclick: () => act(task.taskId, action) }, label, hidden(` task ${task.taskId}`))
    parts.buttons.push(button)
    actions.append(button)
  }
  const node = el(
    'li',
    { class: 'task', 'aria-labelledby': titleId, 'data-task-id': task.taskId },
    el('h3', { id: titleId }, `${kindOf(task)} `, el('code', {}, task.taskId)),
    el('p', { class: 'who' }, `by ${task.userId}, share `, el('code', {}, task.shareId), task.outcome ? ` · forced outcome: ${task.outcome}` : ''),
    el('div', { class: 'bar' }, parts.bar, parts.percent, parts.status),
    parts.timeline,
    parts.result,
    el('details', { class: 'file-details' }, parts.filesSummary, parts.files),
    parts.link,
    actions,
  )
  return { task, node, parts }
}

/** What changes with time: status, bar and timeline, worked out from the schedule and the emulator's clock. */
function renderPhase(card) {
  const { task, parts } = card
  const phase = phaseAt(task.schedule, emulatorNow())
  parts.status.textContent = STATUS_NAMES[phase.status]
  parts.status.dataset.status = String(phase.status)
  parts.bar.value = phase.progress
  parts.percent.textContent = `${phase.progress} %`
  fill(
    parts.timeline,
    el('li', {}, 'created ', el('time', {}, formatTime(task.schedule.createdAtMs))),
    phase.startedAtMs === undefined ? el('li', { class: 'later' }, 'not started') : el('li', {}, 'started ', el('time', {}, formatTime(phase.startedAtMs))),
    phase.endedAtMs === undefined ? el('li', { class: 'later' }, 'not ended') : el('li', {}, phase.status === 3 ? 'cancelled ' : 'ended ', el('time', {}, formatTime(phase.endedAtMs))),
  )
  for (const button of parts.buttons) button.disabled = !isLive(phase)
  // Ended by the clock but read while it was running: read it again for its result.
  if (!isLive(phase) && task.jobInfo.taskStatus < 2 && !card.asked) {
    card.asked = true
    onStale()
  }
  return phase
}

function renderCard(card) {
  const { task, parts } = card
  renderPhase(card)
  const { jobInfo, taskInfos } = task
  parts.result.textContent = jobInfo.taskResultCode === undefined ? '' : `Result: ${RESULT_NAMES[jobInfo.taskResultCode]} (taskResultCode ${jobInfo.taskResultCode})`
  const counts = { 0: 0, 1: 0, 2: 0 }
  for (const info of taskInfos) counts[info.status]++
  parts.filesSummary.textContent = `Files (${taskInfos.length}): ${counts[1]} succeeded, ${counts[2]} failed, ${counts[0]} pending`
  fill(
    parts.files,
    taskInfos.slice(0, 200).map((info) =>
      el('li', {}, el('code', {}, info.fileId), ` ${FILE_STATUS_NAMES[info.status]}`, info.newFileId ? [' → copy ', el('code', {}, info.newFileId)] : ''),
    ),
    taskInfos.length > 200 ? el('li', {}, `and ${taskInfos.length - 200} more`) : '',
  )
  fill(parts.link, jobInfo.downloadUrl ? el('a', { href: jobInfo.downloadUrl, download: task.request.zipName }, `Download ${task.request.zipName}`) : '')
}

async function act(taskId, action) {
  try {
    const task = await admin(`/__admin/tasks/${encodeURIComponent(taskId)}`, { method: 'POST', body: { action } })
    const card = cards.get(taskId)
    if (card) {
      card.task = task
      renderCard(card)
    }
    announce(`Task ${taskId}: ${action} done`)
  } catch (error) {
    announce(error.message, true)
  }
}

/** Moves the bars of running tasks; `stale` is called when one has ended since it was read. */
export function startTaskClock(stale) {
  onStale = stale
  setInterval(() => {
    for (const card of cards.values()) if (card.task.jobInfo.taskStatus < 2) renderPhase(card)
  }, 250)
}
