// Storefront access: publishable keys (vk_pub_) reach only routes declared with `allowStorefront`, from the tenant's
// allowed origins; CORS answers those routes' preflights. Every other route stays same-origin and refuses them (403).
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Caller } from '../auth/context'
import { hasScope } from '../auth/scopes'
import { loadCommerceSettings } from '../commerce/settings'
import { STOREFRONT_SCOPE, type ApiScope } from '../db/schema/credentials'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'
import { authenticate } from './authenticate'

/** Headers a storefront page may send. */
const ALLOWED_HEADERS = 'Content-Type, X-API-Key, Authorization, X-Cart-Secret, Idempotency-Key'
const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS'
/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600

/** True for a publishable (storefront-only) key. */
export function isPublishable(caller: Caller): boolean {
  return caller.kind === 'api_key' && caller.scopes.includes(STOREFRONT_SCOPE)
}

/**
 * Authenticates, then lets a publishable key through when its page's Origin (if any) is one of the tenant's
 * `storefrontOrigins`, and any other credential when it holds one of `scopes`. Handlers check `isPublishable` for the storefront view.
 */
export function allowStorefront(...scopes: ApiScope[]): MiddlewareHandler<AppEnv>[] {
  const check = createMiddleware<AppEnv>(async (c, next) => {
    const caller = c.var.caller
    if (isPublishable(caller)) {
      const origin = c.req.header('origin')
      if (origin !== undefined) {
        const settings = await loadCommerceSettings(c.var.db.get(), caller.tenantId)
        if (!settings.storefrontOrigins.includes(origin)) {
          throw new ApiError('forbidden', 'This origin is not one of the shop\'s storefront origins', { details: { origin, code: 'origin_not_allowed' } })
        }
        c.header('Access-Control-Allow-Origin', origin)
        c.header('Vary', 'Origin')
      }
    } else if (!scopes.some((scope) => hasScope(caller.scopes, scope))) {
      throw new ApiError('forbidden', `This credential lacks the "${scopes.join('" or "')}" scope`, { details: { required: scopes.join(' or '), granted: caller.scopes } })
    }
    await next()
  })
  return [authenticate, check]
}

/**
 * Answers CORS preflights of storefront routes. The tenant is unknown before the credential arrives, so the preflight
 * admits the page and the real request is refused (403, nothing done) unless its origin is in the tenant's list.
 */
export const storefrontPreflight = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin')
  if (c.req.method !== 'OPTIONS' || origin === undefined) return next()
  return c.body(null, 204, {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    Vary: 'Origin',
  })
})
