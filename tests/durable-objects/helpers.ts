// Shared setup for the Inventory tests: a real tenant row in Postgres (the read model references it) and typed stubs.
import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { createDatabase } from '../../workers/db/client'
import { tenants } from '../../workers/db/schema'
import type { Inventory } from '../../durable-objects/inventory'
import { inventoryStub } from '../../durable-objects/inventory/shards'

/** Creates a tenant in Postgres and returns its id. */
export async function createTenant(): Promise<string> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const slug = `inv-${crypto.randomUUID()}`
    const [row] = await client.db.insert(tenants).values({ name: slug, slug }).returning({ id: tenants.id })
    if (!row) throw new Error('tenant insert returned nothing')
    return row.id
  } finally {
    await client.close()
  }
}

/** The stub of one shard of a fresh tenant (created in Postgres). */
export async function freshShard(shard = 0): Promise<{ tenantId: string; stub: DurableObjectStub<Inventory> }> {
  const tenantId = await createTenant()
  return { tenantId, stub: inventoryStub(env, tenantId, shard) }
}

/** A new idempotency key. */
export function key(): string {
  return crypto.randomUUID()
}

/** Registers `sku` at `main` and gives it `onHand` units. */
export async function stock(stub: DurableObjectStub<Inventory>, sku: string, onHand: number, settings: { lowStockThreshold?: number; allowBackorder?: boolean } = {}): Promise<void> {
  const registered = await stub.register({ idempotencyKey: key(), actor: 'test', skus: [{ sku, ...settings }] })
  if (!registered.ok) throw new Error(registered.error.message)
  if (onHand === 0) return
  const adjusted = await stub.adjust({ idempotencyKey: key(), actor: 'test', lines: [{ sku, delta: onHand }] })
  if (!adjusted.ok) throw new Error(adjusted.error.message)
}

/** Rows of the object's SQLite tables, read inside the object. */
export function tableRows<T extends Record<string, SqlStorageValue>>(stub: DurableObjectStub<Inventory>, query: string, ...bindings: SqlStorageValue[]): Promise<T[]> {
  return runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<T>(query, ...bindings).toArray())
}
