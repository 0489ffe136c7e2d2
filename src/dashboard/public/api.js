// Every call the page makes to the emulator: the admin token and the namespace header on admin
// calls, a 401 answered by asking for the token, and the API's own error message on failure.
import { askForToken, storedToken } from './token.js'
import { namespaceHeaders } from './namespace.js'

/** An answer that was not 2xx, with the message of the vendor's envelope it came in. */
class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(status, body))
    this.status = status
    this.body = body
  }
}

function messageOf(status, body) {
  if (body && typeof body === 'object') {
    if (typeof body.msg === 'string') return `${body.code}: ${body.msg}`
    if (typeof body.error_msg === 'string') return `${body.error_code}: ${body.error_msg}`
  }
  return `HTTP ${status}`
}

/** fetch() on an admin route; asks for the token (once, in a dialog) while the answer is 401. */
export async function fetchAdmin(path, init = {}) {
  for (;;) {
    const token = storedToken()
    const headers = { ...namespaceHeaders(), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers }
    const response = await fetch(path, { ...init, headers, cache: 'no-store' })
    if (response.status !== 401) return response
    await response.body?.cancel()
    const given = await askForToken(token ? 'That token was refused: the emulator runs with another MOCK_ADMIN_TOKEN.' : 'The emulator runs with MOCK_ADMIN_TOKEN set.')
    if (!given) return response
  }
}

/** An admin call answered with JSON; a JSON body is sent as given (a string as is, so the API judges it). */
export async function admin(path, { method = 'GET', body } = {}) {
  const init = { method }
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' }
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
  }
  return parseAnswer(await fetchAdmin(path, init))
}

async function parseAnswer(response) {
  const text = await response.text()
  let body = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (an injected malformed answer): shown as the text it is.
  }
  if (!response.ok) throw new ApiError(response.status, body)
  return body
}

/** X-Date as KooDrive wants it: yyyyMMdd'T'HHmmss'Z', UTC. */
const xDate = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

/** A KooDrive call from this page, as a web app beside the emulator would make it. */
export async function kooDrive(path, body, { userId, token, nowMs }) {
  const response = await fetch(`/koodrive/ose/v1/${path}`, {
    method: 'POST',
    cache: 'no-store',
    headers: {
      ...namespaceHeaders(),
      Authorization: `Bearer ${token}`,
      'X-User-Id': userId,
      'X-Date': xDate(nowMs),
      'X-Hw-Agentname': 'koodrive-mock-dashboard',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  })
  return parseAnswer(response)
}
