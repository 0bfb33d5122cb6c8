// Worker-side addressing of Inventory objects: which shard owns a SKU, the object's name, and its typed stub.
import type { Inventory } from './index'

/** The identity an Inventory object carries in its name. */
export interface ShardIdentity {
  tenantId: string
  shard: number
}

/** Largest shard count a tenant may configure. */
export const MAX_SHARD_COUNT = 256

const FNV_OFFSET_BASIS = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** 32-bit FNV-1a of the UTF-8 bytes of `text`. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET_BASIS
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte
    hash = Math.imul(hash, FNV_PRIME)
  }
  return hash >>> 0
}

/** The shard that owns `sku` when the tenant has `shardCount` shards; stable for a given count. */
export function shardFor(sku: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARD_COUNT) {
    throw new RangeError(`shardCount must be an integer from 1 to ${MAX_SHARD_COUNT}`)
  }
  return fnv1a(sku) % shardCount
}

/** The name of the object that owns one shard of a tenant's stock. */
export function inventoryName(tenantId: string, shard: number): string {
  return `${tenantId}:${shard}`
}

/** The identity encoded by `inventoryName`, or null for any other name. */
export function parseInventoryName(name: string): ShardIdentity | null {
  const colon = name.lastIndexOf(':')
  const tenantId = name.slice(0, colon)
  const shardText = name.slice(colon + 1)
  if (colon < 1 || !/^\d{1,3}$/.test(shardText)) return null
  const shard = Number(shardText)
  return shard < MAX_SHARD_COUNT ? { tenantId, shard } : null
}

/**
 * The typed stub of one shard. The object learns its name from its id (`ctx.id.name`), so addressing it costs no call:
 * partyserver's `getServerByName` would spend one more RPC (`setName`) per use to await an `onStart` it does not have.
 */
export function inventoryStub(env: Pick<Env, 'INVENTORY'>, tenantId: string, shard: number): DurableObjectStub<Inventory> {
  return env.INVENTORY.getByName(inventoryName(tenantId, shard))
}

/** Groups items by the shard that owns their SKU. */
export function groupByShard<T extends { sku: string }>(items: readonly T[], shardCount: number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const item of items) {
    const shard = shardFor(item.sku, shardCount)
    const group = groups.get(shard)
    if (group) group.push(item)
    else groups.set(shard, [item])
  }
  return groups
}
