// Small DOM helpers: the page builds its elements with these, never with innerHTML, so nothing
// the emulator returns (file names, bodies) can become markup.

/** An element: `el('td', { class: 'num' }, 'text', child)`; attributes starting with `on` are listeners. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value)
    else if (name === 'text') node.textContent = value
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  append(node, children)
  return node
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    node.append(child instanceof Node ? child : String(child))
  }
  return node
}

/** Replaces what `node` holds. */
export function fill(node, ...children) {
  node.replaceChildren()
  return append(node, children)
}

/** Text a screen reader reads and sighted users do not see (the button "Complete" says which task). */
export const hidden = (text) => el('span', { class: 'visually-hidden' }, text)

export const $ = (selector) => document.querySelector(selector)

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
export function formatBytes(bytes) {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/** `2026-11-26 10:00:00.500` (UTC, as the emulator keeps time). */
export const formatTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')

/** A JSON value as indented text, for <pre>. */
export const pretty = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2))

/** Says `text` in the page's status line (a polite live region), as an error when `isError`. */
export function announce(text, isError = false) {
  const notice = $('#notice')
  notice.classList.toggle('error', isError)
  notice.textContent = text
}
