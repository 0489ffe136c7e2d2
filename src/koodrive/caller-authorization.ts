import type { Emulator } from '../domain/emulator.js'
import { authenticateToken, signingApp } from '../domain/world/authentication.js'
import type { UserApp } from '../domain/world/world.js'
import type { AuthenticatedCaller } from './request-headers.js'

/** What the gateway still has to do for a call it let in: verify a signature once the body is read, renew a token once the call succeeds. */
export interface PendingAuth {
  /** The app whose secret the signature must match (the canonical request hashes the body). */
  verifyWith?: UserApp
  /** The token a successful answer renews (MOCK_AUTH=strict: sliding token life). */
  renewToken?: string
}

const NOTHING_PENDING: PendingAuth = Object.freeze({})

/**
 * The caller's credential against the world, before the body is read (MOCK_AUTH): strict mode
 * takes a bearer token only if it is the world's for X-User-Id and alive; lenient mode takes any.
 * An app signature is verified in both modes when the world has the app (strict refuses one it
 * lacks). Throws the domain's AuthError; src/koodrive/errors.ts gives each its gateway code.
 */
export function authorizeCaller(emulator: Emulator, caller: AuthenticatedCaller, nowMs: number): PendingAuth {
  const { credential } = caller
  if (credential.kind === 'app') {
    const app = signingApp(emulator, credential.appId, caller.userId)
    return app === undefined ? NOTHING_PENDING : { verifyWith: app }
  }
  if (emulator.options.auth !== 'strict') return NOTHING_PENDING
  authenticateToken(emulator, credential.token, caller.userId, nowMs)
  return { renewToken: credential.token }
}
