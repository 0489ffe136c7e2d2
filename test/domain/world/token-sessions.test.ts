import t from 'tap'
import { MAX_ISSUED_TOKENS, TokenSessions } from '../../../src/domain/world/token-sessions.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0)
let counter = 0
const sessions = (ttlMs = 1_200_000) => new TokenSessions(ttlMs, () => `t${++counter}`)

t.test("a started token expires its life after its last use; renewing moves it on; a token the store never saw never expires", async (t) => {
  const store = sessions()
  store.start(['ann-token'], T0)
  t.equal(store.expiresAtMs('ann-token'), T0 + 1_200_000)
  store.renew('ann-token', T0 + 1000)
  t.equal(store.expiresAtMs('ann-token'), T0 + 1_201_000)
  t.equal(store.lastUseMsOf('ann-token'), T0 + 1000)
  store.renew('stranger', T0)
  t.equal(store.lastUseMsOf('stranger'), undefined, 'renewing a token the store does not hold adds nothing')
  t.equal(store.expiresAtMs('stranger'), Number.POSITIVE_INFINITY)
  t.equal(store.issuedTo('ann-token'), undefined, "the world's own tokens are not issued ones")
})

t.test('issued tokens: their own life or the default; 0 lives for ever; clear forgets everything', async (t) => {
  const store = sessions(60_000)
  const own = store.issue('bob', 5000, T0)
  const fallback = store.issue('bob', undefined, T0)
  const forever = store.issue('bob', 0, T0)
  t.strictSame([own.ttlMs, fallback.ttlMs, forever.ttlMs], [5000, 60_000, 0])
  t.strictSame([store.expiresAtMs(own.token), store.expiresAtMs(fallback.token), store.expiresAtMs(forever.token)], [T0 + 5000, T0 + 60_000, Number.POSITIVE_INFINITY])
  t.equal(store.issuedTo(own.token), 'bob')
  store.clear()
  t.equal(store.issuedTo(own.token), undefined)
  t.equal(store.lastUseMsOf(fallback.token), undefined)
})

t.test('issuing drops the expired tokens at the front, and the oldest past the cap', async (t) => {
  const store = sessions()
  const short = store.issue('ann', 1000, T0)
  const long = store.issue('ann', 10_000, T0)
  store.issue('ann', 1000, T0 + 1000)
  t.equal(store.issuedTo(short.token), undefined, 'expired at T0+1s: gone when the next was issued')
  t.equal(store.issuedTo(long.token), 'ann', 'alive: kept')
  for (let i = 0; i < MAX_ISSUED_TOKENS; i++) store.issue('ann', 0, T0 + 2000)
  t.equal(store.issuedTo(long.token), undefined, 'past the cap the oldest goes, alive or not')
})
