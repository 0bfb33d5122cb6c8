// No oversell under contention: 1,000 concurrent sales of 1 against 100 units, on one shard and across two.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { reduceAcrossShards } from '../../durable-objects/inventory/fan-out'
import { inventoryStub, shardFor } from '../../durable-objects/inventory/shards'
import { createTenant, freshShard, key, stock, tableRows } from './helpers'

const BUYERS = 1_000
const UNITS = 100
/** A thousand RPC round trips per test take a few seconds in local workerd on two cores. */
const CONTENTION_TIMEOUT_MS = 60_000

/** The first SKU named `prefix-N` that lands on `shard` of 2. */
function skuOnShard(prefix: string, shard: number): string {
  for (let n = 0; ; n += 1) if (shardFor(`${prefix}-${n}`, 2) === shard) return `${prefix}-${n}`
}

describe('concurrent sales', () => {
  it('sells exactly the stock there is to 1,000 concurrent buyers on one shard', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'HOT', UNITS)

    const results = await Promise.all(
      Array.from({ length: BUYERS }, (_, i) => stub.reduce({ idempotencyKey: `buyer-${i}`, actor: `buyer-${i}`, lines: [{ sku: 'HOT', quantity: 1 }] })),
    )

    const sold = results.filter((r) => r.ok).length
    expect(sold).toBe(UNITS)
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'insufficient_stock')).toBe(true)
    const levels = await stub.getLevels({ skus: ['HOT'] })
    expect(levels.ok && levels.levels).toEqual([expect.objectContaining({ sku: 'HOT', onHand: 0, reserved: 0, available: 0 })])
    const [ledger] = await tableRows<{ total: number; sales: number }>(
      stub,
      `select sum(delta) as total, sum(case when reason = 'sale' then 1 else 0 end) as sales from ledger where sku = 'HOT'`,
    )
    expect(ledger).toEqual({ total: 0, sales: UNITS })
  }, CONTENTION_TIMEOUT_MS)

  it('sells exactly the stock there is when every sale spans two shards', async () => {
    const tenantId = await createTenant()
    const left = skuOnShard('left', 0)
    const right = skuOnShard('right', 1)
    const shard0 = inventoryStub(env, tenantId, 0)
    const shard1 = inventoryStub(env, tenantId, 1)
    await stock(shard0, left, UNITS)
    await stock(shard1, right, UNITS)

    const results = await Promise.all(
      Array.from({ length: BUYERS }, (_, i) =>
        reduceAcrossShards(env, {
          tenantId,
          shardCount: 2,
          idempotencyKey: `bulk-${i}`,
          actor: `buyer-${i}`,
          lines: [
            { sku: left, quantity: 1 },
            { sku: right, quantity: 1 },
          ],
        }),
      ),
    )

    expect(results.filter((r) => r.ok).length).toBe(UNITS)
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'insufficient_stock')).toBe(true)
    for (const [stub, sku] of [
      [shard0, left],
      [shard1, right],
    ] as const) {
      const levels = await stub.getLevels({ skus: [sku] })
      expect(levels.ok && levels.levels).toEqual([expect.objectContaining({ onHand: 0, reserved: 0, available: 0 })])
      const [ledger] = await tableRows<{ onHand: number; reserved: number; commits: number }>(
        stub,
        `select sum(delta) as onHand, sum(reserved_delta) as reserved, sum(case when reason = 'commit' then 1 else 0 end) as commits from ledger where sku = ?`,
        sku,
      )
      expect(ledger).toEqual({ onHand: 0, reserved: 0, commits: UNITS })
    }
  }, CONTENTION_TIMEOUT_MS)

  it('sells nothing on any shard when one shard is short', async () => {
    const tenantId = await createTenant()
    const left = skuOnShard('left', 0)
    const right = skuOnShard('right', 1)
    const shard0 = inventoryStub(env, tenantId, 0)
    const shard1 = inventoryStub(env, tenantId, 1)
    await stock(shard0, left, 5)
    await stock(shard1, right, 1)

    const result = await reduceAcrossShards(env, {
      tenantId,
      shardCount: 2,
      idempotencyKey: key(),
      actor: 'buyer',
      lines: [
        { sku: left, quantity: 3 },
        { sku: right, quantity: 2 },
      ],
    })

    expect(result).toMatchObject({ ok: false, error: { code: 'insufficient_stock', details: { sku: right, requested: 2, available: 1 } } })
    const levels0 = await shard0.getLevels({ skus: [left] })
    const levels1 = await shard1.getLevels({ skus: [right] })
    expect(levels0.ok && levels0.levels[0]).toMatchObject({ onHand: 5, reserved: 0 })
    expect(levels1.ok && levels1.levels[0]).toMatchObject({ onHand: 1, reserved: 0 })
  })
})
