import { AuthError, parameterInvalid } from '../errors.js'
import type { Emulator } from '../emulator.js'
import { ensureUser } from './lenient-world.js'
import type { UserApp } from './world.js'

/**
 * MOCK_AUTH: `off` checks no header, `lenient` checks the headers' form and takes any bearer token,
 * `strict` takes only the world's tokens, alive, for the user they name. App signatures are verified
 * in lenient and strict mode alike when the world has the app.
 */
export type AuthMode = 'off' | 'lenient' | 'strict'

/**
 * Who calls when nobody says: the owner of what the public family (share/public/…) makes, and of a
 * call without X-User-Id when MOCK_AUTH=off. Tasks it owns are seen only by calls made as it.
 */
export const ANONYMOUS_USER_ID = 'anonymous'

/** The user a bearer token belongs to: the world's own tokens, then the issued ones. */
function tokenOwner(emulator: Emulator, token: string): string | undefined {
  return emulator.world.userIdByToken.get(token) ?? emulator.tokens.issuedTo(token)
}

/**
 * Strict mode's bearer check: the token is one of the world's (or issued) for `userId`, and it has
 * been used within its life by the emulator's clock.
 */
export function authenticateToken(emulator: Emulator, token: string, userId: string, nowMs: number): void {
  const owner = tokenOwner(emulator, token)
  if (owner === undefined) throw new AuthError('token-invalid', 'the token is not valid')
  if (owner !== userId) throw new AuthError('token-invalid', `the token does not belong to X-User-Id ${userId}`)
  const { tokens } = emulator
  if (nowMs < tokens.expiresAtMs(token)) return
  const idleS = Math.floor((nowMs - (tokens.lastUseMsOf(token) as number)) / 1000)
  const lifeS = tokens.ttlMsOf(token) / 1000
  throw new AuthError(
    'token-expired',
    `the token has not been used for ${idleS} s and lives ${lifeS} s unused${tokens.issuedTo(token) === undefined ? ' (MOCK_TOKEN_TTL_S)' : ''}; get a new one with POST /__admin/tokens`,
  )
}

/**
 * The app an app signature names, whose secret verifies it. An app the world lacks is refused in
 * strict mode ("app not found") and taken on its form in lenient mode (undefined: nothing to verify
 * with); in strict mode an app signs only for its own user.
 */
export function signingApp(emulator: Emulator, appId: string, userId: string): UserApp | undefined {
  const app = emulator.world.appById.get(appId)
  const strict = emulator.options.auth === 'strict'
  if (app === undefined) {
    if (strict) throw new AuthError('app-auth-failed', `app not found: no app ${appId} in the world (a user's apps in the seed)`)
    return undefined
  }
  if (strict && app.userId !== userId) throw new AuthError('app-auth-failed', `verify signature fail: app ${appId} signs for user ${app.userId}, not X-User-Id ${userId}`)
  return app
}

/**
 * POST /__admin/tokens: a new bearer token for `userId`, living `ttlMs` unused (MOCK_TOKEN_TTL_S
 * when undefined), as a login would give one. The user must be in the world; a lenient world
 * makes one it lacks, as a request naming it would.
 */
export function issueToken(emulator: Emulator, userId: string, ttlMs: number | undefined, nowMs: number): { token: string; ttlMs: number } {
  const { world } = emulator
  if (emulator.rules.makeOnFirstUse) world.atomically(() => ensureUser(world, userId))
  if (!world.users.has(userId)) throw parameterInvalid(`userId "${userId}" is not a user of the world`)
  return emulator.tokens.issue(userId, ttlMs, nowMs)
}
