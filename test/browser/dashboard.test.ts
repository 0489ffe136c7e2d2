import axe from 'axe-core'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import t from 'tap'
import { startMockServer, type MockServer } from '../../src/index.js'
import { validateResponses } from '../support/response-validation.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}`
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
/** Every wait on the page is bounded: a dashboard that never shows something fails, it does not hang. */
const WAIT_MS = 10_000
/** Screenshots go to the OS temp dir (never committed); DASHBOARD_SCREENSHOTS picks another folder. */
const SHOTS = process.env.DASHBOARD_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'koodrive-dashboard-'))

interface Watched {
  page: Page
  /** Console errors and uncaught exceptions, as `text @ url`. */
  errors: string[]
  /** Every URL the page asked for. */
  urls: string[]
}

async function openDashboard(t: import('tap').Test, browser: Browser, mock: MockServer): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] })
  t.teardown(() => context.close())
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT_MS)
  const watched: Watched = { page, errors: [], urls: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(`${message.text()} @ ${message.location().url}`)
  })
  page.on('pageerror', (error) => watched.errors.push(`uncaught: ${error.message}`))
  page.on('request', (request) => watched.urls.push(request.url()))
  await page.goto(`${mock.url}/__admin/`)
  return watched
}

/** Chromium's own line for an answer the test provoked on purpose (the page logs nothing itself). */
const networkLine = (status: number, statusText: string, url: string) => `Failed to load resource: the server responded with a status of ${status} (${statusText}) @ ${url}`

const shots: string[] = []
async function shoot(page: Page, name: string, selector?: string) {
  const path = join(SHOTS, `${name}.png`)
  if (selector === undefined) await page.screenshot({ path })
  else {
    // The sticky header would cover the top of a panel scrolled into view. Set through the CSSOM:
    // the page's policy refuses inline style sheets (Playwright's `style` option is one).
    await page.evaluate(() => document.querySelector<HTMLElement>('.top')?.style.setProperty('position', 'static'))
    await page.locator(selector).screenshot({ path })
    await page.evaluate(() => document.querySelector<HTMLElement>('.top')?.style.removeProperty('position'))
  }
  shots.push(path)
}

t.test('the dashboard in Chromium: a task from the page to 100 %, a preset failing a request in the journal, the clock, reset, axe', { skip }, async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  t.teardown(() => mock.close())
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
  t.teardown(() => browser.close())
  const { page, errors, urls } = await openDashboard(t, browser, mock)
  await page.locator('#live').getByText('Live').waitFor()
  t.equal(await page.locator('#namespace').inputValue(), 'default', 'one namespace so far: default')
  t.equal(await page.locator('#namespace').isDisabled(), true, 'nothing to pick from yet')

  // Keyboard only: the skip link, then into the tasks panel, to the "Create a zip task" button.
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the tasks', 'the first Tab reaches the skip link')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate(() => document.activeElement?.id), 'try-zip', 'two Tabs on: the zip button of "Try it"')
  await page.keyboard.press('Space')

  // The task, created by the page's own KooDrive call, reaches 100 % as the clock moves.
  const card = page.locator('.task').first()
  await card.locator('.badge', { hasText: 'pending' }).waitFor()
  const bar = page.getByRole('progressbar', { name: /^Progress of task \d{19}$/ })
  t.equal(await bar.getAttribute('value'), '0')
  await page.getByRole('button', { name: '+1 s' }).click()
  await card.locator('.badge', { hasText: 'processing' }).waitFor()
  await card.locator('.percent', { hasText: '20 %' }).waitFor()
  t.match(await card.locator('.timeline').textContent(), /created .*started .*not ended/)
  await page.getByRole('button', { name: '+5 s' }).click()
  await card.locator('.percent', { hasText: '100 %' }).waitFor()
  await card.locator('.badge', { hasText: 'completed' }).waitFor()
  await card.getByText('Result: all succeeded (taskResultCode 1)').waitFor()
  t.match(await card.locator('.timeline').textContent(), /created .*started .*ended /, 'the timeline has all three')
  const zip = card.getByRole('link', { name: 'Download from-the-dashboard.zip' })
  const zipBytes = new Uint8Array(await (await fetch(String(await zip.getAttribute('href')))).arrayBuffer())
  t.equal(String.fromCharCode(zipBytes[0] as number, zipBytes[1] as number), 'PK', 'the zip link serves the zip')
  t.ok(await card.getByRole('button', { name: /^Complete task/ }).isDisabled(), 'a completed task offers no action')
  await card.locator('summary').click()
  await card.getByText(/Files \(1\): 1 succeeded/).waitFor()

  // A second task, ended from its buttons.
  await page.getByRole('button', { name: 'Create a zip task' }).click()
  const second = page.locator('.task').first()
  await second.locator('.badge', { hasText: 'pending' }).waitFor()
  await second.getByRole('button', { name: /^Fail task/ }).click()
  await second.getByText('Result: all failed (taskResultCode 3)').waitFor()
  await shoot(page, 'tasks', '#tasks')

  // A preset on; the third poll it sees is throttled, and the journal shows it failed, with the rule.
  await page.getByRole('button', { name: 'Throttled' }).click()
  await page.locator('#fault-rows').getByText('throttle', { exact: true }).waitFor()
  t.equal(await page.getByRole('button', { name: 'Throttled' }).getAttribute('aria-pressed'), 'true')
  for (let poll = 1; poll <= 3; poll++) {
    await page.getByRole('button', { name: 'Poll the last task' }).click()
    await page.locator('#request-rows tr').filter({ hasText: 'getShareTaskDetail' }).nth(poll - 1).waitFor()
  }
  const failed = page.locator('#request-rows tr.failed').filter({ hasText: 'getShareTaskDetail' })
  await failed.getByText('429').waitFor()
  t.match(await failed.textContent(), /throttle$/, 'the row names the fault that fired')
  const throttleRow = page.locator('#fault-rows tr').filter({ hasText: 'throttle' })
  await throttleRow.locator('td').nth(2).getByText('3', { exact: true }).waitFor()
  t.equal(await throttleRow.locator('td').nth(3).textContent(), '1', 'matched 3, fired 1')

  // A bad rule typed in: the API's own message, exactly as a client of the API gets it.
  const badRule = '{"operation":"createShareTask","latencyMs":[500,100]}'
  await page.getByLabel('Add a rule (JSON, as for POST /__admin/faults)').fill(badRule)
  await page.getByRole('button', { name: 'Add rule' }).click()
  const apiAnswer = (await (await fetch(`${mock.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: badRule })).json()) as { code: number; msg: string }
  await page.locator('#rule-error').getByText(`${apiAnswer.code}: ${apiAnswer.msg}`).waitFor()
  t.match(apiAnswer.msg, /latencyMs/, 'the message names the field')
  await shoot(page, 'faults', '#faults')

  // The failed request's details and its curl command, which replays it.
  await failed.getByRole('button').click()
  const detail = page.locator('#request-detail')
  await detail.getByText('Fault that fired').waitFor()
  t.match(await detail.textContent(), /APIGW\.0308/, 'the response body is shown')
  t.match(await detail.textContent(), /Fault that firedthrottle/)
  await page.getByRole('button', { name: 'Copy as curl' }).click()
  await page.locator('#notice').getByText('curl command copied').waitFor()
  const curl = await page.evaluate(() => navigator.clipboard.readText())
  t.equal(curl, await page.locator('#curl-text').textContent(), 'the clipboard holds the command shown')
  t.match(curl, new RegExp(`^curl -sS \\\\\\n  -X POST \\\\\\n  '${mock.url}/koodrive/ose/v1/share/taskDetail'`))
  t.match(curl, /-H 'Authorization: Bearer ann-token'/, 'a seeded user\'s token stands in for the redacted one')
  t.notMatch(curl, /--data-raw/, 'a request the fault answered before its body was read has no body in the journal')
  await shoot(page, 'requests', '#requests')

  // A request that went through: its copied command replays it, with the body.
  await page.locator('#request-rows tr:not(.failed)').filter({ hasText: 'getShareTaskDetail' }).first().getByRole('button').click()
  await page.getByRole('button', { name: 'Copy as curl' }).click()
  const replayed = await page.evaluate(() => navigator.clipboard.readText())
  t.match(replayed, /--data-raw '\{"taskId":"\d{19}","shareId":"\d{19}"\}'$/)
  const replay = await promisify(execFile)('sh', ['-c', `${replayed} -o /dev/null -w '%{http_code}'`])
  t.equal(replay.stdout, '200', 'the copied command replays the request (the rule throttles every third only)')

  // Filters: by status, then by operation.
  await page.getByLabel('Status', { exact: true }).fill('429')
  await page.getByLabel('Status', { exact: true }).press('Enter')
  await page.locator('#requests-count').getByText('1 matching request').waitFor()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await page.getByLabel('Operation', { exact: true }).fill('createShareTask')
  await page.getByLabel('Operation', { exact: true }).press('Enter')
  await page.locator('#requests-count').getByText('2 matching requests').waitFor()

  // The clock: moved by a minute.
  await page.getByRole('button', { name: '+1 min' }).click()
  await page.locator('#clock-offset').getByText('66000 ms').waitFor()
  await shoot(page, 'clock', '#clock')

  // The world: users, quota, access codes, the tree.
  const world = page.locator('#world')
  await world.getByText('31945314').waitFor()
  await world.getByRole('meter', { name: /^Space IAABh_RdhS8bOg0cA1684711052660690818 used$/ }).waitFor()
  await world.locator('summary').filter({ hasText: 'IAABh_RdhS8bOg0cA1684711052660690818 (ann)' }).click()
  await world.getByText('Saved from shares/').waitFor()
  await shoot(page, 'world', '#world')
  await shoot(page, 'page-1280x800')

  // Accessibility, on the page as it stands (tasks, journal, detail, rules, tree open).
  await page.evaluate(axe.source)
  const result = (await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }))) as axe.AxeResults
  const byImpact: Record<string, string[]> = {}
  for (const violation of result.violations) (byImpact[violation.impact ?? 'none'] ??= []).push(`${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  t.comment(`axe-core ${result.testEngine.version}: violations by impact ${JSON.stringify(byImpact)}`)
  t.strictSame(result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id), [], 'no serious or critical violation')

  // Reset: tasks, journal and counters go; the panels follow the event stream.
  await page.getByRole('button', { name: 'Reset' }).click()
  await page.locator('#tasks-count').getByText('No tasks yet.').waitFor()
  await page.locator('#requests-count').getByText('0 matching requests').waitFor()
  await throttleRow.locator('td').nth(2).getByText('0', { exact: true }).waitFor()
  t.equal(await page.getByRole('button', { name: 'Throttled' }).getAttribute('aria-pressed'), 'true', 'reset keeps the rules (their counters start again)')
  await shoot(page, 'after-reset')

  const origin = new URL(mock.url).origin
  t.strictSame(urls.filter((url) => new URL(url).origin !== origin), [], 'nothing loaded from anywhere but the emulator')
  const taskDetailUrl = `${mock.url}/koodrive/ose/v1/share/taskDetail`
  t.strictSame(
    errors,
    [
      networkLine(429, 'Too Many Requests', taskDetailUrl),
      networkLine(400, 'Bad Request', `${mock.url}/__admin/faults`),
    ],
    'no console error but Chromium\'s lines for the 429 and 400 the test provoked',
  )
  await browser.close()
  writeFileSync(join(SHOTS, 'screenshots.txt'), `${shots.join('\n')}\n`)
  t.comment(`screenshots: ${shots.join(', ')}`)
})

t.test('with MOCK_ADMIN_TOKEN the page asks once, keeps the token for the tab, and asks again after a wrong one', { skip }, async (t) => {
  const mock = await startMockServer({ env: { MOCK_ADMIN_TOKEN: 'tab-token' } }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
  t.teardown(() => browser.close())
  const { page, errors } = await openDashboard(t, browser, mock)
  const dialog = page.getByRole('dialog', { name: 'Admin token' })
  await dialog.waitFor()
  t.match(await dialog.textContent(), /runs with MOCK_ADMIN_TOKEN set/)
  await shoot(page, 'token-dialog')
  t.comment(`screenshot: ${join(SHOTS, 'token-dialog.png')}`)
  await dialog.getByLabel('MOCK_ADMIN_TOKEN').fill('wrong')
  await dialog.getByLabel('MOCK_ADMIN_TOKEN').press('Enter')
  await dialog.getByText('That token was refused').waitFor()
  await dialog.getByLabel('MOCK_ADMIN_TOKEN').fill('tab-token')
  await dialog.getByRole('button', { name: 'Use it' }).click()
  await page.locator('#live').getByText('Live').waitFor()
  await page.locator('#user-rows').getByText('ann-token').waitFor().catch(async (error: Error) => {
    await page.screenshot({ path: join(SHOTS, 'token-failure.png') })
    throw new Error(`${error.message}; notice: ${await page.locator('#notice').textContent()}; errors: ${errors.join(' | ')}`)
  })
  const unauthorized = errors.length
  t.ok(unauthorized >= 2 && errors.every((line) => /status of 401 \(Unauthorized\)/.test(line)), 'only the 401s before the token')

  await page.reload()
  await page.locator('#live').getByText('Live').waitFor()
  t.notOk(await dialog.isVisible(), 'a reload in the same tab does not ask again')
  t.equal(errors.filter((line) => line.includes('401')).length, errors.slice(0, unauthorized).filter((line) => line.includes('401')).length, 'no 401 after the reload')
  await browser.close()
})

t.test("MOCK_AUTH=strict: once the world's token has expired, \"Try it\" gets one from POST /__admin/tokens and goes on", { skip }, async (t) => {
  const mock = await startMockServer({ env: { MOCK_WORLD: 'strict' } }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  await mock.admin.clock.advance(21 * 60_000)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
  t.teardown(() => browser.close())
  const { page, errors } = await openDashboard(t, browser, mock)
  await page.locator('#live').getByText('Live').waitFor()
  await page.locator('#user-rows').getByText('ann-app').waitFor()
  const tokenCalls: number[] = []
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/__admin/tokens') tokenCalls.push(response.status())
  })
  await page.getByRole('button', { name: 'Create a zip task' }).click()
  await page.locator('.task').first().locator('.badge', { hasText: 'pending' }).waitFor()
  await page.getByRole('button', { name: 'Poll the last task' }).click()
  await page.locator('#try-output').getByText(/"taskStatus": 0/).waitFor()
  t.strictSame(tokenCalls, [201], 'one token issued, and kept for the next call')
  const refused = await mock.admin.requests.list({ status: 401 })
  t.strictSame(refused.map((entry) => [entry.operation, (entry.responseBody as { error_code: string }).error_code]), [['createShareTask', 'APIGW.0307']], "the world's token, refused once")
  t.strictSame(errors.filter((line) => !line.includes('404 (Not Found)')), [networkLine(401, 'Unauthorized', `${mock.url}/koodrive/ose/v1/share/tasks`)], 'nothing else went wrong')
  await browser.close()
})

t.test('namespaces: the picked one goes as X-Mock-Namespace on admin calls, the stream and the page\'s KooDrive calls, and its task lands there', { skip }, async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  t.teardown(() => mock.close())
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
  t.teardown(() => browser.close())
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  t.teardown(() => context.close())
  await mock.admin.namespace('worker-1').reset()
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT_MS)
  const sent: { url: string; namespace: string | undefined }[] = []
  page.on('request', (request) => sent.push({ url: request.url(), namespace: request.headers()['x-mock-namespace'] }))
  await page.goto(`${mock.url}/__admin/`)
  await page.locator('#live').getByText('Live').waitFor()
  t.strictSame(await page.locator('#namespace option').allTextContents(), ['default', 'worker-1'])
  await page.getByLabel('Namespace').selectOption('worker-1')
  await page.locator('#notice').getByText('Namespace worker-1').waitFor()
  await page.locator('#live').getByText('Live').waitFor()
  const picked = sent.map((request) => request.url.endsWith('/__admin/events') && request.namespace === 'worker-1').lastIndexOf(true)
  t.ok(picked > 0, 'the stream was opened again, in worker-1')
  await page.getByRole('button', { name: 'Create a zip task' }).click()
  await page.locator('.task').first().waitFor()
  const later = sent.slice(picked)
  t.ok(later.some((request) => request.url.includes('/koodrive/ose/v1/share/tasks')), 'the page\'s own KooDrive call was sent')
  t.strictSame(later.filter((request) => new URL(request.url).pathname.startsWith('/__admin/') && !request.url.includes('/__admin/dashboard/') && request.namespace !== 'worker-1').map((request) => request.url), [], 'every admin call after the pick names worker-1')
  t.ok(later.filter((request) => request.url.includes('/koodrive/')).every((request) => request.namespace === 'worker-1'), 'and so does the KooDrive call')
  t.equal((await mock.admin.namespace('worker-1').tasks.list()).length, 1, 'the task is worker-1\'s')
  t.equal((await mock.admin.tasks.list()).length, 0, 'not default\'s')

  // A tab opened on a namespace's URL starts in it, one that does not exist yet included.
  const tab = await context.newPage()
  tab.setDefaultTimeout(WAIT_MS)
  await tab.goto(`${mock.url}/__admin/?namespace=tab-2`)
  await tab.locator('#live').getByText('Live').waitFor()
  t.equal(await tab.locator('#namespace').inputValue(), 'tab-2')
  t.ok((await mock.admin.namespaces.list()).some((namespace) => namespace.name === 'tab-2'), 'its first call made it')
  await browser.close()
})
