import { pino, type DestinationStream } from 'pino'

/** Lines kept before a write even within one turn: a batch stays one write of a few kilobytes. */
const BATCH_BYTES = 8192

export interface CoalescedDestination extends DestinationStream {
  /** Writes what is kept, at once. */
  flush(): void
}

/**
 * A file descriptor (standard output by default) that log lines reach in one write per turn of the
 * event loop: the lines of every request answered in a turn leave together when the turn ends
 * (setImmediate), or sooner past BATCH_BYTES. One line alone still leaves within its turn, so a
 * `tail -f` or a test reading the output sees it at once.
 *
 * Writing each line as it came (pino's asynchronous destination) cost a thread-pool write and its
 * callback per request under load (`npm run bench`). The batch is written synchronously by pino's
 * destination (sonic-boom, which retries a busy pipe), so nothing waits in a thread, and what a
 * turn kept is written on `exit` too, whoever calls process.exit.
 */
export function coalescedDestination(fd = 1): CoalescedDestination {
  const destination = pino.destination({ dest: fd, sync: true })
  let kept = ''
  const flush = () => {
    if (kept === '') return
    const batch = kept
    kept = ''
    process.removeListener('exit', flush)
    destination.write(batch)
  }
  return {
    write(line: string) {
      // Listening for exit only while lines are kept: a process making many loggers (a test suite) holds no listener per logger.
      if (kept === '') {
        setImmediate(flush)
        process.once('exit', flush)
      }
      kept += line
      // String length counts UTF-16 units, not bytes: near enough for a batch's size.
      if (kept.length >= BATCH_BYTES) flush()
    },
    flush,
  }
}
