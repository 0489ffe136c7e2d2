import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium } from 'playwright-core'
import t from 'tap'
import { startMockServer } from '../../src/index.js'
import { validateResponses } from '../support/response-validation.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The page a frontend developer's app would be: another origin, calling the emulator with fetch. */
function pageHtml(mockUrl: string): string {
  return `<!doctype html><html><body><script type="module">
const api = '${mockUrl}/koodrive/ose/v1'
const xDate = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\\.\\d{3}/, '')
const headers = (extra = {}) => ({ 'Authorization': 'Bearer ann-token', 'X-User-Id': 'ann', 'X-Date': xDate(),
  'X-Hw-Agentname': 'browser-test', 'Content-Type': 'application/json', ...extra })
const shareId = '1689765568237837824'
try {
  const created = await fetch(api + '/share/tasks', { method: 'POST', headers: headers({ 'X-Mock-Fault': 'latency=1' }),
    body: JSON.stringify({ taskType: 1, containerId: 'IAABh_RdhS8bOg0cA1684711052660690818',
      fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'], shareId, zipName: 'from-the-browser.zip' }) })
  const { taskId } = await created.json()
  const requestId = created.headers.get('X-Request-Id')
  const faultApplied = created.headers.get('X-Mock-Fault-Applied')
  await fetch('${mockUrl}/__admin/clock', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceMs: 5000 }) })
  const detail = await (await fetch(api + '/share/taskDetail', { method: 'POST', headers: headers(), body: JSON.stringify({ taskId, shareId }) })).json()
  const zip = await fetch(detail.jobInfo.downloadUrl)
  const bytes = new Uint8Array(await zip.arrayBuffer())
  window.result = { taskId, requestId, faultApplied, taskStatus: detail.jobInfo.taskStatus, zipStatus: zip.status,
    disposition: zip.headers.get('Content-Disposition'), zipMagic: String.fromCharCode(bytes[0], bytes[1]) }
} catch (error) {
  window.result = { error: String(error) }
}
</script></body></html>`
}

t.test('a page on another origin creates a task, reads its headers and result, and downloads the zip', { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}` }, async (t) => {
  let mockUrl = ''
  const page: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(pageHtml(mockUrl))
  })
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => page.close(() => resolve())))
  // The page moves the clock through the admin API: its origin must be one the admin API allows.
  const pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`
  const mock = await startMockServer({ env: { MOCK_ADMIN_CORS_ORIGIN: pageOrigin } }, { instrument: validateResponses })
  t.teardown(() => mock.close())
  mockUrl = mock.url
  const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`
  t.not(new URL(pageUrl).origin, new URL(mock.url).origin, 'the page is on another origin')

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  t.teardown(() => browser.close())
  const tab = await browser.newPage()
  await tab.goto(pageUrl)
  await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 20_000 })
  const result = (await tab.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result)) as Record<string, unknown>

  t.equal(result.error, undefined, 'no fetch failed (CORS included)')
  t.match(result.taskId, /^[1-9]\d{18}$/)
  t.match(result.requestId, /^[0-9a-f]{32}$/, 'X-Request-Id is readable from the page')
  t.equal(result.faultApplied, 'X-Mock-Fault', 'X-Mock-Fault was allowed through the preflight and X-Mock-Fault-Applied is readable')
  t.equal(result.taskStatus, 2, 'the task completed once the clock moved')
  t.equal(result.zipStatus, 200)
  t.match(result.disposition, /from-the-browser\.zip/, 'Content-Disposition is readable')
  t.equal(result.zipMagic, 'PK', 'the download is a zip')
  const created = await mock.admin.requests.list({ operation: 'createShareTask' })
  t.equal(created[0]?.headers && (created[0].headers as Record<string, string>).origin, new URL(pageUrl).origin, 'the journal saw the page\'s origin')
})
