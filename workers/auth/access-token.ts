// Short-lived access tokens (JWT, HS256) naming the user, the tenant and the role.
import { sign, verify } from 'hono/jwt'
import { MEMBER_ROLES, type MemberRole } from '../db/schema/tenants'

/** Access tokens live 15 minutes; clients renew them with a refresh token. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
const ISSUER = 'vitrina'

export interface AccessClaims {
  userId: string
  tenantId: string
  role: MemberRole
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
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const payload = await verify(token, secret, { alg: 'HS256', iss: ISSUER })
    const { sub, tid, role, typ } = payload
    if (typ !== 'access' || typeof sub !== 'string' || typeof tid !== 'string') return null
    const knownRole = MEMBER_ROLES.find((r) => r === role)
    return knownRole ? { userId: sub, tenantId: tid, role: knownRole } : null
  } catch {
    return null
  }
}
