import t, { type Test } from 'tap'
import type { FaultRule } from '../../schemas/fault-rule.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { DOWNLOAD_URL, FILES_URL, getUserInfo, packageExample, postApi, TASK_DETAIL_URL, TASKS_URL, vendorExample, VERIFY_URL } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { listFaults } from '../helpers/faults.js'

const RULES: FaultRule[] = [
  { id: 'flaky-create', operation: 'createShareTask', probability: 0.3, error: 13000201, latencyMs: [50, 150] },
  { id: 'throttle', probability: 0.3, error: 'APIGW.0308', retryAfterS: 1 },
  { id: 'lag', probability: 0.3, latencyMs: [100, 500] },
]

/** What one request of the sequence came to. */
interface Outcome {
  request: number
  status: number
  fired: string | undefined
  waitedMs: number[]
  body: string
}

/** The n-th request of a fixed 50-request sequence over every kind of call. */
function requestN(test: TestApp, n: number) {
  const shortUrl = SHARES.vendorExample.shortUrl
  switch (n % 6) {
    case 0:
      return postApi(test, TASKS_URL, n % 12 === 0 ? packageExample : { ...packageExample, zipName: `z${n}.zip` })
    case 1:
      return getUserInfo(test, { shortUrl })
    case 2:
      return postApi(test, VERIFY_URL, { shortUrl, extractCode: '12345678' })
    case 3:
      return postApi(test, FILES_URL, { shortUrl })
    case 4:
      return postApi(test, TASK_DETAIL_URL, { taskId: '1689765568237837824', shareId: vendorExample.shareId })
    default:
      return postApi(test, DOWNLOAD_URL, { shareId: vendorExample.shareId, fileId: vendorExample.fileIds[0] })
  }
}

async function sequenceApp(t: Test, seed: string): Promise<TestApp> {
  return startTestApp(t, { env: { MOCK_RANDOM_SEED: seed, MOCK_FAULTS: JSON.stringify(RULES) } })
}

async function step(test: TestApp, n: number): Promise<Outcome> {
  const waitedBefore = test.slept.length
  const res = await requestN(test, n)
  const fired = res.headers['x-mock-fault-applied']
  return { request: n, status: res.statusCode, fired: typeof fired === 'string' ? fired : undefined, waitedMs: test.slept.slice(waitedBefore), body: res.body }
}

/** The same 50 requests sent to two apps, one after the other on each, interleaved between the apps. */
async function runBoth(a: TestApp, b: TestApp): Promise<[Outcome[], Outcome[]]> {
  const first: Outcome[] = []
  const second: Outcome[] = []
  for (let n = 0; n < 50; n++) {
    first.push(await step(a, n))
    second.push(await step(b, n))
  }
  return [first, second]
}

const firings = (outcomes: Outcome[]) => outcomes.map(({ request, fired, status, waitedMs }) => ({ request, fired, status, waitedMs }))

t.test('two apps with the same seed fail, throttle and delay the same 50 requests the same way', async (t) => {
  const [first, second] = await runBoth(await sequenceApp(t, '1234'), await sequenceApp(t, '1234'))
  t.strictSame(firings(second), firings(first), 'the same fired rule ids, statuses and latencies')
  t.strictSame(second.map((o) => o.body), first.map((o) => o.body), 'and byte-identical bodies (task IDs, request IDs)')
  const ids = new Set(first.map((o) => o.fired))
  t.ok(ids.has('flaky-create') && ids.has('throttle') && ids.has('lag') && ids.has(undefined), `every rule fired somewhere, and some requests passed: ${[...ids].join(', ')}`)
  for (const outcome of first) {
    if (outcome.fired === 'flaky-create') {
      t.equal(outcome.status, 500)
      t.ok(outcome.waitedMs.length === 1 && outcome.waitedMs[0]! >= 50 && outcome.waitedMs[0]! <= 150, `flaky-create waited ${outcome.waitedMs.join(', ')}`)
    } else if (outcome.fired === 'throttle') {
      t.equal(outcome.status, 429)
      t.strictSame(outcome.waitedMs, [])
    } else if (outcome.fired === 'lag') {
      t.ok(outcome.waitedMs.length === 1 && outcome.waitedMs[0]! >= 100 && outcome.waitedMs[0]! <= 500, `lag waited ${outcome.waitedMs.join(', ')}`)
    } else {
      t.strictSame(outcome.waitedMs, [])
    }
  }
  t.comment(`seed 1234: ${first.map((o) => `${o.request}:${o.fired ?? '-'}`).join(' ')}`)
})

t.test('another seed gives another sequence', async (t) => {
  const [first, other] = await runBoth(await sequenceApp(t, '1234'), await sequenceApp(t, '4321'))
  t.notSame(firings(other).map((o) => o.fired), firings(first).map((o) => o.fired), 'other requests fire')
  t.notSame(firings(other).flatMap((o) => o.waitedMs), firings(first).flatMap((o) => o.waitedMs), 'other latencies')
})

t.test('the sequence is replayed run after run: the fired counters agree too', async (t) => {
  const a = await sequenceApp(t, '99')
  const b = await sequenceApp(t, '99')
  await runBoth(a, b)
  t.strictSame(await listFaults(b), await listFaults(a))
  const fired = (await listFaults(a)).map(({ fired }) => fired)
  t.equal(fired.reduce((sum, n) => sum + n, 0) > 0, true)
})
