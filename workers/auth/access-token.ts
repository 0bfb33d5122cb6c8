// Short-lived access tokens (JWT, HS256) naming the user, the tenant and the role.
import { sign, verify } from 'hono/jwt'
import { MEMBER_ROLES, type MemberRole } from '../db/schema/tenants'

/** Access tokens live 15 minutes; clients renew them with a refresh token. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
const ISSUER = 'vitrina'

export interface AccessClaims {
  userId: string
  tenantId: string
  /** The role when the token was signed; requests use the live membership instead (workers/auth/memberships.ts). */
  role: MemberRole
}

/** Verified claims and the token's expiry (epoch seconds). */
export interface VerifiedAccessClaims extends AccessClaims {
  expiresAt: number
}

/** Signs an access token for `claims`, valid for ACCESS_TOKEN_TTL_SECONDS. */
export async function signAccessToken(claims: AccessClaims, secret: string, now = Math.floor(Date.now() / 1000)): Promise<string> {
  return sign(
    { iss: ISSUER, sub: claims.userId, tid: claims.tenantId, role: claims.role, typ: 'access', iat: now, exp: now + ACCESS_TOKEN_TTL_SECONDS },
    secret,
    'HS256',
  )
}

/** Verifies signature, expiry and shape; returns the claims or null for any invalid token. */
export async function verifyAccessToken(token: string, secret: string): Promise<VerifiedAccessClaims | null> {
  try {
    const payload = await verify(token, secret, { alg: 'HS256', iss: ISSUER })
    const { sub, tid, role, typ, exp } = payload
    if (typ !== 'access' || typeof sub !== 'string' || typeof tid !== 'string' || typeof exp !== 'number') return null
    const knownRole = MEMBER_ROLES.find((r) => r === role)
    return knownRole ? { userId: sub, tenantId: tid, role: knownRole, expiresAt: exp } : null
  } catch {
    return null
  }
}
