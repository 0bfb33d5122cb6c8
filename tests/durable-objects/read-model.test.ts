// The Postgres read model: levels reach inventory_levels through the outbox, and a failed flush loses nothing.
import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { FLUSH_RETRY_BASE_MS } from '../../durable-objects/inventory/limits'
import { flushBackoffMs, flushOutbox } from '../../durable-objects/inventory/outbox'
import { createDatabase } from '../../workers/db/client'
import { inventoryLevels } from '../../workers/db/schema'
import { freshShard, key, stock, tableRows } from './helpers'

/** Nothing listens on port 9 on loopback, so connecting fails at once. */
const CLOSED_PORT_URL = 'postgres://vitrina:vitrina@127.0.0.1:9/vitrina'

async function readModel(tenantId: string) {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const rows = await client.db.select().from(inventoryLevels).where(eq(inventoryLevels.tenantId, tenantId)).orderBy(inventoryLevels.sku)
    return rows.map(({ sku, location, onHand, reserved, available, lowStockThreshold, version }) => ({ sku, location, onHand, reserved, available, lowStockThreshold, version }))
  } finally {
    await client.close()
  }
}

/** Runs the object's alarm until the outbox is empty (a backoff may delay it by a second). */
async function drain(stub: DurableObjectStub<Inventory>): Promise<void> {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(stub)
      expect(await tableRows(stub, 'select sku from outbox')).toEqual([])
    },
    { timeout: 5_000, interval: 100 },
  )
}

describe('read model', () => {
  it('flushes levels to inventory_levels from the alarm, moving rows only forward', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'BOOK', 8, { lowStockThreshold: 2 })
    await stock(stub, 'PEN', 3)
    await stub.reserve({ idempotencyKey: key(), actor: 'cart', ttlSeconds: 600, lines: [{ sku: 'BOOK', quantity: 1 }] })
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull()

    await drain(stub)
    expect(await readModel(tenantId)).toEqual([
      { sku: 'BOOK', location: 'main', onHand: 8, reserved: 1, available: 7, lowStockThreshold: 2, version: 3 },
      { sku: 'PEN', location: 'main', onHand: 3, reserved: 0, available: 3, lowStockThreshold: null, version: 2 },
    ])

    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(`update levels set on_hand = 1, version = 1 where sku = 'PEN'`)
      state.storage.sql.exec(`insert into outbox (sku, location, version) values ('PEN', 'main', 1)`)
    })
    await drain(stub)
    expect((await readModel(tenantId))[1]).toMatchObject({ sku: 'PEN', onHand: 3, version: 2 })
  })

  it('keeps the outbox when Postgres is unreachable, backs off, and publishes everything on retry', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'BOOK', 8)
    await stub.reduce({ idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'BOOK', quantity: 3 }] })
    const queued = await tableRows(stub, 'select sku, version from outbox')
    expect(queued).toEqual([{ sku: 'BOOK', version: 3 }])

    const failed = await runInDurableObject(stub, (_instance, state) => flushOutbox(state.storage, tenantId, { url: CLOSED_PORT_URL }, Date.now()))
    expect(failed).toMatchObject({ status: 'failed', failures: 1, retryAt: expect.any(Number) })
    expect(await tableRows(stub, 'select sku, version from outbox')).toEqual(queued)
    expect(await readModel(tenantId)).toEqual([])

    const again = await runInDurableObject(stub, (_instance, state) => flushOutbox(state.storage, tenantId, { url: CLOSED_PORT_URL }, Date.now()))
    expect(again).toMatchObject({ status: 'failed', failures: 2 })
    expect(flushBackoffMs(1)).toBe(FLUSH_RETRY_BASE_MS)
    expect(flushBackoffMs(2)).toBe(2 * FLUSH_RETRY_BASE_MS)

    await runDurableObjectAlarm(stub)
    expect(await tableRows(stub, 'select sku from outbox')).toEqual([{ sku: 'BOOK' }])
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())
    expect(alarm).toBeGreaterThanOrEqual(again.status === 'failed' ? again.retryAt : Number.POSITIVE_INFINITY)

    await stub.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'BOOK', delta: 10 }] })
    await drain(stub)
    expect(await readModel(tenantId)).toEqual([{ sku: 'BOOK', location: 'main', onHand: 15, reserved: 0, available: 15, lowStockThreshold: null, version: 4 }])
    expect(await tableRows(stub, `select key from meta where key like 'flush_%'`)).toEqual([])
  })

  it('publishes only to its own tenant rows', async () => {
    const first = await freshShard()
    const second = await freshShard()
    await stock(first.stub, 'SAME', 1)
    await stock(second.stub, 'SAME', 2)
    await drain(first.stub)
    await drain(second.stub)
    const both = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
    try {
      const rows = await both.db
        .select({ onHand: inventoryLevels.onHand })
        .from(inventoryLevels)
        .where(and(eq(inventoryLevels.sku, 'SAME'), eq(inventoryLevels.tenantId, second.tenantId)))
      expect(rows).toEqual([{ onHand: 2 }])
    } finally {
      await both.close()
    }
  })
})
