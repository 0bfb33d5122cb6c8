// Durability: levels, ledger, reservations and idempotency survive the object being evicted or aborted.
import { env } from 'cloudflare:workers'
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { inventoryStub } from '../../durable-objects/inventory/shards'
import { freshShard, key, stock, tableRows } from './helpers'

async function snapshot(stub: DurableObjectStub<Inventory>) {
  return {
    levels: await stub.getLevels({ skus: ['SOFA', 'RUG'] }),
    ledger: await tableRows(stub, 'select * from ledger order by id'),
    reservations: await tableRows(stub, 'select * from reservations'),
  }
}

describe('restarts', () => {
  it('keeps every level, ledger row, reservation and idempotency key across eviction and abort', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'SOFA', 7)
    await stock(stub, 'RUG', 3)
    const sale = { idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'SOFA', quantity: 2 }] }
    await stub.reduce(sale)
    await stub.reserve({ idempotencyKey: key(), actor: 'cart', ttlSeconds: 600, lines: [{ sku: 'RUG', quantity: 1 }] })
    const before = await snapshot(stub)
    expect(before.ledger.length).toBe(4)

    await evictDurableObject(stub)
    const afterEviction = inventoryStub(env, tenantId, 0)
    expect(await snapshot(afterEviction)).toEqual(before)

    await expect(runInDurableObject(afterEviction, (_instance, state) => state.abort('restart'))).rejects.toThrow()
    const afterAbort = inventoryStub(env, tenantId, 0)
    expect(await snapshot(afterAbort)).toEqual(before)
    expect(await afterAbort.reduce(sale)).toMatchObject({ ok: true, replayed: true, levels: [{ sku: 'SOFA', onHand: 5 }] })
    expect(await afterAbort.reduce({ ...sale, idempotencyKey: key() })).toMatchObject({ ok: true, replayed: false, levels: [{ sku: 'SOFA', onHand: 3 }] })
  })
})
