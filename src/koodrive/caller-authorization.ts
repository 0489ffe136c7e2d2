import type { Emulator } from '../domain/emulator.js'
import { KooDriveCode, KooDriveError } from '../domain/errors.js'
import { GatewayCode, GatewayError } from './errors.js'
import type { Caller } from './request-headers.js'

/**
 * MOCK_WORLD=strict: a bearer token must be one of a seeded user's, and X-User-Id that user.
 * Lenient mode takes any token, so a frontend needs no setup. App authentication (HMAC) is taken
 * on its form alone in lenient mode; strict mode refuses it, since the world has no app secrets to
 * check a signature against and a signature taken on its form would let anyone act as anyone.
 */
export function authorizeCaller(emulator: Emulator, caller: Caller): void {
  if (emulator.options.mode === 'lenient') return
  if (caller.credential.kind === 'app') {
    throw new GatewayError(GatewayCode.APP_AUTH_FAILED, 'verify signature fail: MOCK_WORLD=strict has no app secrets to verify a signature with; send Authorization: Bearer <token>')
  }
  const tokenOwner = emulator.world.userIdByToken.get(caller.credential.token)
  if (tokenOwner === undefined) throw new GatewayError(GatewayCode.TOKEN_INVALID, 'the token is not valid')
  if (tokenOwner !== caller.userId) {
    throw new KooDriveError(KooDriveCode.NO_PERMISSION, `No permission: the token does not belong to X-User-Id ${caller.userId}`)
  }
}
