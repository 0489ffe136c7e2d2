import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { startMockServer } from '../src/testing/start-mock-server.js'

const run = promisify(execFile)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The README's "Try it" section's shell blocks, as a user pastes them, pointed at `url`. */
function tryItSnippet(url: string): string {
  const section = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## Endpoints'))
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string)
  return blocks.join('\n').replaceAll('http://127.0.0.1:3000', url)
}

t.test('the README has the curl walk-through and its helper names no zsh special variable', async (t) => {
  const snippet = tryItSnippet('http://x')
  t.match(snippet, /^kd\(\) \{ api=\$1;/m)
  // zsh ties path to PATH (and cdpath, fpath, manpath, …): assigning one breaks the shell.
  t.notMatch(snippet, /(^|[\s;(])(path|cdpath|fpath|manpath|mailpath|module_path)=/m)
})

for (const shell of ['bash', 'zsh']) {
  t.test(`the walk-through runs as pasted in ${shell}: token, files, task, taskDetail, the zip`, async (t) => {
    // Real time (the snippet's X-Date is the shell's clock); tasks complete at creation, so its wait loop never sleeps.
    const mock = await startMockServer({ env: { MOCK_CLOCK: 'real', MOCK_TASK_START_DELAY_MS: '0', MOCK_TASK_DURATION_MS: '0' } })
    t.teardown(() => mock.close())
    const folder = mkdtempSync(join(tmpdir(), `koodrive-readme-${shell}-`))
    t.teardown(() => rmSync(folder, { recursive: true, force: true }))
    // After the snippet the shell must still find commands: `ls` by PATH.
    const { stdout } = await run(shell, ['-c', `${tryItSnippet(mock.url)}\nls -d "$PWD" >/dev/null && echo PATH-ok`], { cwd: folder, timeout: 20_000 })
    t.match(stdout, /^[0-9a-f]{48}$/m, 'the kdstoken, picked out by field')
    t.match(stdout, /"taskStatus":2/, 'taskDetail shows it completed')
    t.match(stdout, /^contracts\.zip$/m, 'the zip was downloaded under its zipName')
    t.match(stdout, /\{"code":0,"msg":"Success","taskId":"\d{19}"\}/, 'the vendor example succeeds')
    t.match(stdout, /PATH-ok\n$/, 'commands are still found afterwards')
    t.equal(readFileSync(join(folder, 'contracts.zip')).subarray(0, 2).toString(), 'PK', 'a zip file')
    t.equal(await mock.admin.requests.count({ operation: 'createShareTask', status: 200 }), 2)
  })
}

/** The README's Authentication section's shell blocks (a token from the admin API, a request signed with openssl), pointed at `host`. */
function authenticationSnippet(host: string): string {
  const section = readme.slice(readme.indexOf('## Authentication'), readme.indexOf('## Injecting failures'))
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string)
  return blocks.join('\n').replaceAll('127.0.0.1:3000', host)
}

t.test('the Authentication section has a token example and a curl request signed with openssl', async (t) => {
  const snippet = authenticationSnippet('x')
  t.match(snippet, /__admin\/tokens/)
  t.match(snippet, /openssl dgst -sha256 -hmac ann-app-secret/)
  t.notMatch(snippet, /(^|[\s;(])(path|cdpath|fpath|manpath|mailpath|module_path)=/m)
})

for (const shell of ['bash', 'zsh']) {
  t.test(`the Authentication examples run as pasted in ${shell} against a strict emulator: an issued token, a signed task`, async (t) => {
    // Real time: the snippet signs X-Date with the shell's clock.
    const mock = await startMockServer({ env: { MOCK_CLOCK: 'real', MOCK_WORLD: 'strict' } })
    t.teardown(() => mock.close())
    const { stdout } = await run(shell, ['-c', authenticationSnippet(new URL(mock.url).host)], { timeout: 20_000 })
    t.match(stdout, /^\{"code":0,"msg":"Success","link":\{"shareId":"1689765568237837824"/m, 'userInfo with the issued token')
    t.match(stdout, /^\{"code":0,"msg":"Success","taskId":"\d{19}"\}$/m, 'the signed request created the task')
    const [task] = await mock.admin.tasks.list()
    t.match(task, { userId: 'ann', request: { zipName: 'signed.zip' } })
    t.equal(await mock.admin.requests.count({ operation: 'createShareTask', status: 200 }), 1)
  })
}
