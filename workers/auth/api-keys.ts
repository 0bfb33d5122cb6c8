// API keys: how they are stored (SHA-256, never the key; their format is in api-key-format.ts), and how a request's key is verified
// without a database round trip per request (an isolate cache backed by the edge Cache API, both with a short TTL).
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm'
import { effectivePlanId } from '../billing/effective-plan'
import type { Database } from '../db/client'
import { apiKeys, type ApiScope } from '../db/schema/credentials'
import { plans } from '../db/schema/plans'
import { tenants } from '../db/schema/tenants'
import { sha256Hex } from '../lib/crypto'

/**
 * How long a verified (or unknown) key is trusted without asking Postgres. Both layers (isolate memory, then the
 * colo's Cache API) share one expiry per entry, so a revocation takes effect everywhere within this time.
 */
export const API_KEY_CACHE_TTL_SECONDS = 30
const CACHE_URL_BASE = 'https://api-key-cache.vitrina.internal/'

/** What a request needs to know about its key, cached between requests. */
export interface VerifiedApiKey {
  id: string
  tenantId: string
  scopes: ApiScope[]
  expiresAt: string | null
  plan: { id: string; requestsPerMinute: number; requestsPerDay: number | null }
}

type CacheEntry = { key: VerifiedApiKey | null; until: number }
const isolateCache = new Map<string, CacheEntry>()
/** Lookups under way, so a burst of requests with one cold key costs one query, not one each. */
const inflight = new Map<string, Promise<CacheEntry>>()

function cacheRequest(hash: string): Request {
  return new Request(`${CACHE_URL_BASE}${hash}`)
}

async function loadFromDatabase(db: Database, hash: string): Promise<VerifiedApiKey | null> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      planId: plans.id,
      requestsPerMinute: plans.requestsPerMinute,
      requestsPerDay: plans.requestsPerDay,
    })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .innerJoin(plans, eq(plans.id, effectivePlanId(tenants.id, tenants.plan)))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`))))
  if (!row) return null
  return {
    id: row.id,
    tenantId: row.tenantId,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    plan: { id: row.planId, requestsPerMinute: row.requestsPerMinute, requestsPerDay: row.requestsPerDay },
  }
}

async function lookUp(hash: string, db: () => Database, now: number): Promise<CacheEntry> {
  const cached = await caches.default.match(cacheRequest(hash))
  let entry = cached ? ((await cached.json()) as CacheEntry) : undefined
  if (!entry || entry.until <= now) {
    entry = { key: await loadFromDatabase(db(), hash), until: now + API_KEY_CACHE_TTL_SECONDS * 1000 }
    const body = JSON.stringify(entry)
    await caches.default.put(cacheRequest(hash), new Response(body, { headers: { 'cache-control': `max-age=${API_KEY_CACHE_TTL_SECONDS}` } }))
  }
  isolateCache.set(hash, entry)
  return entry
}

/** Resolves a presented key to its record, or null when it is unknown, revoked or expired. */
export async function verifyApiKey(key: string, db: () => Database): Promise<VerifiedApiKey | null> {
  const hash = await sha256Hex(key)
  const now = Date.now()
  let entry = isolateCache.get(hash)
  if (!entry || entry.until <= now) {
    let lookup = inflight.get(hash)
    if (!lookup) {
      lookup = lookUp(hash, db, now).finally(() => inflight.delete(hash))
      inflight.set(hash, lookup)
    }
    entry = await lookup
  }
  const record = entry.key
  if (record?.expiresAt && Date.parse(record.expiresAt) <= now) return null
  return record
}

/** Drops a key from this isolate's and this colo's caches (other colos follow within the TTL). */
export async function forgetApiKey(keyHash: string): Promise<void> {
  isolateCache.delete(keyHash)
  await caches.default.delete(cacheRequest(keyHash))
}
