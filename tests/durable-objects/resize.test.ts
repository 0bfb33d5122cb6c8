// Resizing a held one-line reservation (what a cart line does): grow only into available stock, shrink gives back, renewals extend it.
import { describe, expect, it } from 'vitest'
import { freshShard, key, stock } from './helpers'

const cart = { actor: 'cart:7' }

describe('reservation resize', () => {
  it('grows into available stock, refuses beyond it, shrinks, renews, and refuses closed or multi-line reservations', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'LAMP', 5)
    await stock(stub, 'DESK', 5)
    const held = await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 60, lines: [{ sku: 'LAMP', quantity: 2 }] })
    if (!held.ok) throw new Error(held.error.message)
    const id = held.reservation.id
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 5, ttlSeconds: 60 })).toMatchObject({ ok: true, levels: [{ reserved: 5, available: 0 }] })
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 6, ttlSeconds: 60 })).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } })
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 1, ttlSeconds: 60 })).toMatchObject({ ok: true, levels: [{ reserved: 1, available: 4 }] })
    const renewed = await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 1, ttlSeconds: 3600 })
    if (!renewed.ok) throw new Error(renewed.error.message)
    expect(renewed.reservation.expiresAt).toBeGreaterThan(Date.now() + 3_000_000)
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 0, ttlSeconds: 60 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const two = await stub.reserve({ ...cart, idempotencyKey: key(), ttlSeconds: 60, lines: [{ sku: 'LAMP', quantity: 1 }, { sku: 'DESK', quantity: 1 }] })
    if (!two.ok) throw new Error(two.error.message)
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: two.reservation.id, quantity: 2, ttlSeconds: 60 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    await stub.release({ ...cart, idempotencyKey: key(), reservationId: id })
    expect(await stub.resize({ ...cart, idempotencyKey: key(), reservationId: id, quantity: 1, ttlSeconds: 60 })).toMatchObject({ ok: false, error: { code: 'reservation_closed' } })
  })
})
