// Refunds (money, units, restock with reason `return`), fulfillments and their statuses, and the point-of-sale sale:
// a paid order with its stock taken in one call, all or nothing, the same order for the same key.
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { saleOrderId } from '../../workers/commerce/orders/sale'
import { armFault, disarmFaults } from '../../workers/commerce/orders/faults'
import { customers } from '../../workers/db/schema/customers'
import { events } from '../../workers/db/schema/events'
import { orders } from '../../workers/db/schema/orders'
import { api } from './helpers'
import { levelOf, openShop, stockedVariant, type Shop } from './commerce-helpers'
import { act, fireAlarm, ledgerReasons, orderOf, readOrder, withDb, type ErrorBody, type Order } from './order-helpers'

afterEach(() => disarmFaults())

const sale = (shop: Shop, body: unknown, key: string = crypto.randomUUID()) => api<Order & ErrorBody>('/v1/orders', { token: shop.owner.accessToken, body, headers: { 'idempotency-key': key } })

async function paidOrder(shop: Shop, sku: string, quantity: number, total: number): Promise<Order> {
  const order = await orderOf(shop, sku, quantity)
  const paid = await act(shop, order.id, 'payments', { method: 'cash', amount: total })
  expect(paid.body.paymentStatus).toBe('paid')
  return paid.body
}

describe('refunds', () => {
  it('refunds in parts, restocks units with reason return, and keeps statuses and customer figures current', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const order = await paidOrder(shop, sku, 3, 3000)
    const lineId = order.lines[0]?.id ?? ''
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 7 })
    const first = await act(shop, order.id, 'refunds', { amount: 1000, lines: [{ lineId, quantity: 1 }], restock: true })
    expect(first.res.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toMatchObject({ paymentStatus: 'partially_refunded', refundedAmount: 1000, lines: [{ refundedQuantity: 1 }] })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 8 })
    expect((await ledgerReasons(shop, sku)).at(-1)).toBe('return')
    const moneyOnly = await act(shop, order.id, 'refunds', { amount: 500, restock: false })
    expect(moneyOnly.body).toMatchObject({ paymentStatus: 'partially_refunded', refundedAmount: 1500 })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 8 })
    const above = await act(shop, order.id, 'refunds', { amount: 1501, restock: false })
    expect([above.res.status, above.body.error.code]).toEqual([409, 'refund_exceeds_paid'])
    const tooManyUnits = await act(shop, order.id, 'refunds', { amount: 1, lines: [{ lineId, quantity: 3 }], restock: true })
    expect([tooManyUnits.res.status, tooManyUnits.body.error.code]).toEqual([409, 'refund_exceeds_paid'])
    for (const body of [{ amount: 0, restock: false }, { amount: -1, restock: false }, { amount: 1.5, restock: false }, { amount: 1 }, { amount: 1, restock: true }, { amount: 1, lines: [{ lineId: crypto.randomUUID(), quantity: 1 }], restock: false }, { amount: 1, lines: [{ lineId, quantity: 0 }], restock: false }]) {
      expect((await act(shop, order.id, 'refunds', body)).res.status, JSON.stringify(body)).toBe(400)
    }
    const rest = await act(shop, order.id, 'refunds', { amount: 1500, restock: false })
    expect(rest.body).toMatchObject({ paymentStatus: 'refunded', refundedAmount: 3000 })
    const [customer] = await withDb((db) => db.select().from(customers).where(eq(customers.id, order.customerId ?? '')))
    expect(customer).toMatchObject({ ordersCount: 1, totalSpent: 0 })
    const types = await withDb(async (db) => (await db.select().from(events).where(and(eq(events.subjectId, order.id), eq(events.type, 'order.refunded')))).length)
    expect(types).toBe(3)
  })

  it('refuses a restock on an unpaid order, and finishes a restock that died before it was recorded (alarm, once)', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const unpaid = await orderOf(shop, sku, 1)
    await act(shop, unpaid.id, 'payments', { method: 'cash', amount: 500 })
    const refused = await act(shop, unpaid.id, 'refunds', { amount: 500, lines: [{ lineId: unpaid.lines[0]?.id, quantity: 1 }], restock: true })
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 'order_not_paid'])
    const order = await paidOrder(shop, sku, 2, 2000)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 8, reserved: 1 })
    armFault('after-restock')
    expect((await act(shop, order.id, 'refunds', { amount: 2000, lines: [{ lineId: order.lines[0]?.id, quantity: 2 }], restock: true })).res.status).toBe(500)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10 })
    const [row] = await withDb((db) => db.select({ cartId: orders.cartId }).from(orders).where(eq(orders.id, order.id)))
    await fireAlarm(shop, row?.cartId ?? '')
    await fireAlarm(shop, row?.cartId ?? '')
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10 })
    expect((await readOrder(shop, order.id)).refunds[0]?.restockedAt).toEqual(expect.any(String))
  })
})

describe('fulfillments', () => {
  it('goes partial then fulfilled and completes the paid order; over-fulfilling or fulfilling unpaid is refused', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const unpaid = await orderOf(shop, sku, 1)
    const early = await act(shop, unpaid.id, 'fulfillments', { lines: [{ lineId: unpaid.lines[0]?.id, quantity: 1 }] })
    expect([early.res.status, early.body.error.code]).toEqual([409, 'order_not_paid'])
    const order = await paidOrder(shop, sku, 3, 3000)
    const lineId = order.lines[0]?.id ?? ''
    const part = await act(shop, order.id, 'fulfillments', { lines: [{ lineId, quantity: 2 }], carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://dhl.example/JD0001' })
    expect(part.res.status, JSON.stringify(part.body)).toBe(200)
    expect(part.body).toMatchObject({ fulfillmentStatus: 'partial', status: 'open', lines: [{ fulfilledQuantity: 2 }], fulfillments: [{ carrier: 'DHL', trackingNumber: 'JD0001' }] })
    const over = await act(shop, order.id, 'fulfillments', { lines: [{ lineId, quantity: 2 }] })
    expect([over.res.status, over.body.error.code]).toEqual([409, 'over_fulfillment'])
    for (const body of [{ lines: [] }, { lines: [{ lineId, quantity: 0 }] }, { lines: [{ lineId, quantity: 1.5 }] }, { lines: [{ lineId, quantity: 1 }, { lineId, quantity: 1 }] }, { lines: [{ lineId, quantity: 1 }], trackingUrl: 'javascript:alert(1)' }]) {
      expect((await act(shop, order.id, 'fulfillments', body)).res.status, JSON.stringify(body)).toBe(400)
    }
    const rest = await act(shop, order.id, 'fulfillments', { lines: [{ lineId, quantity: 1 }] })
    expect(rest.body).toMatchObject({ fulfillmentStatus: 'fulfilled', status: 'completed' })
    expect((await act(shop, order.id, 'cancel')).body.error.code).toBe('order_not_cancellable')
  })
})

describe('point of sale', () => {
  it('sells in one call: a paid order, stock taken at the named location or by priority; the same key answers the same order', async () => {
    const shop = await openShop({ locationPriority: ['store', 'main'] })
    const a = await stockedVariant(shop, { price: 1500, stock: { main: 5, store: 1 } })
    const b = await stockedVariant(shop, { price: 300, stock: { main: 5 } })
    const key = crypto.randomUUID()
    const body = { lines: [{ sku: a.sku, quantity: 1 }, { sku: b.sku, quantity: 2, location: 'main' }], payment: { method: 'cash' } }
    const sold = await sale(shop, body, key)
    expect(sold.res.status, JSON.stringify(sold.body)).toBe(201)
    expect(sold.body).toMatchObject({ channel: 'pos', status: 'open', paymentStatus: 'paid', stockState: 'committed', paidAmount: 2100, totals: { total: 2100 } })
    expect(sold.body.lines.map((l) => l.location)).toEqual(['store', 'main'])
    expect(await levelOf(shop, a.sku, 'store')).toMatchObject({ onHand: 0, reserved: 0 })
    expect(await levelOf(shop, b.sku)).toMatchObject({ onHand: 3, reserved: 0 })
    const again = await sale(shop, body, key)
    expect([again.res.status, again.body.id]).toEqual([201, sold.body.id])
    const other = await sale(shop, { ...body, lines: [{ sku: b.sku, quantity: 1 }] }, key)
    expect([other.res.status, other.body.error.code]).toEqual([409, 'idempotency_conflict'])
    expect(await levelOf(shop, b.sku)).toMatchObject({ onHand: 3 })
    expect(sold.body.timeline.map((t) => t.type)).toEqual(['created', 'payment', 'stock_committed'])
  })

  it('changes nothing when a line is short (409) or the input is bad (400)', async () => {
    const shop = await openShop()
    const a = await stockedVariant(shop, { price: 1000, stock: { main: 5 } })
    const b = await stockedVariant(shop, { price: 1000, stock: { main: 1 } })
    const usd = await stockedVariant(shop, { currency: 'USD' })
    const short = await sale(shop, { lines: [{ sku: a.sku, quantity: 2 }, { sku: b.sku, quantity: 2 }], payment: { method: 'cash' } })
    expect([short.res.status, short.body.error.code]).toEqual([409, 'insufficient_stock'])
    const over = await sale(shop, { lines: [{ sku: a.sku, quantity: 1 }], payment: { method: 'cash', amount: 1001 } })
    expect([over.res.status, over.body.error.code]).toEqual([409, 'overpayment'])
    const bad: unknown[] = [
      { lines: [{ sku: a.sku, quantity: 0 }], payment: { method: 'cash' } },
      { lines: [{ sku: a.sku, quantity: -1 }], payment: { method: 'cash' } },
      { lines: [{ sku: a.sku, quantity: 1.5 }], payment: { method: 'cash' } },
      { lines: [{ sku: 'NOPE', quantity: 1 }], payment: { method: 'cash' } },
      { lines: [{ sku: a.sku, quantity: 1 }, { sku: usd.sku, quantity: 1 }], payment: { method: 'cash' } },
      { lines: [{ sku: a.sku, quantity: 1 }], payment: { method: 'cash', amount: 999 } },
      { lines: [{ sku: a.sku, quantity: 1 }], payment: { method: 'cash', amount: 0 } },
      { lines: [{ sku: a.sku, quantity: 1 }], customerId: crypto.randomUUID(), payment: { method: 'cash' } },
      { lines: [], payment: { method: 'cash' } },
      { lines: [{ sku: a.sku, quantity: 1 }] },
    ]
    for (const body of bad) expect((await sale(shop, body)).res.status, JSON.stringify(body)).toBe(400)
    expect((await api('/v1/orders', { token: shop.owner.accessToken, body: { lines: [{ sku: a.sku, quantity: 1 }], payment: { method: 'cash' } } })).res.status).toBe(400)
    expect(await levelOf(shop, a.sku)).toMatchObject({ onHand: 5, reserved: 0 })
    expect(await levelOf(shop, b.sku)).toMatchObject({ onHand: 1, reserved: 0 })
    await withDb(async (db) => expect(await db.select().from(orders).where(eq(orders.tenantId, shop.owner.tenant.id))).toHaveLength(0))
  })

  it('finishes a sale whose Worker died after holding the stock: by the retry, or else by the alarm', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 700, stock: { main: 5 } })
    const body = { lines: [{ sku, quantity: 2 }], payment: { method: 'card_present', reference: 'T-1' } }
    const key = crypto.randomUUID()
    armFault('after-hold')
    expect((await sale(shop, body, key)).res.status).toBe(500)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 2 })
    const retried = await sale(shop, body, key)
    expect(retried.body).toMatchObject({ paymentStatus: 'paid', stockState: 'committed' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 3, reserved: 0 })

    const lostKey = crypto.randomUUID()
    armFault('after-money')
    expect((await sale(shop, body, lostKey)).res.status).toBe(500)
    const orderId = await saleOrderId(shop.owner.tenant.id, lostKey)
    expect(await readOrder(shop, orderId)).toMatchObject({ paymentStatus: 'paid', stockState: 'held' })
    await fireAlarm(shop, orderId)
    expect(await readOrder(shop, orderId)).toMatchObject({ paymentStatus: 'paid', stockState: 'committed' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 1, reserved: 0 })
  })
})
