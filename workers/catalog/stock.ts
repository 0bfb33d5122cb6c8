// Keeps the catalog and the Inventory objects in step: every variant the catalog creates is registered as a SKU,
// at zero stock, so stock operations can find it.
import type { Context } from 'hono'
import { callerInventory } from '../inventory/context'
import { registerSkus } from '../inventory/shards'
import type { AppEnv } from '../lib/app-env'

/**
 * Registers `skus` with the tenant's Inventory shards after the catalog committed them. Registration is idempotent,
 * so a failure is logged and left for `POST /v1/inventory/skus` (or the next write) instead of failing the request.
 */
export async function registerCatalogSkus(c: Context<AppEnv>, skus: string[]): Promise<void> {
  if (skus.length === 0) return
  try {
    const inventory = await callerInventory(c)
    await registerSkus(inventory, { idempotencyKey: `catalog:${crypto.randomUUID()}`, actor: inventory.actor, skus: skus.map((sku) => ({ sku })) })
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'sku registration failed', requestId: c.var.requestId, skus, error: String(error) }))
  }
}
