// "Try it": KooDrive calls from this page, as a web app beside the emulator makes them, so the
// task list, the journal and the fault rules can be watched reacting to a real request.
import { admin, kooDrive } from './api.js'
import { emulatorNow } from './clock.js'
import { $, announce, el, fill, pretty } from './dom.js'
import { currentWorld } from './world.js'

/** The vendor's example (koodrive-api.md): works in any lenient world. */
const VENDOR_EXAMPLE = {
  containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
  fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
  shareId: '1689765568237837824',
  target: { fileId: 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob', containerId: 'IAABh_RdhS8bOg0cA1684711052660690818' },
}

let lastTask

/** Tokens this page got from POST /__admin/tokens, by user: used in place of the world's once one was refused. */
const issued = new Map()

/** An open share of the world (no access code, not expired), else the vendor's example. */
function pickShare(world, nowMs) {
  const share = world?.shares.find((candidate) => candidate.extractCode === undefined && (candidate.expireTime === undefined || Date.parse(candidate.expireTime) > nowMs))
  return share === undefined ? VENDOR_EXAMPLE : { containerId: share.containerId, fileIds: share.fileIds.slice(0, 3), shareId: share.shareId }
}

function caller(userId = $('#try-user').value || 'ann') {
  const world = currentWorld()
  const user = world?.users.find((candidate) => candidate.userId === userId)
  const space = world?.spaces.find((candidate) => candidate.ownerId === userId)
  return { userId, token: issued.get(userId) ?? user?.tokens[0] ?? `${userId}-token`, nowMs: emulatorNow(), target: space === undefined ? VENDOR_EXAMPLE.target : { fileId: 'root', containerId: space.containerId } }
}

/** MOCK_AUTH=strict: a token unused for MOCK_TOKEN_TTL_S (0307), or a user with none of the world's (0301). */
const isRefusedToken = (error) => error.status === 401 && ['APIGW.0301', 'APIGW.0307'].includes(error.body?.error_code)

/** A KooDrive call; a refused token is replaced by one the admin API issues (as a login would), and the call made once more. */
async function callWithToken(path, body, who) {
  try {
    return await kooDrive(path, body, who)
  } catch (error) {
    if (!isRefusedToken(error)) throw error
    const { token } = await admin('/__admin/tokens', { method: 'POST', body: { userId: who.userId } })
    issued.set(who.userId, token)
    return kooDrive(path, body, { ...who, token })
  }
}

async function call(label, path, body, who) {
  const output = $('#try-output')
  try {
    const answer = await callWithToken(path, body, who)
    fill(output, el('strong', {}, `${label}: `), el('code', {}, pretty(answer)))
    return answer
  } catch (error) {
    fill(output, el('strong', { class: 'error-text' }, `${label} failed: `), el('code', {}, error.message))
    announce(`${label} failed: ${error.message}`, true)
    return undefined
  }
}

async function createTask(taskType) {
  const who = caller()
  const share = pickShare(currentWorld(), who.nowMs)
  const body = { taskType, containerId: share.containerId, fileIds: share.fileIds, shareId: share.shareId }
  if (taskType === 1) body.zipName = 'from-the-dashboard.zip'
  else body.targetFileId = who.target
  const answer = await call(taskType === 1 ? 'Zip task' : 'Dump task', 'share/tasks', body, who)
  if (answer?.taskId) lastTask = { taskId: answer.taskId, shareId: share.shareId, userId: who.userId }
}

async function pollLast() {
  if (lastTask === undefined) return announce('Create a task first', true)
  const who = caller(lastTask.userId)
  await call('taskDetail', 'share/taskDetail', { taskId: lastTask.taskId, shareId: lastTask.shareId }, who)
}

export function setUpTryIt() {
  $('#try-zip').addEventListener('click', () => createTask(1))
  $('#try-dump').addEventListener('click', () => createTask(2))
  $('#try-poll').addEventListener('click', pollLast)
}

/** The users to call as: the world's. */
export function renderTryItUsers(users) {
  const select = $('#try-user')
  const chosen = select.value || 'ann'
  fill(select, users.map((user) => el('option', { value: user.userId, selected: user.userId === chosen }, `${user.userId} (${user.name})`)))
}
