import { Writable } from 'node:stream'

/** Collects the JSON log lines an app writes: parsed, and as written (key order and escaping, for the tests of the line itself). */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = []
  readonly rawLines: string[] = []

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line === '') continue
      this.rawLines.push(line)
      this.lines.push(JSON.parse(line) as Record<string, unknown>)
    }
    done()
  }

  /** Drops the lines written since there were `mark` of them: the test app's own setup calls are not the test's. */
  dropSince(mark: number): void {
    this.lines.splice(mark)
    this.rawLines.splice(mark)
  }
}

/** The `request` log lines an app wrote, in order. */
export function requestLogLines(logs: LogCapture): Record<string, unknown>[] {
  return logs.lines.filter((line) => line.msg === 'request')
}
