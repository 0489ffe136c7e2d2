// Preloaded into a server by bench:memory (NODE_OPTIONS=--expose-gc --import=…): on SIGWINCH (SIGUSR2
// would stop the server: close-with-grace shuts down on it, as nodemon expects) it runs
// a full garbage collection and writes process.memoryUsage() to HEAP_PROBE_FILE, so the live heap
// can be read from outside. Never part of the server or the package.
import { writeFileSync } from 'node:fs'

process.on('SIGWINCH', () => {
  globalThis.gc()
  writeFileSync(process.env.HEAP_PROBE_FILE, JSON.stringify(process.memoryUsage()))
})
