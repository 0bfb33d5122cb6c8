// The authenticated caller of a request: a signed-in member (JWT) or a storefront API key, always bound to one tenant.
import type { ApiScope } from '../db/schema/credentials'
import type { MemberRole } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'

/** A member signed in with an access token. */
export interface UserCaller {
  kind: 'user'
  userId: string
  tenantId: string
  role: MemberRole
  scopes: readonly ApiScope[]
  /** When the access token expires (epoch ms). */
  expiresAt: number
}

/** A storefront calling with an API key. */
export interface ApiKeyCaller {
  kind: 'api_key'
  keyId: string
  tenantId: string
  scopes: readonly ApiScope[]
  plan: string
  /** When the key expires (epoch ms), or null for a key without expiry. */
  expiresAt: number | null
}

export type Caller = UserCaller | ApiKeyCaller

/** The actor recorded in the audit log for a caller. */
export function actorOf(caller: Caller): { actorType: 'user' | 'api_key'; actorId: string } {
  return caller.kind === 'user' ? { actorType: 'user', actorId: caller.userId } : { actorType: 'api_key', actorId: caller.keyId }
}

/** Narrows a caller to a signed-in member; routes behind `requireMember` never see the error. */
export function asMember(caller: Caller): UserCaller {
  if (caller.kind !== 'user') throw new ApiError('forbidden', 'This route needs a signed-in member, not an API key')
  return caller
}
