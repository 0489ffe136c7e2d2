import t from 'tap'
import { CONNECTION_FAULTS } from '../../schemas/fault-rule.js'
import { ANSWERING_CONNECTIONS, CONNECTION_EFFECTS, type ConnectionFault } from '../../src/faults/effects.js'
import { startTestApp } from '../helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL } from '../helpers/requests.js'

t.test('the table has one entry per connection fault the rule schema allows, in its order', async (t) => {
  t.strictSame(Object.keys(CONNECTION_EFFECTS), [...CONNECTION_FAULTS])
  t.strictSame([...ANSWERING_CONNECTIONS], ['reset', 'hang', 'empty', 'malformed'])
  for (const [name, effect] of Object.entries(CONNECTION_EFFECTS)) {
    t.ok(effect.answer === 'instead' ? effect.phase === 'onRequest' : effect.phase === 'onSend', `${name}: an effect that answers instead acts before the route`)
  }
})

t.test('every connection fault does what the table says, to a real client', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_HANG_MAX_MS: '200' } })
  await test.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = test.app.server.address() as import('node:net').AddressInfo
  for (const name of Object.keys(CONNECTION_EFFECTS) as ConnectionFault[]) {
    const effect = CONNECTION_EFFECTS[name]
    await test.app.inject({ method: 'DELETE', url: '/__admin/requests' })
    const outcome = await fetch(`http://127.0.0.1:${port}${TASKS_URL}`, {
      method: 'POST',
      headers: { ...carrierHeaders(test.clock.now()), 'x-mock-fault': `connection=${name}; latency=20` },
      body: JSON.stringify(packageExample),
      signal: AbortSignal.timeout(2_000),
    }).then(
      async (res) => ({ status: res.status, body: await res.text().then((text) => text, () => 'cut') }),
      () => ({ status: 0, body: '' }),
    )
    // The server notes the request once its side of the connection is done, which a cut body makes a moment later than the client.
    const entries = async () => (await test.app.inject({ method: 'GET', url: '/__admin/requests' })).json().requests as { status: number; fault: string }[]
    for (let wait = 0; wait < 100 && (await entries()).length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10))
    const [entry] = await entries()
    t.equal(outcome.status === 0, !effect.responds, `${name}: responds is ${effect.responds}`)
    t.equal(entry?.status, effect.responds ? 200 : 0, `${name}: journaled with ${effect.responds ? 'its status' : 'status 0'}`)
    t.equal(entry?.fault, 'X-Mock-Fault')
    if (effect.answer === 'reshapes') t.not(outcome.body, 'malformed', `${name}: the route's own answer, reshaped`)
    if (name === 'malformed') t.throws(() => JSON.parse(outcome.body), `${name}: answered in the route's place, not JSON`)
  }
})
