// The world (GET /__admin/world): users, spaces with their quota, shares with their access codes,
// and the file tree, whose folders are drawn when opened (a world can hold 100 000 entries).
import { admin } from './api.js'
import { $, el, fill, formatBytes } from './dom.js'

const CHILDREN_SHOWN = 200
let world
/** Folders the user opened stay open when the world is read again. */
const openFolders = new Set()

export const currentWorld = () => world

export async function loadWorld() {
  world = await admin('/__admin/world')
  render()
  return world
}

function render() {
  const { users, spaces, files, shares } = world
  const used = new Map()
  const children = new Map()
  for (const file of files) {
    used.set(file.containerId, (used.get(file.containerId) ?? 0) + (file.size ?? 0))
    const key = `${file.containerId}/${file.parentId}`
    if (!children.has(key)) children.set(key, [])
    children.get(key).push(file)
  }
  $('#world-summary').textContent = `${users.length} users, ${spaces.length} spaces, ${files.length} files and folders, ${shares.length} shares`
  const codes = (values) => values.map((value, i) => [i > 0 ? ', ' : '', el('code', {}, value)])
  // Apps by their AppId: the secret is in GET /__admin/world for whoever needs it, not on screen.
  fill($('#user-rows'), users.map((user) => el('tr', {}, el('td', {}, el('code', {}, user.userId)), el('td', {}, user.name), el('td', {}, codes(user.tokens)), el('td', {}, codes((user.apps ?? []).map((app) => app.appId))))))
  fill(
    $('#space-rows'),
    spaces.map((space) => {
      const bytes = used.get(space.containerId) ?? 0
      const label = `${formatBytes(bytes)} of ${formatBytes(space.capacityBytes)}`
      return el(
        'tr',
        {},
        el('td', {}, el('code', {}, space.containerId)),
        el('td', {}, space.ownerId),
        el('td', {}, el('meter', { min: 0, max: Math.max(space.capacityBytes, 1), value: Math.min(bytes, space.capacityBytes), 'aria-label': `Space ${space.containerId} used` }), ` ${label}`),
      )
    }),
  )
  fill(
    $('#share-rows'),
    shares.map((share) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, share.shareId)),
        el('td', {}, el('code', {}, share.shortUrl)),
        el('td', {}, share.ownerId),
        el('td', {}, share.extractCode ? el('code', {}, share.extractCode) : 'none'),
        el('td', {}, share.expireTime ? share.expireTime.slice(0, 10) : 'never'),
        el('td', { class: 'num' }, String(share.fileIds.length)),
      ),
    ),
  )
  fill(
    $('#file-tree'),
    spaces.map((space) => folderNode(`${space.containerId} (${space.ownerId})`, `${space.containerId}/root`, children)),
  )
}

/** A folder as <details>: its entries are drawn the first time it is opened. */
function folderNode(label, key, children) {
  const list = el('ul')
  const entries = children.get(key) ?? []
  const details = el('details', {}, el('summary', {}, label, ` · ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`), list)
  details.addEventListener('toggle', () => {
    if (details.open) openFolders.add(key)
    else openFolders.delete(key)
    if (!details.open || list.childElementCount > 0) return
    const shown = [...entries].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1)).slice(0, CHILDREN_SHOWN)
    fill(
      list,
      shown.map((entry) =>
        el('li', {}, entry.type === 'folder' ? folderNode(`${entry.name}/`, `${entry.containerId}/${entry.fileId}`, children) : fileLine(entry)),
      ),
      entries.length > CHILDREN_SHOWN ? el('li', {}, `and ${entries.length - CHILDREN_SHOWN} more`) : '',
    )
  })
  details.open = openFolders.has(key)
  return el('div', { class: 'folder' }, details)
}

const fileLine = (file) =>
  el('span', { class: file.recycled ? 'recycled' : undefined }, file.name, ' ', el('small', {}, `${formatBytes(file.size ?? 0)} · `, el('code', {}, file.fileId), file.recycled ? ' · in the recycle bin' : '', file.copiedFromId ? ' · a dump\'s copy' : ''))
