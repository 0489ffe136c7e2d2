import t from 'tap'
import type { Readable } from 'node:stream'
import { loadConfig } from '../../src/config.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { NamespaceFeeds } from '../../src/dashboard/namespace-feeds.js'
import { namespacesFromConfig } from '../../src/namespaces/from-config.js'

/** Everything a stream has pushed so far, as text. */
function collected(stream: Readable): () => string {
  let text = ''
  stream.on('data', (chunk: Buffer | string) => (text += String(chunk)))
  return () => text
}

t.test('a page hears its own namespace\'s changes only; a dropped namespace ends its pages\' streams', async (t) => {
  const registry = namespacesFromConfig(loadConfig({}), { seed: DEFAULT_WORLD, randomSeed: 1 })
  const feeds = new NamespaceFeeds(registry)
  t.teardown(() => feeds.close())
  const alpha = registry.use('alpha')
  const beta = registry.use('beta')
  t.equal(feeds.find(alpha), undefined, 'no feed until a page subscribes')
  const alphaStream = feeds.of(alpha).subscribe()
  const betaStream = feeds.of(beta).subscribe()
  t.equal(feeds.of(alpha), feeds.find(alpha), 'one feed per namespace')
  const alphaText = collected(alphaStream)
  const betaText = collected(betaStream)
  feeds.of(alpha).publish(['tasks'])
  feeds.of(alpha).flush()
  await new Promise((resolve) => setImmediate(resolve))
  t.match(alphaText(), 'event: change\ndata: {"topics":["tasks"]}')
  t.notMatch(betaText(), 'event: change', 'beta heard nothing')

  const ended = new Promise((resolve) => alphaStream.once('end', resolve))
  registry.drop('alpha')
  await ended
  t.pass('alpha\'s stream ended with its namespace')
  t.equal(feeds.find(alpha), undefined)
  t.equal(feeds.find(beta)?.size, 1, 'beta\'s page is still there')
})
