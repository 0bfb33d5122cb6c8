// Reservations hold stock until committed (a sale), released, or expired by the object's alarm.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { freshShard, key, stock, tableRows } from './helpers'

const cart = { actor: 'cart:42' }

async function level(stub: DurableObjectStub<Inventory>, sku: string) {
  const result = await stub.getLevels({ skus: [sku] })
  return result.ok ? result.levels[0] : undefined
}

describe('reservations', () => {
  it('holds stock, then commits it as a sale', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'LAMP', 5)
    const held = await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 600, lines: [{ sku: 'LAMP', quantity: 2 }] })
    if (!held.ok) throw new Error(held.error.message)
    expect(held.reservation).toMatchObject({ status: 'held', lines: [{ sku: 'LAMP', location: 'main', quantity: 2 }] })
    expect(await level(stub, 'LAMP')).toMatchObject({ onHand: 5, reserved: 2, available: 3 })
    expect(await stub.reduce({ ...cart, idempotencyKey: key(), lines: [{ sku: 'LAMP', quantity: 4 }] })).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } })

    const committed = await stub.commit({ ...cart, idempotencyKey: key(), reservationId: held.reservation.id })
    expect(committed).toMatchObject({ ok: true, reservation: { status: 'committed' }, levels: [{ onHand: 3, reserved: 0, available: 3 }] })
    expect(await stub.release({ ...cart, idempotencyKey: key(), reservationId: held.reservation.id })).toMatchObject({
      ok: false,
      error: { code: 'reservation_closed', details: { status: 'committed' } },
    })
  })

  it('releases a reservation back to available stock', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'LAMP', 5)
    const held = await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 600, lines: [{ sku: 'LAMP', quantity: 5 }] })
    if (!held.ok) throw new Error(held.error.message)
    expect(await stub.release({ ...cart, idempotencyKey: key(), reservationId: held.reservation.id })).toMatchObject({ ok: true, levels: [{ onHand: 5, reserved: 0 }] })
    expect(await stub.commit({ ...cart, idempotencyKey: key(), reservationId: 'rsv_missing' })).toMatchObject({ ok: false, error: { code: 'reservation_not_found' } })
  })

  it('expires a reservation in the alarm, releasing its stock with ledger rows', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'LAMP', 5)
    const held = await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 600, lines: [{ sku: 'LAMP', quantity: 3 }] })
    if (!held.ok) throw new Error(held.error.message)

    await runDurableObjectAlarm(stub)
    expect(await level(stub, 'LAMP')).toMatchObject({ reserved: 3 })

    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec('update reservations set expires_at = ? where id = ?', Date.now() - 1, held.reservation.id)
      await state.storage.setAlarm(Date.now() + 60_000)
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)

    expect(await level(stub, 'LAMP')).toMatchObject({ onHand: 5, reserved: 0, available: 5 })
    expect(await stub.getReservation(held.reservation.id)).toMatchObject({ ok: true, reservation: { status: 'expired' } })
    expect(await tableRows(stub, `select reason, reserved_delta, actor from ledger where reservation_id = ? order by id`, held.reservation.id)).toEqual([
      { reason: 'reserve', reserved_delta: 3, actor: 'cart:42' },
      { reason: 'expire', reserved_delta: -3, actor: 'system:expiry' },
    ])
    expect(await stub.commit({ ...cart, idempotencyKey: key(), reservationId: held.reservation.id })).toMatchObject({
      ok: false,
      error: { code: 'reservation_closed', details: { status: 'expired' } },
    })
  })

  it('schedules the alarm no later than the earliest expiry', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'LAMP', 5)
    await runDurableObjectAlarm(stub)
    const before = Date.now()
    await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 1, lines: [{ sku: 'LAMP', quantity: 1 }] })
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
    expect(alarm).toBeLessThanOrEqual(before + 1_000 + 50)
  })
})
