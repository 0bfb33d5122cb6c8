// Resolves the request's credential (API key in X-API-Key or Authorization: Bearer, or an access token) to a caller
// bound to one tenant, applies the key's rate limit, and checks the scope the route needs. A token's role is never
// taken from the token: the membership is re-read (cached briefly on ordinary routes, fresh on admin routes).
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { verifyAccessToken } from '../auth/access-token'
import { looksLikeApiKey } from '../auth/api-key-format'
import { verifyApiKey } from '../auth/api-keys'
import { clientKey } from '../auth/client-ip'
import { asMember, type Caller } from '../auth/context'
import { currentRole } from '../auth/memberships'
import { limitApiKey } from '../auth/rate-limit'
import { hasScope, ROLE_SCOPES } from '../auth/scopes'
import { STOREFRONT_SCOPE, type ApiScope } from '../db/schema/credentials'
import type { MemberRole } from '../db/schema/tenants'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'

function presentedCredential(headers: Headers): string | undefined {
  const apiKey = headers.get('x-api-key')
  if (apiKey) return apiKey.trim()
  const authorization = headers.get('authorization')
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1]
}

const unauthorized = (message: string) => new ApiError('unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer' } })

/**
 * Requires a valid credential and sets `c.var.caller`; API-key responses carry the RateLimit headers. An access token
 * counts only while its membership exists (401 `membership_revoked` otherwise) and carries the member's current role;
 * `fresh` reads the membership from Postgres instead of the short isolate cache.
 */
export function authenticateWith(options: { fresh: boolean }): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedCredential(c.req.raw.headers)
    if (!credential) throw unauthorized('Send an API key (X-API-Key) or an access token (Authorization: Bearer)')

    let caller: Caller
    let limitHeaders: Record<string, string> = {}
    if (looksLikeApiKey(credential)) {
      const key = await verifyApiKey(credential, () => c.var.db.get())
      if (!key) throw unauthorized('The API key is unknown, revoked or expired')
      c.set('tenantId', key.tenantId)
      const publishable = key.scopes.includes(STOREFRONT_SCOPE)
      limitHeaders = await limitApiKey(c.env, key, (promise) => c.executionCtx.waitUntil(promise), publishable ? clientKey(c.req.raw.headers, c.env.TRUST_CLIENT_IP_HEADER) : undefined)
      caller = { kind: 'api_key', keyId: key.id, tenantId: key.tenantId, scopes: key.scopes, plan: key.plan.id, expiresAt: key.expiresAt ? Date.parse(key.expiresAt) : null }
    } else {
      const claims = await verifyAccessToken(credential, c.env.JWT_SECRET)
      if (!claims) throw unauthorized('The access token is invalid or expired')
      const role = await currentRole(() => c.var.db.get(), claims.tenantId, claims.userId, options)
      if (!role) throw new ApiError('membership_revoked', 'This account is no longer a member of the tenant', { headers: { 'WWW-Authenticate': 'Bearer' } })
      caller = { kind: 'user', userId: claims.userId, tenantId: claims.tenantId, role, scopes: ROLE_SCOPES[role], expiresAt: claims.expiresAt * 1000 }
    }
    c.set('caller', caller)
    c.set('tenantId', caller.tenantId)
    await next()
    for (const [name, value] of Object.entries(limitHeaders)) c.res.headers.set(name, value)
  })
}

/** Authentication for ordinary routes: the membership comes from the isolate cache when it is recent. */
export const authenticate = authenticateWith({ fresh: false })
const authenticateFresh = authenticateWith({ fresh: true })

/** Authenticates (with a fresh membership for the `admin` scope), then requires `scope` (admin covers everything): 403 `forbidden` otherwise. */
export function requireScope(scope: ApiScope): MiddlewareHandler<AppEnv>[] {
  const check = createMiddleware<AppEnv>(async (c, next) => {
    if (!hasScope(c.var.caller.scopes, scope)) {
      throw new ApiError('forbidden', `This credential lacks the "${scope}" scope`, { details: { required: scope, granted: c.var.caller.scopes } })
    }
    await next()
  })
  return [scope === 'admin' ? authenticateFresh : authenticate, check]
}

/** Requires a signed-in member (not an API key); `roles` narrows further, and then the membership is read fresh. */
export function requireMember(...roles: MemberRole[]): MiddlewareHandler<AppEnv>[] {
  const check = createMiddleware<AppEnv>(async (c, next) => {
    const caller = asMember(c.var.caller)
    if (roles.length > 0 && !roles.includes(caller.role)) {
      throw new ApiError('forbidden', `This route needs one of the roles: ${roles.join(', ')}`, { details: { required: roles, role: caller.role } })
    }
    await next()
  })
  return [roles.length > 0 ? authenticateFresh : authenticate, check]
}
