// Stock follows money: full payment commits the order's reservations (ledger names the order), cancel and a lapsed payment
// window release them, and a Worker dying between Postgres and the Inventory objects is finished by the Cart object's alarm.
import { runInDurableObject } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { armFault, disarmFaults } from '../../workers/commerce/orders/faults'
import { customers } from '../../workers/db/schema/customers'
import { events } from '../../workers/db/schema/events'
import { orders } from '../../workers/db/schema/orders'
import { api } from './helpers'
import { levelOf, openShop, stockedVariant } from './commerce-helpers'
import { act, cartWith, checkout, fireAlarm, holder, ledgerReasons, orderOf, readOrder, withDb, type Order } from './order-helpers'

afterEach(() => disarmFaults())

const eventTypes = (tenantId: string, orderId: string) =>
  withDb(async (db) => (await db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.subjectId, orderId))).orderBy(events.createdAt)).map((e) => e.type))

describe('payments', () => {
  it('holds the stock while partly paid, commits it on full payment (ledger names the order), and keeps the customer figures', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const order = await orderOf(shop, sku, 3)
    const part = await act(shop, order.id, 'payments', { method: 'cash', amount: 1000 })
    expect(part.res.status, JSON.stringify(part.body)).toBe(200)
    expect(part.body).toMatchObject({ paymentStatus: 'partially_paid', paidAmount: 1000, stockState: 'held' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10, reserved: 3 })
    const rest = await act(shop, order.id, 'payments', { method: 'bank_transfer', amount: 2000, reference: 'TX-9' })
    expect(rest.body).toMatchObject({ paymentStatus: 'paid', paidAmount: 3000, stockState: 'committed', holdExpiresAt: null })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 7, reserved: 0, available: 7 })
    expect(await ledgerReasons(shop, sku)).toContain(`order #${order.number}`)
    expect((await readOrder(shop, order.id)).timeline.map((t) => t.type)).toEqual(['created', 'payment', 'payment', 'stock_committed'])
    expect(await eventTypes(shop.owner.tenant.id, order.id)).toEqual(['order.created', 'order.paid'])
    const [customer] = await withDb((db) => db.select().from(customers).where(eq(customers.id, order.customerId ?? '')))
    expect(customer).toMatchObject({ ordersCount: 1, totalSpent: 3000 })
  })

  it('refuses overpayment (409) and zero, negative or fractional amounts and unknown methods (400), changing nothing', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000 })
    const order = await orderOf(shop, sku, 1)
    const over = await act(shop, order.id, 'payments', { method: 'cash', amount: 1001 })
    expect([over.res.status, over.body.error.code, over.body.error.details]).toEqual([409, 'overpayment', { balance: 1000, amount: 1001 }])
    for (const body of [{ method: 'cash', amount: 0 }, { method: 'cash', amount: -5 }, { method: 'cash', amount: 10.5 }, { method: 'cheque', amount: 10 }, { amount: 10 }]) {
      expect((await act(shop, order.id, 'payments', body)).res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await api(`/v1/orders/${crypto.randomUUID()}/payments`, { apiKey: shop.serverKey, body: { method: 'cash', amount: 1 } })).res.status).toBe(404)
    expect(await readOrder(shop, order.id)).toMatchObject({ paidAmount: 0, paymentStatus: 'pending', stockState: 'held' })
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
    const paid = await act(shop, order.id, 'payments', { method: 'card_present', amount: 1000 })
    expect(paid.body.paymentStatus).toBe('paid')
    const again = await act(shop, order.id, 'payments', { method: 'cash', amount: 1 })
    expect([again.res.status, again.body.error.code]).toEqual([409, 'overpayment'])
  })
})

describe('races', () => {
  it('lets one of two payments completing the total win, and a racing cancel and payment end either paid and sold or cancelled and released', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const order = await orderOf(shop, sku, 2)
    const raced = await Promise.all([act(shop, order.id, 'payments', { method: 'cash', amount: 2000 }), act(shop, order.id, 'payments', { method: 'card_present', amount: 2000 })])
    expect(raced.map((r) => r.res.status).sort()).toEqual([200, 409])
    expect(await readOrder(shop, order.id)).toMatchObject({ paidAmount: 2000, paymentStatus: 'paid', stockState: 'committed' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 8, reserved: 0 })
    for (let round = 0; round < 3; round++) {
      const next = await orderOf(shop, sku, 1)
      const [paid, cancelled] = await Promise.all([act(shop, next.id, 'payments', { method: 'cash', amount: 1000 }), act(shop, next.id, 'cancel')])
      expect([paid.res.status, cancelled.res.status].sort()).toEqual([200, 409])
      const final = await readOrder(shop, next.id)
      expect([final.paymentStatus, final.status, final.stockState]).toEqual(paid.res.status === 200 ? ['paid', 'open', 'committed'] : ['pending', 'cancelled', 'released'])
    }
    const level = await levelOf(shop, sku)
    expect(level.reserved).toBe(0)
  })
})

describe('cancel and the payment window', () => {
  it('cancel before payment releases the stock; an order holding payments cannot be cancelled; a cancelled one takes no payment', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 5 } })
    const order = await orderOf(shop, sku, 2)
    const cancelled = await act(shop, order.id, 'cancel', { reason: 'customer asked' })
    expect(cancelled.body).toMatchObject({ status: 'cancelled', stockState: 'released' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    expect((await act(shop, order.id, 'cancel')).body.status).toBe('cancelled')
    const late = await act(shop, order.id, 'payments', { method: 'cash', amount: 2000 })
    expect([late.res.status, late.body.error.code]).toEqual([409, 'order_cancelled'])
    expect(await eventTypes(shop.owner.tenant.id, order.id)).toEqual(['order.created', 'order.cancelled'])

    const partly = await orderOf(shop, sku, 1)
    await act(shop, partly.id, 'payments', { method: 'cash', amount: 500 })
    const refused = await act(shop, partly.id, 'cancel')
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 'order_not_cancellable'])
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
  })

  it('releases the stock when the payment window lapses (the alarm, once), and refuses a payment after it', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    const order = (await checkout<Order>(shop, cart.id)).body
    await withDb((db) => db.update(orders).set({ holdExpiresAt: new Date(Date.now() - 1000) }).where(eq(orders.id, order.id)))
    const late = await act(shop, order.id, 'payments', { method: 'cash', amount: 2000 })
    expect([late.res.status, late.body.error.code]).toEqual([409, 'payment_window_lapsed'])
    await fireAlarm(shop, cart.id)
    expect(await readOrder(shop, order.id)).toMatchObject({ status: 'cancelled', stockState: 'released', paymentStatus: 'pending' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    await fireAlarm(shop, cart.id)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    expect(await eventTypes(shop.owner.tenant.id, order.id)).toEqual(['order.created', 'order.cancelled'])
    expect((await readOrder(shop, order.id)).timeline.filter((t) => t.type === 'cancelled')).toHaveLength(1)
  })
})

describe('a Worker dying between the money and the stock', () => {
  it('leaves a paid order with held stock, which the alarm commits (exactly once)', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const cart = await cartWith(shop, [{ sku, quantity: 4 }])
    const order = (await checkout<Order>(shop, cart.id)).body
    armFault('after-money')
    expect((await act(shop, order.id, 'payments', { method: 'cash', amount: 4000 })).res.status).toBe(500)
    expect(await readOrder(shop, order.id)).toMatchObject({ paymentStatus: 'paid', stockState: 'held' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10, reserved: 4 })
    const due = await runInDurableObject(holder(shop, cart.id), async (_instance, state) => state.storage.getAlarm())
    expect(due).not.toBeNull()
    expect((due ?? 0) - Date.now()).toBeLessThanOrEqual(30_000)
    await fireAlarm(shop, cart.id)
    expect(await readOrder(shop, order.id)).toMatchObject({ paymentStatus: 'paid', stockState: 'committed' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 6, reserved: 0 })
    await runInDurableObject(holder(shop, cart.id), (instance) => instance.alarm())
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 6, reserved: 0 })
    expect((await ledgerReasons(shop, sku)).filter((r) => r === `order #${order.number}`)).toHaveLength(1)
  })

  it('finishes a commit that died between two lines, without committing the first twice', async () => {
    const shop = await openShop()
    const a = await stockedVariant(shop, { price: 100, stock: { main: 5 } })
    const b = await stockedVariant(shop, { price: 200, stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku: a.sku, quantity: 1 }, { sku: b.sku, quantity: 2 }])
    const order = (await checkout<Order>(shop, cart.id)).body
    armFault('between-stock-lines')
    expect((await act(shop, order.id, 'payments', { method: 'cash', amount: 500 })).res.status).toBe(500)
    expect(await levelOf(shop, a.sku)).toMatchObject({ onHand: 4, reserved: 0 })
    expect(await levelOf(shop, b.sku)).toMatchObject({ onHand: 5, reserved: 2 })
    await fireAlarm(shop, cart.id)
    expect(await levelOf(shop, a.sku)).toMatchObject({ onHand: 4, reserved: 0 })
    expect(await levelOf(shop, b.sku)).toMatchObject({ onHand: 3, reserved: 0 })
    expect((await readOrder(shop, order.id)).stockState).toBe('committed')
  })

  it('finishes a cancel that died before the release, by the alarm', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 3 } })
    const cart = await cartWith(shop, [{ sku, quantity: 3 }])
    const order = (await checkout<Order>(shop, cart.id)).body
    armFault('after-money')
    expect((await api(`/v1/orders/${order.id}/cancel`, { apiKey: shop.serverKey, method: 'POST' })).res.status).toBe(500)
    expect(await readOrder(shop, order.id)).toMatchObject({ status: 'cancelled', stockState: 'held' })
    await fireAlarm(shop, cart.id)
    expect(await readOrder(shop, order.id)).toMatchObject({ status: 'cancelled', stockState: 'released' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 3, reserved: 0 })
  })
})
