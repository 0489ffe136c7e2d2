import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs'
import { freePort } from './lib.mjs'
const dir = '/tmp/coldprof'; rmSync(dir, { recursive: true, force: true }); mkdirSync(dir)
const port = await freePort()
const t0 = performance.now()
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '200', `--cpu-prof-dir=${dir}`, process.argv[2]], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, stdio: 'ignore' })
for (;;) { try { await fetch(`http://127.0.0.1:${port}/__admin/health`); break } catch { await new Promise((r) => setTimeout(r, 2)) } }
console.log('up after', Math.round(performance.now() - t0), 'ms')
child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r))
const prof = JSON.parse(readFileSync(`${dir}/${readdirSync(dir)[0]}`, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const parent = new Map(); for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
// time per sample
const self = new Map()
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + prof.timeDeltas[i])
const incl = new Map()
for (const [id, t] of self) { let cur = id; const seen = new Set(); while (cur !== undefined) { const n = byId.get(cur); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; if (!seen.has(key)) { incl.set(key, (incl.get(key) ?? 0) + t); seen.add(key) } cur = parent.get(cur) } }
const selfBy = new Map(); for (const [id, t] of self) { const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; selfBy.set(key, (selfBy.get(key) ?? 0) + t) }
console.log('profile span ms', (prof.endTime - prof.startTime) / 1000)
console.log('--- self'); for (const [k, t] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((t / 1000).toFixed(1).padStart(7), k)
console.log('--- inclusive'); for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 60))) console.log((t / 1000).toFixed(1).padStart(7), k)
const pkgTime = new Map()
for (const [id, t] of self) {
  let cur = id; let attributed = false
  while (cur !== undefined) {
    const n = byId.get(cur); const name = n.callFrame.functionName
    if (/^(node_modules|dist|schemas)\//.test(name)) { const m = process.env.BYFILE ? null : name.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); const key = 'init ' + (m ? m[1] : name.split(' ')[0]); pkgTime.set(key, (pkgTime.get(key) ?? 0) + t); attributed = true; break }
    cur = parent.get(cur)
  }
}
console.log('--- module init, exclusive'); for (const [k, t] of [...pkgTime].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((t / 1000).toFixed(1).padStart(7), k)
