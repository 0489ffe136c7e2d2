import t from 'tap'
import type { IncomingMessage } from 'node:http'
import { loadConfig } from '../../src/config.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { namespacesFromConfig } from '../../src/namespaces/from-config.js'
import { isNamespaceName, requestedNamespace } from '../../src/namespaces/namespace-name.js'
import { namespaceOf } from '../../src/namespaces/request-namespace.js'

const raw = (url: string, headers: Record<string, string | string[]> = {}) => ({ url, headers }) as unknown as IncomingMessage

t.test('names: 1 to 64 of A-Z a-z 0-9 . _ -', async (t) => {
  for (const name of ['a', 'worker-1', 'W.1_x', 'x'.repeat(64), 'default']) t.ok(isNamespaceName(name), name)
  for (const name of ['', 'x'.repeat(65), 'a b', 'a/b', 'ä', 'a,b', 'a\n']) t.notOk(isNamespaceName(name), JSON.stringify(name))
})

t.test('where a request names its namespace: the header anywhere; ?namespace= on admin and download paths only', async (t) => {
  t.same(requestedNamespace(raw('/koodrive/ose/v1/share/tasks', { 'x-mock-namespace': 'w1' })), { name: 'w1', from: 'header' })
  t.same(requestedNamespace(raw('/__admin/tasks?namespace=q', { 'x-mock-namespace': 'h' })), { name: 'h', from: 'header' }, 'the header wins')
  t.same(requestedNamespace(raw('/x', { 'x-mock-namespace': ['a', 'b'] })), { name: 'a,b', from: 'header' }, 'a repeated header is one bad name')
  t.same(requestedNamespace(raw('/__admin/tasks?limit=1&namespace=tab-1')), { name: 'tab-1', from: 'query' })
  t.same(requestedNamespace(raw('/obs/koodrive-share/k?namespace=w%2E1&X-Amz-Date=1')), { name: 'w.1', from: 'query' })
  t.same(requestedNamespace(raw('/__admin/tasks?namespace=a+b')), { name: 'a b', from: 'query' }, '+ is a space, as in a form')
  t.same(requestedNamespace(raw('/__admin/tasks?namespace=%E0%A4%A')), { name: '%E0%A4%A', from: 'query' }, 'bad percent-encoding is kept as sent (then refused)')
  t.equal(requestedNamespace(raw('/koodrive/ose/v1/share/userInfo?namespace=w1')), undefined, 'not on KooDrive routes')
  t.equal(requestedNamespace(raw('/__admin/tasks?namespaces=x&foo=namespace')), undefined)
  t.equal(requestedNamespace(raw('/__admin/tasks')), undefined)
})

t.test('a raw request that never went through genReqId is in default', async (t) => {
  const registry = namespacesFromConfig(loadConfig({}), { seed: DEFAULT_WORLD, randomSeed: 1 })
  t.equal(namespaceOf(raw('/x'), registry), registry.default)
})
