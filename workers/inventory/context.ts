// The tenant's stock as a route sees it: the caller's tenant, its shard count (cached), and the ledger actor.
import type { Context } from 'hono'
import type { AppEnv } from '../lib/app-env'
import { stockActor } from './results'
import { tenantShardCount } from './shard-count'
import type { TenantInventory } from './shards'

/** The authenticated caller's inventory and the actor its changes are recorded under. */
export async function callerInventory(c: Context<AppEnv>): Promise<TenantInventory & { actor: string }> {
  const tenantId = c.var.caller.tenantId
  const shardCount = await tenantShardCount(tenantId, () => c.var.db.get())
  return { env: c.env, tenantId, shardCount, actor: stockActor(c.var.caller) }
}
