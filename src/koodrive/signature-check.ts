import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { UserApp } from '../domain/world/world.js'
import { isSecretName, REDACTED } from '../secrets.js'
import { appSignature, canonicalRequest, stringToSign, type CanonicalInput } from './app-signature.js'
import { GatewayCode, GatewayError } from './errors.js'
import type { AppCredential } from './request-headers.js'

/** The request's headers with the values of secret ones hidden: the refusal shows the canonical request, and the journal keeps it. */
function withSecretsHidden(headers: CanonicalInput['headers']): CanonicalInput['headers'] {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSecretName(name) ? REDACTED : value]))
}

/**
 * Checks an app signature against the one the app's secret gives over the request as received:
 * its method, path, query, the headers it names in SignedHeaders (in that order) and the body's
 * bytes. A mismatch is 401 APIGW.0303 "verify signature fail" whose message holds the canonical
 * request and the string to sign the emulator computed, for the developer to diff with their own.
 */
export function verifyAppSignature(request: FastifyRequest, credential: AppCredential, app: UserApp): void {
  const queryAt = request.url.indexOf('?')
  const input: CanonicalInput = {
    method: request.method,
    path: queryAt === -1 ? request.url : request.url.slice(0, queryAt),
    query: queryAt === -1 ? '' : request.url.slice(queryAt + 1),
    headers: request.headers,
    signedHeaders: credential.signedHeaders,
    body: request.bodyRaw ?? '',
  }
  const canonical = canonicalRequest(input)
  const expected = appSignature(canonical, app.appSecret)
  // Both are 64 lowercase hex digits (the header's form was checked): compared in constant time.
  if (timingSafeEqual(Buffer.from(expected), Buffer.from(credential.signature))) return
  const hidden = credential.signedHeaders.some(isSecretName)
  const shown = hidden ? canonicalRequest({ ...input, headers: withSecretsHidden(input.headers) }) : canonical
  throw new GatewayError(
    GatewayCode.APP_AUTH_FAILED,
    `verify signature fail: Signature is not the one app ${app.appId}'s secret gives over this request. ` +
      `The canonical request the emulator computed${hidden ? ` (secret headers' values shown as ${REDACTED})` : ''}:\n${shown}\n` +
      `The string to sign (HMAC-SHA256 of it with the app secret is the signature):\n${stringToSign(canonical)}`,
  )
}
