// Fault rules (GET/POST/DELETE /__admin/faults): the rules with their counters, presets that switch
// on and off, and a rule typed as JSON, sent as typed so the API's own message answers a bad one.
import { admin } from './api.js'
import { $, announce, el, fill, hidden } from './dom.js'
import { PRESETS } from './presets.js'

let rules = []

export async function loadFaults() {
  rules = (await admin('/__admin/faults')).rules
  render()
}

/** A rule as written, without what the emulator adds (id, counters). */
function definition(rule) {
  const { id: _id, matched: _matched, fired: _fired, ...rest } = rule
  return JSON.stringify(rest)
}

function render() {
  const ids = new Set(rules.map((rule) => rule.id))
  for (const button of document.querySelectorAll('#presets button')) button.setAttribute('aria-pressed', String(ids.has(button.dataset.ruleId)))
  $('#faults-count').textContent = rules.length === 0 ? 'No rules: every request is answered normally.' : `${rules.length} rule${rules.length === 1 ? '' : 's'}, checked in order.`
  fill(
    $('#fault-rows'),
    rules.map((rule) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, rule.id)),
        el('td', {}, el('code', { class: 'rule' }, definition(rule))),
        el('td', { class: 'num' }, String(rule.matched)),
        el('td', { class: 'num' }, String(rule.fired)),
        el('td', {}, el('button', { type: 'button', onclick: () => remove(rule.id) }, 'Remove', hidden(` rule ${rule.id}`))),
      ),
    ),
  )
}

async function remove(id) {
  try {
    rules = (await admin(`/__admin/faults/${encodeURIComponent(id)}`, { method: 'DELETE' })).rules
    render()
    announce(`Rule ${id} removed`)
  } catch (error) {
    announce(error.message, true)
  }
}

async function add(body) {
  const { rule } = await admin('/__admin/faults', { method: 'POST', body })
  rules = [...rules, rule]
  render()
  announce(`Rule ${rule.id} added`)
}

export function setUpFaults() {
  fill(
    $('#presets'),
    PRESETS.map((preset) =>
      el(
        'li',
        {},
        el('button', { type: 'button', 'data-rule-id': preset.rule.id, 'aria-pressed': 'false', 'aria-describedby': `preset-${preset.rule.id}`, onclick: (event) => toggle(preset, event.currentTarget) }, preset.label),
        el('span', { id: `preset-${preset.rule.id}`, class: 'hint' }, preset.what),
      ),
    ),
  )
  $('#rule-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const error = $('#rule-error')
    error.textContent = ''
    try {
      await add($('#rule-json').value)
    } catch (failure) {
      error.textContent = failure.message
    }
  })
  $('#clear-rules').addEventListener('click', async () => {
    try {
      rules = (await admin('/__admin/faults', { method: 'DELETE' })).rules
      render()
      announce('Every rule removed')
    } catch (error) {
      announce(error.message, true)
    }
  })
}

async function toggle(preset, button) {
  try {
    if (button.getAttribute('aria-pressed') === 'true') await remove(preset.rule.id)
    else await add(preset.rule)
  } catch (error) {
    announce(error.message, true)
  }
}
