// The live role of a signed-in member: every access-token request re-reads the membership, through a short isolate
// cache on ordinary routes and straight from Postgres on routes that manage people, keys or settings.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { memberships, type MemberRole } from '../db/schema/tenants'
import { IsolateCache } from '../lib/isolate-cache'

/**
 * How long a looked-up membership is trusted on ordinary routes. A removed or demoted member keeps their old
 * role there for at most this long in isolates that cached it (at once in the isolate that made the change);
 * routes that need the admin scope or a manager role never use the cache.
 */
export const MEMBERSHIP_CACHE_TTL_SECONDS = 10
const cache = new IsolateCache<MemberRole | null>(MEMBERSHIP_CACHE_TTL_SECONDS * 1000)

const cacheKey = (tenantId: string, userId: string) => `${tenantId}:${userId}`

async function load(db: Database, tenantId: string, userId: string): Promise<MemberRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
  return row?.role ?? null
}

/**
 * The member's current role in the tenant, or null when they are no longer a member. `fresh` skips the cache (and
 * refreshes it); otherwise a cached answer younger than MEMBERSHIP_CACHE_TTL_SECONDS is used and concurrent misses share one query.
 */
export async function currentRole(db: () => Database, tenantId: string, userId: string, options: { fresh?: boolean } = {}): Promise<MemberRole | null> {
  const key = cacheKey(tenantId, userId)
  if (!options.fresh) return cache.get(key, () => load(db(), tenantId, userId))
  const role = await load(db(), tenantId, userId)
  cache.set(key, role)
  return role
}

/** Drops a membership from this isolate's cache after a role change or a removal. */
export function forgetMembership(tenantId: string, userId: string): void {
  cache.delete(cacheKey(tenantId, userId))
}
