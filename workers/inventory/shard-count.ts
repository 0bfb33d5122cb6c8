// How many Inventory shards a tenant has (`tenants.settings.inventoryShards`), cached in the isolate so the hot path
// of a stock call usually costs no Postgres round trip.
import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { tenants } from '../db/schema/tenants'
import { IsolateCache } from '../lib/isolate-cache'

/** Shards a tenant gets unless its settings say otherwise. */
export const DEFAULT_SHARD_COUNT = 1
/** Largest `inventoryShards` setting the Worker honours. */
export const MAX_TENANT_SHARDS = 64
/** How long a looked-up count is trusted; a changed setting takes effect everywhere within this time. */
export const SHARD_COUNT_CACHE_TTL_SECONDS = 30

const cache = new IsolateCache<number>(SHARD_COUNT_CACHE_TTL_SECONDS * 1000)

/** The shard count a settings value stands for: an integer from 1 to 64, anything else means the default. */
export function shardCountFromSetting(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TENANT_SHARDS ? value : DEFAULT_SHARD_COUNT
}

async function load(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ shards: sql<unknown>`${tenants.settings} -> 'inventoryShards'` })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
  return shardCountFromSetting(row?.shards)
}

/** The tenant's shard count: from the isolate cache when fresh, else one query shared by concurrent callers. */
export async function tenantShardCount(tenantId: string, db: () => Database): Promise<number> {
  return cache.get(tenantId, () => load(db(), tenantId))
}
