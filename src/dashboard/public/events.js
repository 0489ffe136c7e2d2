// The emulator's change stream (GET /__admin/events), read with fetch rather than EventSource:
// EventSource cannot send the admin token or the namespace header.
import { fetchAdmin } from './api.js'

/** The `event:` and `data:` of one server-sent event block; comments (`: keep-alive`) give nothing. */
function parseEvent(block) {
  let event = 'message'
  let data = ''
  let retry
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') event = value
    else if (field === 'data') data += data === '' ? value : `\n${value}`
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value)
  }
  return { event, data, retry }
}

/**
 * Follows the stream: `onTopics(topics)` for each `ready` (everything, also after a reconnect)
 * and `change` event; `onState('live' | 'reconnecting')`. Reconnects after the server's `retry:`,
 * backing off while the emulator is away. `stop()` ends it (a namespace switch).
 */
export function followChanges({ onTopics, onState }) {
  let stopped = false
  let controller
  let retryMs = 2000
  let failures = 0

  async function connect() {
    controller = new AbortController()
    try {
      const response = await fetchAdmin('/__admin/events', { signal: controller.signal })
      if (!response.ok || response.body === null) throw new Error(`GET /__admin/events answered ${response.status}`)
      onState('live')
      failures = 0
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value.replace(/\r\n?/g, '\n')
        let end
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const { event, data, retry } = parseEvent(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
          if (retry !== undefined) retryMs = retry
          if ((event === 'ready' || event === 'change') && data !== '') onTopics(JSON.parse(data).topics)
        }
      }
    } catch {
      // The emulator went away or the stream was stopped: below decides whether to come back.
    }
    if (stopped) return
    onState('reconnecting')
    setTimeout(connect, Math.min(retryMs * 2 ** failures++, 30_000))
  }

  connect()
  return {
    stop() {
      stopped = true
      controller?.abort()
    },
  }
}
