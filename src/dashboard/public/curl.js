// "Copy as curl" for a journal entry: the request as it reached the emulator, ready to replay.

/** Headers a browser or the connection adds, which a replay does not need. */
const LEFT_OUT = /^(host|content-length|connection|accept-encoding|accept-language|origin|referer|user-agent|priority|pragma|cache-control|dnt|sec-.*)$/i

/** Single-quoted for a POSIX shell: only ' itself needs care. */
const quote = (text) => `'${String(text).replaceAll("'", `'\\''`)}'`

/** The journal hides secrets; a replay needs a token, so a seeded user's own is put back (`tokenOf`). */
const REDACTED = '[Redacted]'

export function curlOf(entry, origin, tokenOf = () => undefined) {
  const url = `${origin}${entry.path}${entry.query ? `?${entry.query}` : ''}`
  const parts = ['curl -sS']
  if (entry.method !== 'GET') parts.push(`-X ${entry.method}`)
  parts.push(quote(url))
  for (const [name, value] of Object.entries(entry.headers ?? {})) {
    if (LEFT_OUT.test(name)) continue
    // X-Date is checked against the clock: a replay signs it anew, in the shell.
    if (name.toLowerCase() === 'x-date') parts.push(`-H "X-Date: $(date -u +%Y%m%dT%H%M%SZ)"`)
    else if (name.toLowerCase() === 'authorization' && value === REDACTED && tokenOf(entry.userId) !== undefined) parts.push(`-H ${quote(`Authorization: Bearer ${tokenOf(entry.userId)}`)}`)
    else parts.push(`-H ${quote(`${name}: ${[value].flat().join(', ')}`)}`)
  }
  if (entry.body !== null && entry.body !== undefined) parts.push(`--data-raw ${quote(typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body))}`)
  return parts.join(' \\\n  ')
}
