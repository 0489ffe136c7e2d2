// The emulator's clock (GET/POST /__admin/clock): shown, moved forward, and read by the task
// list, whose bars follow the emulator's time, not the browser's.
import { admin } from './api.js'
import { $, announce, fill, formatTime } from './dom.js'

let state = { mode: 'manual', nowMs: Date.now(), offsetMs: 0 }
let readAt = performance.now()

/** The emulator's time now: a manual clock stands still between reads; a real one runs on. */
export const emulatorNow = () => (state.mode === 'manual' ? state.nowMs : state.nowMs + (performance.now() - readAt))

export async function loadClock() {
  state = await admin('/__admin/clock')
  readAt = performance.now()
  renderClock()
}

function renderClock() {
  $('#clock-mode').textContent = state.mode === 'manual' ? 'manual (stands still until moved)' : 'real'
  fill($('#clock-now'), formatTime(emulatorNow()))
  $('#clock-offset').textContent = `${state.offsetMs} ms`
  $('#header-clock').textContent = `${formatTime(emulatorNow()).slice(0, 19)} (${state.mode})`
}

async function advance(advanceMs) {
  try {
    state = await admin('/__admin/clock', { method: 'POST', body: { advanceMs } })
    readAt = performance.now()
    renderClock()
    announce(`Clock moved ${advanceMs} ms forward`)
  } catch (error) {
    announce(error.message, true)
  }
}

export function setUpClock() {
  $('#advance-form').addEventListener('submit', (event) => {
    event.preventDefault()
    // The API checks the number (an integer, not negative): its message is the one shown.
    const text = $('#advance-ms').value.trim()
    advance(text === '' || Number.isNaN(Number(text)) ? text : Number(text))
  })
  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', () => advance(Number(button.dataset.advance)))
  }
  setInterval(() => state.mode === 'real' && renderClock(), 1000)
}
