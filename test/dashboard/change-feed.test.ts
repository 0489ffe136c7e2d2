import { once } from 'node:events'
import type { Readable } from 'node:stream'
import t from 'tap'
import { ChangeFeed } from '../../src/dashboard/change-feed.js'

const READY = 'retry: 2000\n\nevent: ready\ndata: {"topics":["tasks","requests","faults","world","clock"]}\n\n'
/** A window no test waits for: they flush by hand. */
const NEVER = 3_600_000

/** Everything a stream holds now, as text. */
const drain = (stream: Readable) => {
  let text = ''
  for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) text += chunk.toString()
  return text
}

/** The next chunk a stream gives, waiting for it when it has none yet, for 5 s at most. */
async function nextChunk(stream: Readable): Promise<string> {
  const chunk = stream.read() as Buffer | null
  if (chunk !== null) return chunk.toString()
  // The feed's keep-alive timer is unref'd (a server's socket keeps the process up): this one keeps the test's.
  let deadline: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    deadline = setTimeout(() => reject(new Error('no chunk within 5 s')), 5_000)
  })
  await Promise.race([once(stream, 'readable'), expired]).finally(() => clearTimeout(deadline))
  return nextChunk(stream)
}

t.test('a new stream starts with the retry time and a ready event naming every topic', async (t) => {
  const feed = new ChangeFeed()
  t.teardown(() => feed.close())
  const stream = feed.subscribe()
  t.equal(await nextChunk(stream), READY)
  t.equal(feed.size, 1)
})

t.test('changes within the window go out as one event with each topic once, to every stream', async (t) => {
  const feed = new ChangeFeed({ windowMs: NEVER })
  t.teardown(() => feed.close())
  const first = feed.subscribe()
  const second = feed.subscribe()
  t.equal(drain(first) + drain(second), READY + READY)
  feed.publish(['requests', 'faults'])
  feed.publish(['tasks', 'requests'])
  t.equal(drain(first), '', 'nothing before the window ends')
  feed.flush()
  const event = 'event: change\ndata: {"topics":["requests","faults","tasks"]}\n\n'
  t.equal(drain(first), event)
  t.equal(drain(second), event)
  feed.publish(['clock'])
  feed.flush()
  t.equal(drain(first), 'event: change\ndata: {"topics":["clock"]}\n\n', 'the next window is an event of its own')
})

t.test('the window\'s own timer sends the event', async (t) => {
  const feed = new ChangeFeed({ windowMs: 1 })
  t.teardown(() => feed.close())
  const stream = feed.subscribe()
  await nextChunk(stream)
  feed.publish(['world'])
  t.equal(await nextChunk(stream), 'event: change\ndata: {"topics":["world"]}\n\n')
})

t.test('nothing is gathered while no stream is open, and an empty change is no event', async (t) => {
  const feed = new ChangeFeed({ windowMs: NEVER })
  t.teardown(() => feed.close())
  feed.publish(['world'])
  const stream = feed.subscribe()
  drain(stream)
  feed.publish([])
  feed.flush()
  t.equal(drain(stream), '', 'an empty window sends nothing')
  feed.publish(['clock'])
  feed.flush()
  t.equal(drain(stream), 'event: change\ndata: {"topics":["clock"]}\n\n', 'world, published before the stream opened, is not in it')
})

t.test('a reader that stops reading holds a full buffer at most; the changes it missed come as one event', async (t) => {
  const feed = new ChangeFeed({ windowMs: NEVER })
  t.teardown(() => feed.close())
  const stalled = feed.subscribe()
  drain(stalled)
  let windows = 0
  while (stalled.readableLength < stalled.readableHighWaterMark) {
    feed.publish([windows++ % 2 === 0 ? 'requests' : 'tasks'])
    feed.flush()
  }
  const buffered = stalled.readableLength
  t.ok(windows > 100, `the buffer filled after ${windows} events (${buffered} bytes)`)
  for (let i = 0; i < 10_000; i++) {
    feed.publish(i % 2 === 0 ? ['world', 'faults'] : ['clock'])
    feed.flush()
  }
  t.equal(stalled.readableLength, buffered, 'ten thousand more windows buffered nothing')
  const text = drain(stalled)
  t.equal(text.split('event: change').length - 1, windows + 1, 'every event it had, then one more')
  t.match(text.slice(text.lastIndexOf('event: change')), /^event: change\ndata: \{"topics":\["world","faults","clock"\]\}\n\n$/, 'the missed changes, each topic once')
})

t.test('a keep-alive comment goes to quiet streams', async (t) => {
  const feed = new ChangeFeed({ heartbeatMs: 5 })
  t.teardown(() => feed.close())
  const stream = feed.subscribe()
  await nextChunk(stream)
  t.equal(await nextChunk(stream), ': keep-alive\n\n')
})

t.test('a reader that is behind gets no keep-alive either', async (t) => {
  const feed = new ChangeFeed({ windowMs: NEVER, heartbeatMs: 2 })
  t.teardown(() => feed.close())
  const stalled = feed.subscribe()
  const reading = feed.subscribe()
  drain(stalled)
  while (stalled.readableLength < stalled.readableHighWaterMark) {
    feed.publish(['requests'])
    feed.flush()
  }
  drain(reading)
  const buffered = stalled.readableLength
  t.equal(await nextChunk(reading), ': keep-alive\n\n', 'the keep-alive timer ran')
  t.equal(stalled.readableLength, buffered, 'and added nothing to the full buffer')
})

t.test('a destroyed stream leaves the feed; the last one stops the keep-alive timer', async (t) => {
  const feed = new ChangeFeed({ heartbeatMs: 5 })
  t.teardown(() => feed.close())
  const first = feed.subscribe()
  const second = feed.subscribe()
  first.destroy()
  await once(first, 'close')
  t.equal(feed.size, 1)
  second.destroy()
  await once(second, 'close')
  t.equal(feed.size, 0)
  const third = feed.subscribe()
  t.equal(await nextChunk(third), READY, 'a stream opened later starts afresh')
})

t.test('close ends every stream (the server is not held open by a dashboard); later ones end at once', async (t) => {
  const feed = new ChangeFeed({ windowMs: NEVER, heartbeatMs: 1 })
  const stream = feed.subscribe()
  stream.resume()
  feed.publish(['tasks'])
  const ended = once(stream, 'end')
  feed.close()
  feed.close()
  // Requests still finishing while the server drains publish into ended streams: nothing breaks.
  feed.publish(['world'])
  feed.flush()
  await ended
  t.equal(feed.size, 0)
  const late = feed.subscribe()
  t.equal(await nextChunk(late), READY)
  late.resume()
  await once(late, 'end')
  t.equal(feed.size, 0, 'a stream opened while closing is never counted')
})
