// Stock's domain events: queued in the Inventory object's SQLite with the change, one per change and none for a refused
// one, carried to Postgres `events` by the outbox flush exactly once (a retried flush adds nothing).
import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { flushOutbox } from '../../durable-objects/inventory/outbox'
import { createDatabase } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { freshShard, key, stock, tableRows } from './helpers'

async function eventsOf(tenantId: string) {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    return await client.db.select().from(events).where(eq(events.tenantId, tenantId)).orderBy(asc(events.createdAt), asc(events.id))
  } finally {
    await client.close()
  }
}

async function flushAll(stub: DurableObjectStub<Inventory>): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    const outcome = await stub.flush()
    if (outcome.status === 'idle') return
  }
}

const queued = (stub: DurableObjectStub<Inventory>) => tableRows<{ type: string; data: string }>(stub, 'select type, data from event_outbox order by at, id')

describe('stock events', () => {
  it('queues stock.low, stock.out and stock.restocked once each with the change, and flushes them to Postgres', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'MUG', 5, { lowStockThreshold: 3 })
    expect((await queued(stub)).map((e) => e.type)).toEqual(['stock.restocked'])
    await flushAll(stub)
    expect(await queued(stub)).toEqual([])

    expect((await stub.reduce({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', quantity: 3 }] })).ok).toBe(true)
    expect((await stub.reduce({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', quantity: 1 }] })).ok).toBe(true)
    const out = await stub.reduce({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', quantity: 1 }] })
    expect(out.ok).toBe(true)
    const refused = await stub.reduce({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', quantity: 1 }] })
    expect(refused.ok).toBe(false)
    expect((await stub.adjust({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', delta: 10 }] })).ok).toBe(true)
    await flushAll(stub)

    const rows = await eventsOf(tenantId)
    expect(rows.map((r) => r.type)).toEqual(['stock.restocked', 'stock.low', 'stock.out', 'stock.restocked'])
    expect(rows[1]).toMatchObject({ subjectType: 'stock_level', subjectId: 'MUG@main', data: { version: 1, sku: 'MUG', location: 'main', available: 2, threshold: 3, alertId: expect.any(Number) } })
    expect(rows[2]?.data).toMatchObject({ version: 1, sku: 'MUG', onHand: 0, reserved: 0, available: 0, occurredAt: expect.any(String) })
    expect(rows[3]?.data).toMatchObject({ version: 1, available: 10 })
  })

  it('queues nothing for a replayed or refused mutation, and nothing when a multi-line change rolls back', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'A', 1)
    await stock(stub, 'B', 0)
    await flushAll(stub)
    const idempotencyKey = key()
    expect((await stub.reduce({ idempotencyKey, actor: 'test', lines: [{ sku: 'A', quantity: 1 }] })).ok).toBe(true)
    expect((await stub.reduce({ idempotencyKey, actor: 'test', lines: [{ sku: 'A', quantity: 1 }] })).ok).toBe(true)
    expect((await queued(stub)).map((e) => e.type)).toEqual(['stock.out'])
    await flushAll(stub)
    expect((await stub.adjust({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'A', delta: 2 }, { sku: 'NOPE', delta: 1 }] })).ok).toBe(false)
    expect(await queued(stub)).toEqual([])
  })

  it('records reservation.expired when the alarm expires a reservation', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'HAT', 4)
    const held = await stub.reserve({ idempotencyKey: key(), actor: 'test', ttlSeconds: 60, lines: [{ sku: 'HAT', quantity: 2 }] })
    if (!held.ok) throw new Error(held.error.message)
    await flushAll(stub)
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('update reservations set expires_at = ? where id = ?', Date.now() - 1, held.reservation.id)
    })
    await runDurableObjectAlarm(stub)
    await flushAll(stub)
    const expired = (await eventsOf(tenantId)).filter((e) => e.type === 'reservation.expired')
    expect(expired).toEqual([
      expect.objectContaining({ subjectType: 'reservation', subjectId: held.reservation.id, data: expect.objectContaining({ version: 1, reservationId: held.reservation.id, lines: [{ sku: 'HAT', location: 'main', quantity: 2 }] }) }),
    ])
  })

  it('keeps queued events when Postgres is unreachable and writes each once when a flush is retried', async () => {
    const { tenantId, stub } = await freshShard()
    await stock(stub, 'CUP', 1)
    const ids = await runInDurableObject(stub, async (_instance, state) => {
      const failed = await flushOutbox(state.storage, tenantId, { url: 'postgres://vitrina:vitrina@127.0.0.1:9/vitrina' }, Date.now())
      expect(failed.status).toBe('failed')
      return state.storage.sql.exec<{ id: string }>('select id from event_outbox').toArray().map((r) => r.id)
    })
    expect(ids).toHaveLength(1)
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec("delete from meta where key like 'flush_%'")
      const done = await flushOutbox(state.storage, tenantId, { url: env.DATABASE_URL, driver: env.DATABASE_DRIVER }, Date.now())
      expect(done.status).toBe('flushed')
      state.storage.sql.exec(`insert into event_outbox (id, type, subject_type, subject_id, data, at) values (?, 'stock.restocked', 'stock_level', 'CUP@main', '{}', 0)`, ids[0] ?? '')
      await flushOutbox(state.storage, tenantId, { url: env.DATABASE_URL, driver: env.DATABASE_DRIVER }, Date.now())
    })
    const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
    try {
      expect(await client.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'stock.restocked')))).toHaveLength(1)
    } finally {
      await client.close()
    }
  })
})
