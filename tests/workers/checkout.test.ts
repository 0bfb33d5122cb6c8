// Checkout: a cart becomes an order with snapshots, totals and a number; its reservations move to the order for the
// payment window; the same key answers the same order even when the first attempt died half way; refusals change nothing.
import { runInDurableObject } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { disarmFaults, armFault } from '../../workers/commerce/orders/faults'
import { events } from '../../workers/db/schema/events'
import { orders } from '../../workers/db/schema/orders'
import { shippingMethods } from '../../workers/db/schema/customers'
import { api } from './helpers'
import { levelOf, openShop, stockedVariant } from './commerce-helpers'
import { ADDRESS, cartWith, checkout, fireAlarm, holder, readOrder, withDb, type CartBody } from './order-helpers'

afterEach(() => disarmFaults())

describe('checkout', () => {
  it('makes order #1001 with snapshots and totals, keeps the stock reserved for the payment window, and numbers the next #1002', async () => {
    const shop = await openShop({ taxRateBasisPoints: 1600, paymentWindowHours: 2 })
    const { sku, variantId } = await stockedVariant(shop, { price: 2500, stock: { main: 10 } })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    const before = Date.now()
    const placed = await checkout(shop, cart.id, { email: 'Ana@Example.com', shippingAddress: { ...ADDRESS, country: 'mx' }, notes: 'ring twice' })
    expect(placed.res.status, JSON.stringify(placed.body)).toBe(201)
    const order = placed.body
    expect(order).toMatchObject({
      number: 1001,
      status: 'open',
      paymentStatus: 'pending',
      fulfillmentStatus: 'unfulfilled',
      stockState: 'held',
      totals: { subtotal: 5000, shipping: 0, tax: 800, total: 5800 },
      lines: [{ sku, quantity: 2, unitPrice: 2500, lineTotal: 5000, location: 'main' }],
      shippingAddress: { ...ADDRESS, country: 'MX', line2: null, region: null, phone: null },
      notes: 'ring twice',
      timeline: [{ type: 'created', actor: { type: 'api_key' } }],
    })
    expect(order.customerId).toEqual(expect.any(String))
    expect(order.lines[0]?.variantId).toBe(variantId)
    const holdEnds = Date.parse(order.holdExpiresAt ?? '')
    expect(holdEnds - before).toBeGreaterThanOrEqual(2 * 3600 * 1000 - 5000)
    expect(holdEnds - before).toBeLessThanOrEqual(2 * 3600 * 1000 + 60_000)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10, reserved: 2 })
    const after = await api<CartBody>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })
    expect(after.body).toMatchObject({ status: 'checked_out', orderId: order.id })
    const created = await withDb((db) => db.select().from(events).where(and(eq(events.tenantId, shop.owner.tenant.id), eq(events.subjectId, order.id))))
    expect(created.map((e) => e.type)).toEqual(['order.created'])
    const second = await checkout(shop, (await cartWith(shop, [{ sku, quantity: 1 }])).id)
    expect(second.body.number).toBe(1002)
  })

  it('charges the shipping method (free above its threshold) and uses a named customer', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000 })
    const [method] = await withDb((db) => db.insert(shippingMethods).values({ tenantId: shop.owner.tenant.id, name: 'Courier', price: 500, currency: 'EUR', freeAbove: 3000 }).returning())
    const first = await checkout(shop, (await cartWith(shop, [{ sku, quantity: 1 }])).id, { email: 'a@example.com', shippingAddress: ADDRESS, shippingMethodId: method?.id })
    expect(first.body).toMatchObject({ totals: { subtotal: 1000, shipping: 500, total: 1500 }, shippingMethod: { id: method?.id, name: 'Courier', price: 500 } })
    const free = await checkout(shop, (await cartWith(shop, [{ sku, quantity: 3 }])).id, { customerId: first.body.customerId, shippingAddress: ADDRESS, shippingMethodId: method?.id })
    expect(free.body).toMatchObject({ totals: { subtotal: 3000, shipping: 0, total: 3000 }, customerId: first.body.customerId, email: 'a@example.com' })
  })

  it('answers a retry with the same key with the same order; another key or another cart is refused', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    const key = crypto.randomUUID()
    const answers = await Promise.all([checkout(shop, cart.id, undefined, { key }), checkout(shop, cart.id, undefined, { key })])
    const ok = answers.filter((a) => a.res.status === 201)
    expect(ok.length, JSON.stringify(answers.map((a) => a.body))).toBeGreaterThanOrEqual(1)
    const again = await checkout(shop, cart.id, undefined, { key })
    expect(again.res.status).toBe(201)
    expect(new Set([...ok, again].map((a) => a.body.id)).size).toBe(1)
    const otherKey = await checkout(shop, cart.id)
    expect([otherKey.res.status, otherKey.body.error.code]).toEqual([409, 'cart_checked_out'])
    const otherCart = await cartWith(shop, [{ sku, quantity: 1 }])
    const reused = await checkout(shop, otherCart.id, undefined, { key })
    expect([reused.res.status, reused.body.error.code]).toEqual([409, 'idempotency_conflict'])
    const count = await withDb((db) => db.select().from(orders).where(eq(orders.tenantId, shop.owner.tenant.id)))
    expect(count).toHaveLength(1)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 3 })
  })

  it('answers 409 price_changed with the new figures, and checks out at them when accepted', async () => {
    const shop = await openShop()
    const { sku, productId, variantId } = await stockedVariant(shop, { price: 1000 })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    const patched = await api(`/v1/products/${productId}/variants/${variantId}`, { token: shop.owner.accessToken, method: 'PATCH', body: { price: 1200 } })
    expect(patched.res.status).toBe(200)
    const refused = await checkout(shop, cart.id)
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 'price_changed'])
    expect(refused.body.error.details).toMatchObject({ lines: [{ sku, oldUnitPrice: 1000, newUnitPrice: 1200 }], totals: { subtotal: 2400 } })
    expect((await api<CartBody>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).body.status).toBe('active')
    const accepted = await checkout(shop, cart.id, { email: 'a@example.com', shippingAddress: ADDRESS, acceptPriceChanges: true })
    expect(accepted.res.status).toBe(201)
    expect(accepted.body).toMatchObject({ totals: { subtotal: 2400 }, lines: [{ unitPrice: 1200, lineTotal: 2400 }] })
  })

  it('refuses empty and expired carts (409) and bad input (400), changing nothing', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const empty = await cartWith(shop, [])
    const refusedEmpty = await checkout(shop, empty.id)
    expect([refusedEmpty.res.status, refusedEmpty.body.error.code]).toEqual([409, 'cart_empty'])
    const cart = await cartWith(shop, [{ sku, quantity: 1 }])
    const bad: Record<string, unknown>[] = [
      { email: 'a@example.com' },
      { email: 'a@example.com', shippingAddress: { ...ADDRESS, line1: undefined } },
      { email: 'a@example.com', shippingAddress: { ...ADDRESS, postalCode: '' } },
      { email: 'a@example.com', shippingAddress: { ...ADDRESS, country: 'XX' } },
      { email: 'not-an-email', shippingAddress: ADDRESS },
      { shippingAddress: ADDRESS },
      { customerId: crypto.randomUUID(), shippingAddress: ADDRESS },
      { email: 'a@example.com', shippingAddress: ADDRESS, shippingMethodId: crypto.randomUUID() },
    ]
    for (const body of bad) {
      const res = await checkout(shop, cart.id, body)
      expect(res.res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await checkout(shop, cart.id, undefined, { key: null })).res.status).toBe(400)
    expect((await api<CartBody>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).body.status).toBe('active')
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
    await withDb(async (db) => expect(await db.select().from(orders).where(eq(orders.tenantId, shop.owner.tenant.id))).toHaveLength(0))
    await runInDurableObject(holder(shop, cart.id), (_instance, state) => {
      const row = state.storage.sql.exec<{ state: string }>('select state from cart').one()
      state.storage.sql.exec('update cart set state = ?', JSON.stringify({ ...(JSON.parse(row.state) as object), expiresAt: Date.now() - 1 }))
    })
    const expired = await checkout(shop, cart.id)
    expect([expired.res.status, expired.body.error.code]).toEqual([409, 'cart_expired'])
    await fireAlarm(shop, cart.id)
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 0 })
    const recorded = await withDb((db) => db.select().from(events).where(and(eq(events.tenantId, shop.owner.tenant.id), eq(events.subjectId, cart.id))))
    expect(recorded.map((e) => e.type)).toEqual(['cart.expired'])
  })

  it('lets a publishable key check out with the cart secret (404 without); /v1/orders stays closed to it (403)', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop)
    const cart = await cartWith(shop, [{ sku, quantity: 1 }], { apiKey: shop.publishableKey })
    expect((await checkout(shop, cart.id, undefined, { apiKey: shop.publishableKey })).res.status).toBe(404)
    expect((await checkout(shop, cart.id, undefined, { apiKey: shop.publishableKey, secret: 'wrong' })).res.status).toBe(404)
    const byId = await checkout(shop, cart.id, { customerId: crypto.randomUUID(), shippingAddress: ADDRESS }, { apiKey: shop.publishableKey, secret: cart.secret ?? '' })
    expect(byId.res.status).toBe(400)
    const placed = await checkout(shop, cart.id, undefined, { apiKey: shop.publishableKey, secret: cart.secret ?? '' })
    expect(placed.res.status).toBe(201)
    const key = { apiKey: shop.publishableKey }
    expect((await api(`/v1/orders/${placed.body.id}`, key)).res.status).toBe(403)
    expect((await api('/v1/orders', key)).res.status).toBe(403)
    expect((await api('/v1/orders/export', key)).res.status).toBe(403)
    expect((await api(`/v1/orders/${placed.body.id}/payments`, { ...key, body: { method: 'cash', amount: 1 } })).res.status).toBe(403)
    expect((await api(`/v1/orders/${placed.body.id}/cancel`, { ...key, body: {} })).res.status).toBe(403)
    expect((await api('/v1/orders', { ...key, body: { lines: [{ sku, quantity: 1 }], payment: { method: 'cash' } }, headers: { 'idempotency-key': 'k' } })).res.status).toBe(403)
  })

  it('finishes a checkout whose Worker died after the Cart object held the stock: by the retry, or else by the alarm', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    const key = crypto.randomUUID()
    armFault('after-hold')
    const died = await checkout(shop, cart.id, undefined, { key })
    expect(died.res.status).toBe(500)
    expect((await api<CartBody>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).body.status).toBe('checked_out')
    await withDb(async (db) => expect(await db.select().from(orders).where(eq(orders.tenantId, shop.owner.tenant.id))).toHaveLength(0))
    const retried = await checkout(shop, cart.id, undefined, { key })
    expect(retried.res.status).toBe(201)
    expect(retried.body.id).toBe((await api<CartBody>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).body.orderId)

    const lost = await cartWith(shop, [{ sku, quantity: 1 }])
    armFault('after-hold')
    expect((await checkout(shop, lost.id)).res.status).toBe(500)
    await fireAlarm(shop, lost.id)
    const orderId = (await api<CartBody>(`/v1/carts/${lost.id}`, { apiKey: shop.serverKey })).body.orderId ?? ''
    expect(await readOrder(shop, orderId)).toMatchObject({ status: 'open', stockState: 'held', lines: [{ sku, quantity: 1 }] })
    await fireAlarm(shop, lost.id)
    await withDb(async (db) => expect(await db.select().from(orders).where(eq(orders.tenantId, shop.owner.tenant.id))).toHaveLength(2))
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 3 })
  })
})
