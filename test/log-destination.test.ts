import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { coalescedDestination } from '../src/log-destination.js'

const logFile = (t: Test) => {
  const path = join(mkdtempSync(join(tmpdir(), 'koodrive-log-')), 'out.log')
  const fd = openSync(path, 'w')
  t.teardown(() => closeSync(fd))
  return { path, fd, text: () => readFileSync(path, 'utf8') }
}

t.test('the lines of one turn leave together when the turn ends', async (t) => {
  const file = logFile(t)
  const destination = coalescedDestination(file.fd)
  destination.write('{"n":1}\n')
  destination.write('{"n":2}\n')
  t.equal(file.text(), '', 'nothing is written while the turn runs')
  await nextTurn()
  t.equal(file.text(), '{"n":1}\n{"n":2}\n', 'both lines, in order, once the turn ends')
  destination.write('{"n":3}\n')
  await nextTurn()
  t.equal(file.text(), '{"n":1}\n{"n":2}\n{"n":3}\n', 'a line alone in a later turn leaves in that turn')
})

t.test('a turn that keeps more than a batch writes it at once', async (t) => {
  const file = logFile(t)
  const destination = coalescedDestination(file.fd)
  const line = `{"pad":"${'x'.repeat(1000)}"}\n`
  for (let i = 0; i < 9; i++) destination.write(line)
  t.equal(file.text(), line.repeat(9), 'written past 8 KiB, before the turn ends')
  destination.write('{"last":true}\n')
  t.equal(file.text(), line.repeat(9), 'a new batch starts')
  destination.flush()
  t.equal(file.text(), `${line.repeat(9)}{"last":true}\n`, 'flush writes what is kept')
  destination.flush()
  await nextTurn()
  t.equal(file.text(), `${line.repeat(9)}{"last":true}\n`, 'nothing is written twice')
})

t.test('a line written just before process.exit is not lost', async (t) => {
  const script = `
    import { coalescedDestination } from ${JSON.stringify(new URL('../src/log-destination.ts', import.meta.url).href)}
    const destination = coalescedDestination()
    destination.write('{"msg":"last words"}\\n')
    process.exit(3)
  `
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  t.equal(child.status, 3)
  t.equal(child.stdout, '{"msg":"last words"}\n')
})

t.test('the exit listener lives only while lines are kept', async (t) => {
  const file = logFile(t)
  const before = process.listenerCount('exit')
  const destination = coalescedDestination(file.fd)
  t.equal(process.listenerCount('exit'), before, 'none for a destination with nothing kept')
  destination.write('{"n":1}\n')
  destination.write('{"n":2}\n')
  t.equal(process.listenerCount('exit'), before + 1, 'one while the turn keeps lines')
  await nextTurn()
  t.equal(process.listenerCount('exit'), before, 'none once they are written')
})
