import t from 'tap'
import { KdstokenStore } from '../../../src/domain/world/kdstokens.js'

const TTL_MS = 20 * 60_000
const NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0)
const SHARE = '1379292058976712619'

const NEEDS_TOKEN = 'this share has an access code: call share/verify and send its kdstoken'
const NOT_VALID = 'the kdstoken is not valid for this share and user'
const EXPIRED = 'the kdstoken has expired: call share/verify again'

/** Tokens "t1", "t2"... so a test knows which grant is which. */
function countingTokens(): () => string {
  let next = 0
  return () => `t${++next}`
}

t.test('issue returns the next token, which opens its share for its user', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  t.equal(store.issue(SHARE, 'ann', NOW_MS), 't1')
  t.equal(store.issue(SHARE, 'bob', NOW_MS), 't2')
  t.equal(store.problem('t1', SHARE, 'ann', NOW_MS), undefined)
  t.equal(store.problem('t2', SHARE, 'bob', NOW_MS), undefined)
})

t.test('no token: the caller is told to call share/verify', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem(undefined, SHARE, 'ann', NOW_MS), NEEDS_TOKEN)
})

t.test('a token never issued is not valid', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem('t2', SHARE, 'ann', NOW_MS), NOT_VALID)
  t.equal(store.problem('', SHARE, 'ann', NOW_MS), NOT_VALID)
})

t.test('a token of another share or another user is not valid', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const token = store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem(token, '1689765568237837824', 'ann', NOW_MS), NOT_VALID, 'another share')
  t.equal(store.problem(token, SHARE, 'bob', NOW_MS), NOT_VALID, 'another user')
})

t.test('a token is valid until its TTL has passed, and expired exactly at it', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const token = store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem(token, SHARE, 'ann', NOW_MS + TTL_MS - 1), undefined)
  t.equal(store.problem(token, SHARE, 'ann', NOW_MS + TTL_MS), EXPIRED)
  t.equal(store.problem(token, SHARE, 'ann', NOW_MS + 10 * TTL_MS), EXPIRED)
})

t.test('an expired token of another share is reported as not valid, not as expired', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const token = store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem(token, '1', 'ann', NOW_MS + TTL_MS), NOT_VALID)
})

t.test('a new grant for the same share and user is a new token; the old one still works', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const first = store.issue(SHARE, 'ann', NOW_MS)
  const second = store.issue(SHARE, 'ann', NOW_MS + 1_000)
  t.not(first, second)
  t.equal(store.problem(first, SHARE, 'ann', NOW_MS + TTL_MS - 1), undefined)
  t.equal(store.problem(first, SHARE, 'ann', NOW_MS + TTL_MS), EXPIRED)
  t.equal(store.problem(second, SHARE, 'ann', NOW_MS + TTL_MS), undefined, 'the second lives from its own issue time')
})

t.test('past 100000 grants the oldest goes, and only the oldest', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  for (let i = 0; i < 100_000; i++) store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem('t1', SHARE, 'ann', NOW_MS), undefined, 'at 100000 grants nothing has gone')
  t.equal(store.issue(SHARE, 'ann', NOW_MS), 't100001')
  t.equal(store.problem('t1', SHARE, 'ann', NOW_MS), NOT_VALID, 'the oldest went')
  t.equal(store.problem('t2', SHARE, 'ann', NOW_MS), undefined, 'the second oldest stayed')
  t.equal(store.problem('t100001', SHARE, 'ann', NOW_MS), undefined)
  store.issue(SHARE, 'ann', NOW_MS)
  t.equal(store.problem('t2', SHARE, 'ann', NOW_MS), NOT_VALID, 'the next grant takes the next oldest')
  t.equal(store.problem('t3', SHARE, 'ann', NOW_MS), undefined)
})

t.test('clear forgets every grant', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const a = store.issue(SHARE, 'ann', NOW_MS)
  const b = store.issue('1', 'bob', NOW_MS)
  store.clear()
  t.equal(store.problem(a, SHARE, 'ann', NOW_MS), NOT_VALID)
  t.equal(store.problem(b, '1', 'bob', NOW_MS), NOT_VALID)
  const c = store.issue(SHARE, 'ann', NOW_MS)
  t.equal(c, 't3', 'tokens keep coming from the same source')
  t.equal(store.problem(c, SHARE, 'ann', NOW_MS), undefined)
})

t.test('issuing drops the grants that have expired: an old token is then unknown, no longer just expired', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  store.issue(SHARE, 'ann', NOW_MS)
  store.issue(SHARE, 'ann', NOW_MS + 1)
  t.equal(store.problem('t1', SHARE, 'ann', NOW_MS + TTL_MS), EXPIRED, 'expired, still known')
  store.issue(SHARE, 'ann', NOW_MS + TTL_MS)
  t.equal(store.problem('t1', SHARE, 'ann', NOW_MS + TTL_MS), NOT_VALID, 'dropped once a grant came after its end')
  t.equal(store.problem('t2', SHARE, 'ann', NOW_MS + TTL_MS), undefined, 'the next one, still valid, stays')
})

t.test('a long run of grants keeps only the valid ones, and keeps working after clear', async (t) => {
  const store = new KdstokenStore(TTL_MS, countingTokens())
  const step = TTL_MS / 2
  for (let i = 0; i < 5000; i++) store.issue(SHARE, 'ann', NOW_MS + i * step)
  const last = NOW_MS + 4999 * step
  t.strictSame(
    ['t4998', 't4999', 't5000'].map((token) => store.problem(token, SHARE, 'ann', last)),
    [NOT_VALID, undefined, undefined],
    'each grant dropped the one a TTL older',
  )
  store.clear()
  const next = store.issue(SHARE, 'ann', last)
  t.equal(store.problem(next, SHARE, 'ann', last), undefined)
  t.equal(store.problem('t5000', SHARE, 'ann', last), NOT_VALID)
})
