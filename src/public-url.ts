import type { FastifyRequest } from 'fastify'

/** This server as a client on the same machine reaches it: a wildcard address is reached as localhost. */
export function localUrlOf(host: string, port: number): string {
  const name = ['0.0.0.0', '::', '[::]'].includes(host) ? 'localhost' : host
  return `http://${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`
}

/**
 * A host name or an IP address, with an optional port: what a URL may carry as its authority, and
 * nothing that could move the rest of a URL (no `/`, `@`, `?`, `#`, spaces or user info).
 */
const AUTHORITY = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/

function validAuthority(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const match = AUTHORITY.exec(value)
  if (match === null || (match[1] !== undefined && Number(match[1]) > 65535)) return undefined
  return value
}

/** The first of a proxy header's comma-separated values (a proxy chain appends one each; Node joins repeats with ", "). */
const firstOf = (value: string | undefined) => (value === undefined ? undefined : (value.split(',')[0] as string).trim())

/**
 * Where this request's download URLs should point when MOCK_PUBLIC_URL is unset: the address the
 * client used, from `X-Forwarded-Host`/`X-Forwarded-Proto` (a proxy in front) or `Host` (a port
 * mapping such as `-p 8080:3000`). Undefined when MOCK_PUBLIC_URL is set or the request names no
 * usable host: the configured base then applies. The presigned signature does not cover the host,
 * so any base gives a URL this server accepts; the check above only keeps the URL well-formed.
 */
export function requestPublicUrl(request: FastifyRequest): string | undefined {
  if (request.server.config.MOCK_PUBLIC_URL !== undefined) return undefined
  const host = validAuthority(firstOf(request.headers['x-forwarded-host'] as string | undefined)) ?? validAuthority(request.headers.host)
  if (host === undefined) return undefined
  const proto = firstOf(request.headers['x-forwarded-proto'] as string | undefined)?.toLowerCase()
  return `${proto === 'https' ? 'https' : 'http'}://${host}`
}
