// The live role of a signed-in member: every access-token request re-reads the membership, through a short isolate
// cache on ordinary routes and straight from Postgres on routes that manage people, keys or settings.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { memberships, type MemberRole } from '../db/schema/tenants'

/**
 * How long a looked-up membership is trusted on ordinary routes. A removed or demoted member keeps their old
 * role there for at most this long in isolates that cached it (at once in the isolate that made the change);
 * routes that need the admin scope or a manager role never use the cache.
 */
export const MEMBERSHIP_CACHE_TTL_SECONDS = 10
/** Entries kept per isolate before the oldest are dropped (a Worker isolate has 128 MB). */
const MAX_CACHED_MEMBERSHIPS = 10_000

type CacheEntry = { role: MemberRole | null; until: number }
const isolateCache = new Map<string, CacheEntry>()
const inflight = new Map<string, Promise<MemberRole | null>>()

const cacheKey = (tenantId: string, userId: string) => `${tenantId}:${userId}`

async function load(db: Database, tenantId: string, userId: string): Promise<MemberRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
  return row?.role ?? null
}

function remember(key: string, role: MemberRole | null): void {
  if (isolateCache.size >= MAX_CACHED_MEMBERSHIPS) {
    const oldest = isolateCache.keys().next()
    if (!oldest.done) isolateCache.delete(oldest.value)
  }
  isolateCache.set(key, { role, until: Date.now() + MEMBERSHIP_CACHE_TTL_SECONDS * 1000 })
}

/**
 * The member's current role in the tenant, or null when they are no longer a member. `fresh` skips the cache (and
 * refreshes it); otherwise a cached answer younger than MEMBERSHIP_CACHE_TTL_SECONDS is used and concurrent misses share one query.
 */
export async function currentRole(db: () => Database, tenantId: string, userId: string, options: { fresh?: boolean } = {}): Promise<MemberRole | null> {
  const key = cacheKey(tenantId, userId)
  if (options.fresh) {
    const role = await load(db(), tenantId, userId)
    remember(key, role)
    return role
  }
  const cached = isolateCache.get(key)
  if (cached && cached.until > Date.now()) return cached.role
  let lookup = inflight.get(key)
  if (!lookup) {
    lookup = load(db(), tenantId, userId)
      .then((role) => {
        remember(key, role)
        return role
      })
      .finally(() => inflight.delete(key))
    inflight.set(key, lookup)
  }
  return lookup
}

/** Drops a membership from this isolate's cache after a role change or a removal. */
export function forgetMembership(tenantId: string, userId: string): void {
  isolateCache.delete(cacheKey(tenantId, userId))
}
