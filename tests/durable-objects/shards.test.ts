// Addressing: stable SKU-to-shard hashing, object names that round-trip, and the cross-shard availability check.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { checkAcrossShards, reduceAcrossShards } from '../../durable-objects/inventory/fan-out'
import { fnv1a, groupByShard, inventoryName, inventoryStub, parseInventoryName, shardFor } from '../../durable-objects/inventory/shards'
import { createTenant, key, stock } from './helpers'

describe('shards', () => {
  it('hashes SKUs with 32-bit FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
    expect(fnv1a('foobar')).toBe(0xbf9cf968)
  })

  it('maps a SKU to the same shard every time and spreads SKUs over all shards', () => {
    expect(shardFor('TEE-RED-M', 1)).toBe(0)
    expect(shardFor('TEE-RED-M', 8)).toBe(shardFor('TEE-RED-M', 8))
    const counts = new Array<number>(4).fill(0)
    for (let i = 0; i < 4_000; i += 1) {
      const shard = shardFor(`SKU-${i}`, 4)
      counts[shard] = (counts[shard] ?? 0) + 1
    }
    for (const count of counts) expect(count).toBeGreaterThan(800)
    expect(() => shardFor('X', 0)).toThrow(RangeError)
    expect(() => shardFor('X', 1.5)).toThrow(RangeError)
  })

  it('names objects tenantId:shard and parses the name back', () => {
    const tenantId = '0b6c5ad4-5c1e-4d53-9d0e-3f1b2c4d5e6f'
    expect(inventoryName(tenantId, 3)).toBe(`${tenantId}:3`)
    expect(parseInventoryName(inventoryName(tenantId, 3))).toEqual({ tenantId, shard: 3 })
    for (const bad of ['no-shard', ':1', `${tenantId}:x`, `${tenantId}:-1`, `${tenantId}:9999`]) expect(parseInventoryName(bad)).toBeNull()
  })

  it('groups lines by owning shard', () => {
    const lines = ['A', 'B', 'C', 'D', 'E'].map((sku) => ({ sku }))
    const groups = groupByShard(lines, 3)
    expect([...groups.values()].flat().sort((a, b) => a.sku.localeCompare(b.sku))).toEqual(lines)
    for (const [shard, group] of groups) for (const line of group) expect(shardFor(line.sku, 3)).toBe(shard)
  })
})

describe('fan-out', () => {
  it('checks availability across shards in one call and lists every unknown SKU', async () => {
    const tenantId = await createTenant()
    const skus = Array.from({ length: 12 }, (_, i) => `ITEM-${i}`)
    for (const [shard, group] of groupByShard(skus.map((sku) => ({ sku })), 3)) {
      const stub = inventoryStub(env, tenantId, shard)
      for (const { sku } of group) await stock(stub, sku, Number(sku.slice(5)))
    }
    const result = await checkAcrossShards(env, { tenantId, shardCount: 3, skus })
    expect(result).toEqual({ ok: true, available: Object.fromEntries(skus.map((sku) => [sku, Number(sku.slice(5))])) })

    const missing = await checkAcrossShards(env, { tenantId, shardCount: 3, skus: ['ITEM-1', 'GHOST-1', 'GHOST-2'] })
    expect(missing.ok).toBe(false)
    expect(!missing.ok && missing.error.code).toBe('unknown_sku')
    expect(!missing.ok && missing.error.details).toEqual({ skus: expect.arrayContaining(['GHOST-1', 'GHOST-2']) })
  })

  it('replays a cross-shard sale retried with the same key', async () => {
    const tenantId = await createTenant()
    const skus = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6']
    const groups = groupByShard(skus.map((sku) => ({ sku })), 2)
    expect(groups.size).toBe(2)
    for (const [shard, group] of groups) {
      const stub = inventoryStub(env, tenantId, shard)
      for (const { sku } of group) await stock(stub, sku, 5)
    }
    const sale = { tenantId, shardCount: 2, idempotencyKey: key(), actor: 'checkout', lines: skus.map((sku) => ({ sku, quantity: 2 })) }

    expect(await reduceAcrossShards(env, sale)).toMatchObject({ ok: true, replayed: false, shards: [0, 1] })
    expect(await reduceAcrossShards(env, sale)).toMatchObject({ ok: true, replayed: true })
    const after = await checkAcrossShards(env, { tenantId, shardCount: 2, skus })
    expect(after).toEqual({ ok: true, available: Object.fromEntries(skus.map((sku) => [sku, 3])) })
  })

  it('replays a refused cross-shard sale as refused, even after a restock, holding nothing', async () => {
    const tenantId = await createTenant()
    const skus = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6']
    const groups = [...groupByShard(skus.map((sku) => ({ sku })), 2)]
    const stubs: DurableObjectStub<Inventory>[] = []
    for (const [i, [shard, group]] of groups.entries()) {
      const stub = inventoryStub(env, tenantId, shard)
      for (const { sku } of group) await stock(stub, sku, i === 0 ? 5 : 1)
      stubs.push(stub)
    }
    const shortSkus = groups[1]?.[1].map(({ sku }) => sku) ?? []
    const short = shortSkus[0]
    const sale = { tenantId, shardCount: 2, idempotencyKey: key(), actor: 'checkout', lines: skus.map((sku) => ({ sku, quantity: 2 })) }

    expect(await reduceAcrossShards(env, sale)).toMatchObject({ ok: false, error: { code: 'insufficient_stock', details: { sku: short } } })
    await stubs[1]?.adjust({ idempotencyKey: key(), actor: 'admin', lines: shortSkus.map((sku) => ({ sku, delta: 10 })) })
    expect(await reduceAcrossShards(env, sale)).toMatchObject({ ok: false, error: { code: 'insufficient_stock', details: { sku: short } } })

    for (const stub of stubs) {
      const page = await stub.listLevels()
      expect(page.ok && page.data.every((level) => level.reserved === 0)).toBe(true)
    }
    const fresh = await reduceAcrossShards(env, { ...sale, idempotencyKey: key() })
    expect(fresh.ok && fresh.levels.find((level) => level.sku === short)).toMatchObject({ onHand: 9 })
  })

  it('refuses malformed cross-shard requests before calling any shard', async () => {
    const base = { tenantId: 'tenant', idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'A', quantity: 1 }] }
    expect(await reduceAcrossShards(env, { ...base, shardCount: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await reduceAcrossShards(env, { ...base, shardCount: 2, lines: [] })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await reduceAcrossShards(env, { ...base, shardCount: 2, idempotencyKey: 'k'.repeat(256) })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })
})
