import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { configuredFaultProblems, initialFaultRules, latencyBaseline } from '../../src/faults/configured-faults.js'
import { startTestApp } from '../helpers/app.js'
import { requestLogLines } from '../helpers/logs.js'
import { getUserInfo, postApi, TASKS_URL, vendorExample } from '../helpers/requests.js'
import { ADMIN_CLOCK_URL, ADMIN_FAULTS_URL } from '../helpers/admin.js'
import { SHARES } from '../helpers/world.js'
import { BAD_FAULT_RULES, listFaults, replaceFaults } from '../helpers/faults.js'

/** The ConfigError message `env` gives, or a failed test. */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error(`${JSON.stringify(env)} was accepted`)
}

const settings = (overrides: { MOCK_FAULTS?: string; MOCK_ERROR_RATE?: number; MOCK_ERROR?: string; MOCK_LATENCY_MS?: string } = {}) => ({
  MOCK_FAULTS: undefined,
  MOCK_ERROR_RATE: 0,
  MOCK_ERROR: '13000201',
  MOCK_LATENCY_MS: undefined,
  ...overrides,
})

t.test('initialFaultRules: MOCK_FAULTS in order, then the MOCK_ERROR_RATE rule last', async (t) => {
  t.strictSame(initialFaultRules(settings()), [], 'nothing configured, no rules')
  t.strictSame(initialFaultRules(settings({ MOCK_FAULTS: '[]' })), [])
  const faults = [{ id: 'a', error: 13000201, first: 1 }, { latencyMs: [1, 2] }]
  const named = [faults[0], { latencyMs: [1, 2], id: 'MOCK_FAULTS-2' }]
  t.strictSame(initialFaultRules(settings({ MOCK_FAULTS: JSON.stringify(faults) })), named, 'a rule without an id is named after its place')
  t.strictSame(initialFaultRules(settings({ MOCK_FAULTS: JSON.stringify(faults), MOCK_ERROR_RATE: 0.1 })), [
    ...named,
    { id: 'MOCK_ERROR_RATE', operation: '*', probability: 0.1, error: 13000201 },
  ])
  t.strictSame(initialFaultRules(settings({ MOCK_ERROR_RATE: 1, MOCK_ERROR: 'APIGW.0308' })), [
    { id: 'MOCK_ERROR_RATE', operation: '*', probability: 1, error: 'APIGW.0308' },
  ], 'a gateway code stays text, a KooDrive code becomes a number')
  t.strictSame(initialFaultRules(settings({ MOCK_ERROR_RATE: 0, MOCK_ERROR: 'APIGW.0308' })), [], 'rate 0: no rule')
})

t.test('latencyBaseline: unset, a fixed value, a range, a range of one value', async (t) => {
  t.equal(latencyBaseline(settings()), undefined)
  t.strictSame(latencyBaseline(settings({ MOCK_LATENCY_MS: '300' })), { latencyMs: 300 })
  t.strictSame(latencyBaseline(settings({ MOCK_LATENCY_MS: '100-500' })), { latencyMs: [100, 500] })
  t.strictSame(latencyBaseline(settings({ MOCK_LATENCY_MS: '200-200' })), { latencyMs: 200 })
  t.strictSame(latencyBaseline(settings({ MOCK_LATENCY_MS: '0' })), { latencyMs: 0 })
})

t.test('configuredFaultProblems: none for good settings', async (t) => {
  t.strictSame(configuredFaultProblems(settings()), new Map())
  t.strictSame(configuredFaultProblems(settings({ MOCK_FAULTS: '[{"error":13000201}]', MOCK_ERROR_RATE: 0.5, MOCK_ERROR: 'APIGW.0201', MOCK_LATENCY_MS: '1-2' })), new Map())
})

t.test('configuredFaultProblems: one problem per variable, each naming it', async (t) => {
  const problems = configuredFaultProblems(settings({ MOCK_FAULTS: '[{}]', MOCK_ERROR: 'APIGW.9999', MOCK_LATENCY_MS: '500-100' }))
  t.strictSame([...problems.keys()], ['MOCK_FAULTS', 'MOCK_ERROR', 'MOCK_LATENCY_MS'])
  t.equal(problems.get('MOCK_ERROR'), 'MOCK_ERROR="APIGW.9999": unknown gateway code APIGW.9999; one of APIGW.0101, APIGW.0201, APIGW.0301, APIGW.0302, APIGW.0303, APIGW.0307, APIGW.0308')
  t.equal(problems.get('MOCK_LATENCY_MS'), 'MOCK_LATENCY_MS="500-100": [min, max] needs min <= max, got [500, 100]')
  t.match(problems.get('MOCK_FAULTS'), 'MOCK_FAULTS[0]: a rule needs at least one effect: error, latencyMs, connection or task')
  t.match(configuredFaultProblems(settings({ MOCK_FAULTS: '[{' })).get('MOCK_FAULTS'), /^MOCK_FAULTS: not JSON \(.+\)$/)
})

t.test('MOCK_FAULTS is held to what an admin call is: bounded nesting, well-formed strings', async (t) => {
  const deepBody = `${'['.repeat(40)}${']'.repeat(40)}`
  t.equal(
    configuredFaultProblems(settings({ MOCK_FAULTS: `[{"error":{"status":503,"body":${deepBody}}}]` })).get('MOCK_FAULTS'),
    'MOCK_FAULTS: nests deeper than 32 levels',
  )
  t.equal(
    configuredFaultProblems(settings({ MOCK_FAULTS: '[{"error":13000201,"message":"\\ud800"}]' })).get('MOCK_FAULTS'),
    'MOCK_FAULTS: [0].message is not well-formed Unicode (it holds a lone surrogate)',
  )
})

t.test('loadConfig keeps good fault settings as given', async (t) => {
  const config = loadConfig({
    MOCK_FAULTS: ' [{"id":"x","error":"APIGW.0308"}] ',
    MOCK_FAULT_HEADER: 'false',
    MOCK_ERROR_RATE: '0.25',
    MOCK_ERROR: 'APIGW.0201',
    MOCK_LATENCY_MS: '100-500',
  })
  t.match(config, { MOCK_FAULTS: '[{"id":"x","error":"APIGW.0308"}]', MOCK_FAULT_HEADER: 'false', MOCK_ERROR_RATE: 0.25, MOCK_ERROR: 'APIGW.0201', MOCK_LATENCY_MS: '100-500' })
  t.match(loadConfig({}), { MOCK_FAULTS: undefined, MOCK_FAULT_HEADER: 'true', MOCK_ERROR_RATE: 0, MOCK_ERROR: '13000201', MOCK_LATENCY_MS: undefined })
  t.match(loadConfig({ MOCK_FAULTS: '' }), { MOCK_FAULTS: undefined }, 'empty is unset')
})

for (const bad of BAD_FAULT_RULES) {
  t.test(`MOCK_FAULTS with ${bad.name} stops the start, naming the field`, async (t) => {
    const message = configError({ MOCK_FAULTS: JSON.stringify([{ latencyMs: 1 }, bad.rule]) })
    t.match(message, /^Invalid configuration \(1\):\n {2}MOCK_FAULTS/)
    t.match(message, `MOCK_FAULTS[1]${bad.field}: `, 'names the rule and the field')
    t.ok(message.endsWith(`MOCK_FAULTS[1]${bad.field}: ${bad.problem}`), 'then the problem')
    t.equal(message.split('\n').length, 2, 'one line')
  })
}

t.test('a bad MOCK_FAULTS rule is named once, as the README shows it', async (t) => {
  const message = configError({ MOCK_FAULTS: '[{"error":13000201},{"latencyMs":[500,100]}]' })
  t.equal(message, 'Invalid configuration (1):\n  MOCK_FAULTS[1].latencyMs: [min, max] needs min <= max, got [500, 100]', 'MOCK_FAULTS named once', { })
})

t.test('MOCK_FAULTS that is not JSON, or not an array, stops the start', async (t) => {
  t.match(configError({ MOCK_FAULTS: '[{"error":13000201' }), /^Invalid configuration \(1\):\n {2}MOCK_FAULTS: not JSON \(.+\)$/)
  t.match(configError({ MOCK_FAULTS: 'error=13000201' }), /^Invalid configuration \(1\):\n {2}MOCK_FAULTS: not JSON \(.+\)$/)
  t.equal(configError({ MOCK_FAULTS: '13000201' }), 'Invalid configuration (1):\n  MOCK_FAULTS: expected array', 'the variable named once')
  t.equal(
    configError({ MOCK_FAULTS: '{"error":13000201}' }),
    'Invalid configuration (1):\n  MOCK_FAULTS: expected an array of rules, or {"$schema": …, "rules": [the array]}',
    'one rule on its own: both forms named',
  )
})

t.test('MOCK_FAULTS as a document: {"$schema", "rules"}, so an editor finds the schema; its rules are named under rules', async (t) => {
  const document = { $schema: './node_modules/koodrive-mock/schemas/fault-rules.schema.json', rules: [{ id: 'a', error: 13000201 }, { latencyMs: 5 }] }
  t.strictSame(initialFaultRules(settings({ MOCK_FAULTS: JSON.stringify(document) })), [{ id: 'a', error: 13000201 }, { latencyMs: 5, id: 'MOCK_FAULTS-2' }])
  t.strictSame(initialFaultRules(settings({ MOCK_FAULTS: '{"rules":[]}' })), [], '$schema is optional')
  t.equal(configError({ MOCK_FAULTS: '{"rules":3}' }), 'Invalid configuration (1):\n  MOCK_FAULTS.rules: expected array')
  t.equal(configError({ MOCK_FAULTS: '{"rules":[{"latencyMs":[9,1]}]}' }), 'Invalid configuration (1):\n  MOCK_FAULTS.rules[0].latencyMs: [min, max] needs min <= max, got [9, 1]')
  t.equal(
    configError({ MOCK_FAULTS: '{"$schema":5,"rules":[],"extra":true}' }),
    'Invalid configuration (1):\n  MOCK_FAULTS.extra: unexpected property; MOCK_FAULTS.$schema: expected string',
    'every key of the document that is not its own is named',
  )
  const { app } = await startTestApp(t, { env: { MOCK_FAULTS: JSON.stringify(document) } })
  t.strictSame((await listFaults({ app })).map((rule) => rule.id), ['a', 'MOCK_FAULTS-2'], 'a server starts with the document\'s rules')
})

t.test('MOCK_ERROR must be a known code', async (t) => {
  t.equal(
    configError({ MOCK_ERROR: 'APIGW.9999' }),
    'Invalid configuration (1):\n  MOCK_ERROR="APIGW.9999": unknown gateway code APIGW.9999; one of APIGW.0101, APIGW.0201, APIGW.0301, APIGW.0302, APIGW.0303, APIGW.0307, APIGW.0308',
    'checked even while MOCK_ERROR_RATE is 0',
  )
  t.equal(configError({ MOCK_ERROR: 'boom' }), 'Invalid configuration (1):\n  MOCK_ERROR="boom": expected a KooDrive code (13000201) or a gateway code (APIGW.0308)')
  t.equal(configError({ MOCK_ERROR: '1300020' }), 'Invalid configuration (1):\n  MOCK_ERROR="1300020": expected a KooDrive code (13000201) or a gateway code (APIGW.0308)')
  t.doesNotThrow(() => loadConfig({ MOCK_ERROR: '13000309', MOCK_ERROR_RATE: '0.5' }))
})

t.test('MOCK_LATENCY_MS must be ms or a range with min <= max', async (t) => {
  t.equal(configError({ MOCK_LATENCY_MS: '500-100' }), 'Invalid configuration (1):\n  MOCK_LATENCY_MS="500-100": [min, max] needs min <= max, got [500, 100]')
  t.equal(configError({ MOCK_LATENCY_MS: 'slow' }), 'Invalid configuration (1):\n  MOCK_LATENCY_MS="slow": expected milliseconds, 300, or a range 100-500')
  t.equal(configError({ MOCK_LATENCY_MS: '100-200-300' }), 'Invalid configuration (1):\n  MOCK_LATENCY_MS="100-200-300": expected milliseconds, 300, or a range 100-500')
  t.equal(configError({ MOCK_LATENCY_MS: '700000' }), 'Invalid configuration (1):\n  MOCK_LATENCY_MS="700000": milliseconds: fixed, or [min, max] drawn uniformly (seeded)', 'over the 600000 ms rules allow')
})

t.test('MOCK_ERROR_RATE and MOCK_FAULT_HEADER are checked like any setting', async (t) => {
  t.equal(configError({ MOCK_ERROR_RATE: '1.5' }), 'Invalid configuration (1):\n  MOCK_ERROR_RATE="1.5": expected a number from 0 to 1')
  t.equal(configError({ MOCK_ERROR_RATE: '10%' }), 'Invalid configuration (1):\n  MOCK_ERROR_RATE="10%": expected a number from 0 to 1')
  t.equal(configError({ MOCK_FAULT_HEADER: 'yes' }), 'Invalid configuration (1):\n  MOCK_FAULT_HEADER="yes": expected true or false')
})

t.test('every bad fault setting is named in one message', async (t) => {
  const message = configError({ MOCK_FAULTS: '[{"latencyMs":[2,1]}]', MOCK_ERROR: 'APIGW.9999', MOCK_LATENCY_MS: '9-1' })
  t.match(message, /^Invalid configuration \(3\):\n/)
  const lines = message.split('\n').slice(1)
  t.equal(lines.length, 3)
  t.match(lines[0], 'MOCK_FAULTS[0].latencyMs: [min, max] needs min <= max, got [2, 1]')
  t.match(lines[1], /^ {2}MOCK_ERROR="APIGW.9999": unknown gateway code/)
  t.equal(lines[2], '  MOCK_LATENCY_MS="9-1": [min, max] needs min <= max, got [9, 1]')
})

t.test('a bad fault setting is named beside a bad other setting', async (t) => {
  const message = configError({ PORT: 'abc', MOCK_FAULTS: '[{"latencyMs":[2,1]}]' })
  t.match(message, 'PORT="abc": expected an integer from 0 to 65535')
  t.match(message, 'latencyMs: [min, max] needs min <= max', 'the README: "one message naming every bad variable"', { })
})

t.test('MOCK_FAULTS rules are active from the start, with their ids', async (t) => {
  const test = await startTestApp(t, { env: {
    MOCK_FAULTS: JSON.stringify([{ id: 'warm-up', operation: 'createShareTask', first: 3, error: 13000201 }, { operation: 'getShareUserInfo', latencyMs: 5 }]),
  } })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await postApi(test, TASKS_URL, vendorExample)).statusCode)
  t.strictSame(statuses, [500, 500, 500, 200], 'the README\'s "first 3 calls fail, then it works"')
  const listed = await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })
  t.strictSame(listed.json(), {
    rules: [
      { id: 'warm-up', operation: 'createShareTask', first: 3, error: 13000201, matched: 4, fired: 3 },
      { operation: 'getShareUserInfo', latencyMs: 5, id: 'MOCK_FAULTS-2', matched: 0, fired: 0 },
    ],
  })
})

t.test('MOCK_ERROR_RATE fails a seeded share of emulated requests, the same ones on two apps with the same seed', async (t) => {
  const failures = async (seed: string) => {
    const test = await startTestApp(t, { env: { MOCK_ERROR_RATE: '0.3', MOCK_RANDOM_SEED: seed } })
    const failed: number[] = []
    for (let n = 1; n <= 60; n++) {
      const res = await postApi(test, TASKS_URL, vendorExample)
      if (res.statusCode === 500) {
        t.strictSame(res.json(), { code: 13000201, msg: 'Internal error' })
        t.equal(res.headers['x-mock-fault-applied'], 'MOCK_ERROR_RATE')
        failed.push(n)
      }
    }
    return failed
  }
  const first = await failures('7')
  t.ok(first.length > 8 && first.length < 30, `about 30 % of 60 (${first.length}: ${first.join(', ')})`)
  t.strictSame(await failures('7'), first, 'the same requests fail with the same seed')
  t.notSame(await failures('8'), first, 'other requests with another seed')
})

t.test('MOCK_ERROR picks the injected error; a MOCK_FAULTS rule that fires wins over the rate', async (t) => {
  const test = await startTestApp(t, { env: {
    MOCK_ERROR_RATE: '1',
    MOCK_ERROR: 'APIGW.0308',
    MOCK_FAULTS: JSON.stringify([{ id: 'specific', operation: 'getShareUserInfo', error: 13000309 }]),
  } })
  const task = await postApi(test, TASKS_URL, vendorExample)
  t.equal(task.statusCode, 429)
  t.equal(task.json().error_code, 'APIGW.0308')
  const info = await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  t.equal(info.statusCode, 400)
  t.equal(info.headers['x-mock-fault-applied'], 'specific')
  t.strictSame((await listFaults(test)).map(({ id }) => id), ['specific', 'MOCK_ERROR_RATE'])
})

t.test('MOCK_LATENCY_MS adds its wait to every emulated request, errors included, before any rule', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '300' } })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 200)
  t.equal((await postApi(test, TASKS_URL, vendorExample, { authorization: undefined })).statusCode, 401)
  t.equal((await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })).statusCode, 200)
  t.strictSame(test.slept, [300, 300, 300])
  const response = await postApi(test, TASKS_URL, vendorExample)
  t.equal(response.headers['x-mock-fault-applied'], undefined, 'the baseline is not a fault: no X-Mock-Fault-Applied')
  t.notOk('fault' in (requestLogLines(test.logs).at(-1) as object))
  await replaceFaults(test, [{ latencyMs: 800 }])
  await postApi(test, TASKS_URL, vendorExample)
  t.strictSame(test.slept.slice(-2), [300, 800], 'on top of a rule\'s latency, first')
  await postApi(test, TASKS_URL, vendorExample, { 'x-mock-fault': 'latency=50' })
  t.strictSame(test.slept.slice(-2), [300, 50], 'and on top of the header\'s')
})

t.test('MOCK_LATENCY_MS is never added to the admin API', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '300' } })
  await test.app.inject({ method: 'GET', url: ADMIN_FAULTS_URL })
  await test.app.inject({ method: 'PUT', url: ADMIN_FAULTS_URL, payload: [] })
  await test.app.inject({ method: 'GET', url: '/__admin/health' })
  await test.app.inject({ method: 'GET', url: ADMIN_CLOCK_URL })
  t.strictSame(test.slept, [])
})

t.test('a MOCK_LATENCY_MS range draws each wait from it, the same waits for the same seed', async (t) => {
  const waits = async (seed: string) => {
    const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '100-500', MOCK_RANDOM_SEED: seed } })
    for (let i = 0; i < 20; i++) await postApi(test, TASKS_URL, vendorExample)
    return test.slept
  }
  const first = await waits('3')
  t.equal(first.length, 20)
  t.ok(first.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 500), first.join(', '))
  t.ok(new Set(first).size > 5, 'they vary')
  t.strictSame(await waits('3'), first)
  t.notSame(await waits('4'), first)
})

t.test('MOCK_LATENCY_MS=0 waits nothing', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_LATENCY_MS: '0' } })
  t.equal((await postApi(test, TASKS_URL, vendorExample)).statusCode, 200)
  t.ok(test.slept.every((ms) => ms === 0), `asked for 0 ms at most: ${test.slept.join(', ')}`)
})
