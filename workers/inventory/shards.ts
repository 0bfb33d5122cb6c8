// Worker-side access to a tenant's Inventory shards: which shard a request goes to, and the calls that span every
// shard (registering SKUs, listing levels and alerts, reading levels of many SKUs).
import { z } from '@hono/zod-openapi'
import type { AlertView, LevelView } from '../../durable-objects/inventory'
import { encodeCursor as encodeShardCursor } from '../../durable-objects/inventory/pagination'
import { groupByShard, inventoryStub } from '../../durable-objects/inventory/shards'
import { ApiError } from '../lib/errors'
import { decodeCursor, encodeCursor } from '../lib/pagination'
import { unwrap } from './results'

/** One tenant's stock as the Worker addresses it. */
export interface TenantInventory {
  env: Pick<Env, 'INVENTORY'>
  tenantId: string
  shardCount: number
}

/** The stub of one of the tenant's shards. */
export function shardStub(inventory: TenantInventory, shard: number) {
  return inventoryStub(inventory.env, inventory.tenantId, shard)
}

/**
 * The one shard every line lives on. Only sales (reduce) are all-or-nothing across shards; other bulk calls whose
 * lines span shards are refused with the shard of each line, so the caller can split them.
 */
export function onlyShard(inventory: TenantInventory, lines: readonly { sku: string }[]): number {
  const groups = groupByShard(lines, inventory.shardCount)
  const [first] = groups.keys()
  if (groups.size === 1 && first !== undefined) return first
  const shardOf = new Map([...groups].flatMap(([shard, items]) => items.map((item) => [item.sku, shard] as const)))
  throw new ApiError('invalid_request', `These lines live on ${groups.size} stock shards; only reduce spans shards, so send one request per shard`, {
    details: lines.map((line, index) => ({ in: 'body', path: `lines.${index}.sku`, message: `on shard ${shardOf.get(line.sku)}`, code: 'cross_shard' })),
  })
}

/** Idempotency key of one shard's part of a call that spans shards; the key itself when there is one shard. */
function shardKey(idempotencyKey: string, shard: number, shards: number): string {
  return shards === 1 ? idempotencyKey : `${idempotencyKey}:s${shard}`
}

/** A SKU to create (at `main` unless a location is given) with its low-stock and backorder settings. */
export interface SkuRegistration {
  sku: string
  location?: string
  lowStockThreshold?: number | null
  allowBackorder?: boolean
}

/**
 * Registers SKUs on the shards that own them, in parallel; registering an existing level leaves it as it is, so a
 * retry (same key) or a repeat (new key) is harmless. The catalog calls this when it creates variants.
 */
export async function registerSkus(inventory: TenantInventory, input: { idempotencyKey: string; actor: string; skus: SkuRegistration[] }) {
  const groups = [...groupByShard(input.skus, inventory.shardCount)]
  const results = await Promise.all(
    groups.map(async ([shard, skus]) => {
      const stub = shardStub(inventory, shard)
      return unwrap(await stub.register({ idempotencyKey: shardKey(input.idempotencyKey, shard, groups.length), actor: input.actor, skus }))
    }),
  )
  return {
    created: results.reduce((sum, result) => sum + result.created, 0),
    levels: results.flatMap((result) => result.levels),
    replayed: results.every((result) => result.replayed),
  }
}

/** Levels of many SKUs (every location, or one) from the shards that own them, and the SKUs no shard knows. */
export async function levelsOfSkus(inventory: TenantInventory, skus: string[], location?: string): Promise<{ levels: LevelView[]; unknownSkus: string[] }> {
  const groups = [...groupByShard(skus.map((sku) => ({ sku })), inventory.shardCount)]
  const results = await Promise.all(
    groups.map(async ([shard, items]) => {
      const stub = shardStub(inventory, shard)
      return unwrap(await stub.getLevels({ skus: items.map((item) => item.sku), ...(location === undefined ? {} : { location }) }))
    }),
  )
  return { levels: results.flatMap((r) => r.levels), unknownSkus: results.flatMap((r) => r.unknownSkus) }
}

const bySkuThenLocation = (a: LevelView, b: LevelView) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.location < b.location ? -1 : a.location > b.location ? 1 : 0)

/**
 * One page of every level of the tenant in (sku, location) order, merged from all shards. Every shard sorts by the
 * same key, so the cursor (the last level served) is valid on each of them.
 */
export async function listTenantLevels(inventory: TenantInventory, query: { location?: string; limit: number; cursor?: string }) {
  const pages = await Promise.all(
    Array.from({ length: inventory.shardCount }, async (_, shard) => {
      const stub = shardStub(inventory, shard)
      return unwrap(await stub.listLevels(query))
    }),
  )
  const merged = pages.flatMap((page) => page.data).sort(bySkuThenLocation)
  const data = merged.slice(0, query.limit)
  const last = data.at(-1)
  const more = merged.length > query.limit || pages.some((page) => page.nextCursor !== null)
  return { data, nextCursor: more && last ? encodeShardCursor([last.sku, last.location]) : null }
}

const START = 'start'
const DONE = 'done'

function alertPositions(cursor: string | undefined, shardCount: number): string[] {
  if (cursor === undefined) return Array.from({ length: shardCount }, () => START)
  const position = z.union([z.literal(START), z.literal(DONE), z.string().regex(/^\d{1,15}$/)])
  return decodeCursor(cursor, z.array(position).length(shardCount))
}

/**
 * One page of the tenant's alerts, newest first, merged from all shards. The cursor holds each shard's position
 * (the last alert served from it, or whether it is untouched or exhausted), so no alert is skipped or repeated.
 */
export async function listTenantAlerts(inventory: TenantInventory, query: { status?: 'open' | 'acknowledged' | 'resolved'; limit: number; cursor?: string }) {
  const positions = alertPositions(query.cursor, inventory.shardCount)
  const pages = await Promise.all(
    positions.map(async (position, shard) => {
      if (position === DONE) return { shard, data: [] as AlertView[], more: false }
      const stub = shardStub(inventory, shard)
      const cursor = position === START ? undefined : encodeShardCursor([Number(position)])
      const page = unwrap(await stub.listAlerts({ limit: query.limit, ...(query.status ? { status: query.status } : {}), ...(cursor ? { cursor } : {}) }))
      return { shard, data: page.data, more: page.nextCursor !== null }
    }),
  )
  const merged = pages
    .flatMap((page) => page.data.map((alert) => ({ shard: page.shard, alert })))
    .sort((a, b) => b.alert.createdAt - a.alert.createdAt || a.shard - b.shard || b.alert.id - a.alert.id)
  const data = merged.slice(0, query.limit)
  const next = pages.map((page) => {
    const served = data.filter((entry) => entry.shard === page.shard)
    const lastServed = served.at(-1)
    if (served.length === page.data.length && !page.more) return DONE
    return lastServed ? String(lastServed.alert.id) : (positions[page.shard] ?? START)
  })
  return { data, nextCursor: next.every((p) => p === DONE) ? null : encodeCursor(next) }
}
