import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import t from 'tap'
import { startMockServer } from '../../src/index.js'
import { validateResponses } from '../support/response-validation.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOT = join(tmpdir(), 'koodrive-mock-swagger-ui-try-it-out.png')

/** Presses Execute on one operation (Try it out is on from the start) and reads the status and body it shows. */
async function execute(tab: Page, operationId: string, body?: string): Promise<{ status: string; body: string }> {
  const operation = tab.locator(`#operations-koodrive-${operationId}`)
  await operation.locator('.opblock-summary').click()
  if (body !== undefined) await operation.locator('textarea.body-param__text').fill(body)
  await operation.locator('button.execute').click()
  const response = operation.locator('.live-responses-table .response').first()
  await response.waitFor({ timeout: 20_000 })
  return {
    status: (await response.locator('.response-col_status').innerText()).trim(),
    body: await response.locator('.response-col_description pre').first().innerText(),
  }
}

t.test('Swagger UI: Authorize takes a bearer token, and Try it out on the KooDrive routes succeeds with the examples', { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}` }, async (t) => {
  const mock = await startMockServer({}, { instrument: validateResponses })
  t.teardown(() => mock.close())
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  t.teardown(() => browser.close())
  const tab = await browser.newPage({ viewport: { width: 1280, height: 1600 } })
  const outside: string[] = []
  tab.on('request', (request) => {
    if (!request.url().startsWith(mock.url)) outside.push(request.url())
  })
  await tab.goto(`${mock.url}/__admin/docs`)

  await tab.locator('button.authorize').first().click()
  const bearer = tab.locator('.auth-container', { has: tab.locator('h4', { hasText: /^bearer/ }) })
  await bearer.locator('input').fill('ann-token')
  await bearer.locator('button.authorize').click()
  await tab.locator('.modal-ux button.btn-done').first().click()

  const created = await execute(tab, 'createShareTask')
  t.equal(created.status, '200', 'createShareTask: 200')
  const taskId = /"taskId":\s*"(\d{19})"/.exec(created.body)?.[1]
  t.match(taskId, /^[1-9]\d{18}$/, 'and a taskId')
  await tab.locator('#operations-koodrive-createShareTask').screenshot({ path: SCREENSHOT })
  t.comment(`screenshot of the successful Try it out: ${SCREENSHOT}`)

  for (const operationId of ['getShareUserInfo', 'verifyShare', 'listShareFiles', 'downloadShareFile']) {
    t.equal((await execute(tab, operationId)).status, '200', `${operationId}: 200 with its example`)
  }
  const detail = await execute(tab, 'getShareTaskDetail', JSON.stringify({ taskId, shareId: '1689765568237837824' }))
  t.equal(detail.status, '200', 'getShareTaskDetail: 200 with the taskId put in')
  t.match(detail.body, /"taskStatus": 0/)
  t.equal((await execute(tab, 'cancelJob', JSON.stringify({ jobId: taskId }))).status, '200', 'cancelJob: 200 with the taskId put in')

  const sent = (await mock.admin.requests.list({ operation: 'createShareTask' })) as { headers: Record<string, string> }[]
  const xDate = sent[0]?.headers['x-date'] as string
  t.not(xDate, '20251103T070140Z', 'X-Date was not the example')
  t.ok(Math.abs(Date.parse(xDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) - Date.now()) < 60_000, 'X-Date is the current time')
  t.strictSame(outside, [], 'nothing was loaded from anywhere but the emulator')
})
