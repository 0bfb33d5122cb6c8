// Realtime: a subscriber gets a snapshot on connect and every committed change of stock, over a hibernatable WebSocket.
import { env } from 'cloudflare:workers'
import { evictDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { inventoryName, inventoryStub } from '../../durable-objects/inventory/shards'
import { encodeSocketCredential, SOCKET_CREDENTIAL_HEADER } from '../../durable-objects/lib/socket-credentials'
import { DELIVERY_BUDGET_MS, subscriberOf, within, type Subscriber } from '../workers/stock-subscriber'
import { freshShard, key, stock } from './helpers'

/** Opens a WebSocket to the object the way partyserver routes one: an upgrade request on the stub's fetch. */
async function subscribe(stub: DurableObjectStub<Inventory>, name: string): Promise<Subscriber> {
  const credential = encodeSocketCredential({ kind: 'api_key', id: crypto.randomUUID(), expiresAt: null })
  return subscriberOf(await stub.fetch(`http://inventory.internal/parties/inventory/${name}`, { headers: { Upgrade: 'websocket', [SOCKET_CREDENTIAL_HEADER]: credential } }))
}

describe('realtime', () => {
  it('sends a snapshot on connect and each change within 100 ms', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'VASE', 4)
    const subscriber = await subscribe(stub, inventoryName(tenantId, 0))
    expect(await within(subscriber.next(), 1_000)).toMatchObject({
      type: 'stock.snapshot',
      tenantId,
      shard: 0,
      truncated: false,
      levels: [{ sku: 'VASE', location: 'main', onHand: 4, reserved: 0, available: 4 }],
    })

    const delivered = subscriber.next()
    const started = Date.now()
    await stub.reduce({ idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'VASE', quantity: 1 }] })
    const change = await within(delivered, DELIVERY_BUDGET_MS)
    expect(Date.now() - started).toBeLessThan(DELIVERY_BUDGET_MS)
    expect(change).toEqual({ type: 'stock.changed', tenantId, shard: 0, changes: [{ sku: 'VASE', location: 'main', onHand: 3, reserved: 0, available: 3 }], at: expect.any(Number) })
    subscriber.close()
  })

  it('announces low stock alongside the change that caused it, and nothing for a replay', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'VASE', 3, { lowStockThreshold: 3 })
    const subscriber = await subscribe(stub, inventoryName(tenantId, 0))
    await subscriber.next()

    const sale = { idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'VASE', quantity: 1 }] }
    await stub.reduce(sale)
    expect(await within(subscriber.next(), 1_000)).toMatchObject({ type: 'stock.changed' })
    expect(await within(subscriber.next(), 1_000)).toMatchObject({ type: 'stock.low', alerts: [{ sku: 'VASE', threshold: 3, available: 2 }] })

    await stub.reduce(sale)
    await stub.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'VASE', delta: 5 }] })
    expect(await within(subscriber.next(), 1_000)).toMatchObject({ type: 'stock.changed', changes: [{ onHand: 7 }] })
    subscriber.close()
  })

  it('keeps subscribers across hibernation', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'VASE', 2)
    const subscriber = await subscribe(stub, inventoryName(tenantId, 0))
    await subscriber.next()

    await evictDurableObject(stub)
    const woken = inventoryStub(env, tenantId, 0)
    await woken.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'VASE', delta: 1 }] })
    expect(await within(subscriber.next(), 1_000)).toMatchObject({ type: 'stock.changed', changes: [{ onHand: 3 }] })
    subscriber.close()
  })
})
