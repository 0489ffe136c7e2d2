import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DashboardAssets, PUBLIC_DIR } from '../../src/dashboard/assets.js'

t.test('the page\'s files are found beside the module', async (t) => {
  t.match(readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8'), /<title>koodrive-mock dashboard<\/title>/)
})

t.test('files of the folder are served with their type; other names, and files of other kinds, are not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'koodrive-assets-'))
  writeFileSync(join(dir, 'app.js'), 'export {}\n')
  writeFileSync(join(dir, 'notes.md'), '# not served\n')
  const assets = new DashboardAssets(dir)
  const [js, md, missing, escape] = await Promise.all([assets.get('app.js'), assets.get('notes.md'), assets.get('nope.js'), assets.get('../assets.test.ts')])
  t.strictSame(js, { body: Buffer.from('export {}\n'), contentType: 'text/javascript; charset=utf-8' })
  t.equal(md, undefined, 'a kind the page does not use is not served')
  t.equal(missing, undefined)
  t.equal(escape, undefined, 'no name leaves the folder')
  writeFileSync(join(dir, 'later.js'), '')
  t.equal(await assets.get('later.js'), undefined, 'the folder is read once, on the first visit')
})
