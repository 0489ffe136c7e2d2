// The request journal (GET /__admin/requests): newest first, filtered by operation, status and
// user; a row opens the request and response bodies, the fault that fired, and a curl command.
import { admin } from './api.js'
import { curlOf } from './curl.js'
import { $, announce, el, fill, pretty } from './dom.js'
import { currentWorld } from './world.js'

const SHOWN = 100
let entries = []
let openId
/** Operations, statuses and users seen so far: the filters' suggestions, from the journal itself. */
const seen = { operation: new Set(), status: new Set(), userId: new Set() }

function query() {
  const params = new URLSearchParams({ limit: String(SHOWN) })
  for (const name of ['operation', 'status', 'userId']) {
    const value = $(`#filter-${name}`).value.trim()
    if (value !== '') params.set(name, value)
  }
  return params
}

export async function loadRequests() {
  let answer
  try {
    answer = await admin(`/__admin/requests?${query()}`)
  } catch (error) {
    // A filter the API refuses (status "abc"): its message, where the filters are.
    $('#filter-error').textContent = error.message
    return
  }
  $('#filter-error').textContent = ''
  entries = answer.requests
  $('#requests-count').textContent = `${answer.total} matching request${answer.total === 1 ? '' : 's'}${answer.total > SHOWN ? `, the newest ${SHOWN} shown` : ''}`
  for (const entry of entries) {
    seen.operation.add(entry.operation)
    seen.status.add(String(entry.status))
    if (entry.userId !== null) seen.userId.add(entry.userId)
  }
  for (const [name, values] of Object.entries(seen)) fill($(`#seen-${name}`), [...values].sort().map((value) => el('option', { value })))
  fill($('#request-rows'), entries.map(row))
  if (openId !== undefined) showDetail(entries.find((entry) => entry.id === openId), false)
}

function row(entry) {
  const failed = entry.status === 0 || entry.status >= 400
  return el(
    'tr',
    { class: [failed ? 'failed' : '', entry.id === openId ? 'selected' : ''].join(' ').trim() || undefined, 'data-id': entry.id },
    el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => showDetail(entry, true), 'aria-label': `Request ${entry.id}: ${entry.method} ${entry.path}, status ${entry.status}` }, `#${entry.id}`)),
    el('td', {}, el('time', {}, entry.time.slice(11, 23))),
    el('td', {}, entry.method),
    el('td', { class: 'path' }, entry.path),
    el('td', {}, entry.operation),
    el('td', {}, entry.userId ?? '–'),
    el('td', { class: 'num status' }, entry.status === 0 ? '0 (no answer)' : String(entry.status)),
    el('td', { class: 'num' }, String(entry.durationMs)),
    el('td', {}, entry.fault ?? ''),
  )
}

function showDetail(entry, focus) {
  const panel = $('#request-detail')
  if (entry === undefined) {
    openId = undefined
    return fill(panel, el('p', {}, 'That request is no longer in the journal (or the filters hide it).'))
  }
  openId = entry.id
  for (const tr of document.querySelectorAll('#request-rows tr')) tr.classList.toggle('selected', tr.dataset.id === String(entry.id))
  const curl = curlOf(entry, location.origin, (userId) => currentWorld()?.users.find((user) => user.userId === userId)?.tokens[0])
  fill(
    panel,
    el('h3', { id: 'detail-title', tabindex: '-1' }, `Request #${entry.id}: ${entry.method} ${entry.path}`),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Time'), el('dd', {}, entry.time),
      el('dt', {}, 'Operation'), el('dd', {}, entry.operation),
      el('dt', {}, 'Status'), el('dd', {}, entry.status === 0 ? '0: no answer (a connection fault)' : String(entry.status)),
      el('dt', {}, 'Fault that fired'), el('dd', {}, entry.fault ?? 'none'),
      el('dt', {}, 'Duration'), el('dd', {}, `${entry.durationMs} ms`),
    ),
    el('h4', {}, 'Request headers'),
    el('pre', { tabindex: '0', 'aria-label': 'Request headers' }, pretty(entry.headers)),
    el('h4', {}, 'Request body', entry.bodyTruncated ? ` (first ${entry.bodyTruncated.keptBytes} of ${entry.bodyTruncated.originalBytes} bytes)` : ''),
    el('pre', { tabindex: '0', 'aria-label': 'Request body' }, entry.body === null ? '(none)' : pretty(entry.body)),
    el('h4', {}, 'Response body', entry.responseBodyTruncated ? ` (first ${entry.responseBodyTruncated.keptBytes} of ${entry.responseBodyTruncated.originalBytes} bytes)` : ''),
    el('pre', { tabindex: '0', 'aria-label': 'Response body' }, entry.responseBody === null ? '(none)' : pretty(entry.responseBody)),
    el('h4', {}, 'As curl'),
    el('p', { class: 'hint' }, 'Secrets the journal hides stay [Redacted], but for a seeded user\'s token; X-Date is signed anew.'),
    el('pre', { id: 'curl-text', tabindex: '0', 'aria-label': 'curl command' }, curl),
    el('button', { type: 'button', id: 'copy-curl', onclick: () => copy(curl) }, 'Copy as curl'),
  )
  if (focus) $('#detail-title').focus()
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text)
    announce('curl command copied')
  } catch {
    // No clipboard outside a secure context (http on another host name): select it for Ctrl+C.
    getSelection().selectAllChildren($('#curl-text'))
    announce('Press Ctrl+C to copy the selected command')
  }
}

export function setUpRequests(refresh) {
  const form = $('#request-filters')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    refresh()
  })
  form.addEventListener('change', () => refresh())
  form.addEventListener('reset', () => setTimeout(refresh))
  $('#clear-journal').addEventListener('click', async () => {
    try {
      const { count } = await admin('/__admin/requests', { method: 'DELETE' })
      announce(`${count} journal entries removed`)
    } catch (error) {
      announce(error.message, true)
    }
  })
}
