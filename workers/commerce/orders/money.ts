// Payments, cancels and refunds of an order. Each writes its money, timeline, event and customer figures in one
// Postgres transaction (the order row locked), then settles the stock. The Cart object holding the order's stock is
// nudged first, so if the Worker dies after the money and before the stock, its alarm finishes the stock.
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { orderLines, orderPayments, orderRefunds, orders, type LineQuantities, type PaymentMethod, type PaymentStatus } from '../../db/schema/orders'
import { ApiError } from '../../lib/errors'
import { cartStub } from '../carts'
import { applyCustomerOrderStats } from '../customers'
import { recordEvent } from '../events'
import type { OrderActor } from './draft'
import { faultPoint } from './faults'
import { settleOrder } from './settle'
import { addTimeline, linesOf, requireOrder, type OrderRow } from './store'

type OrderEnv = Pick<Env, 'CART' | 'INVENTORY'>

/** The payment status of the amounts an order has received and given back. */
export function paymentStatusOf(total: number, paid: number, refunded: number): PaymentStatus {
  if (refunded > 0) return refunded >= paid ? 'refunded' : 'partially_refunded'
  if (paid >= total) return 'paid'
  return paid > 0 ? 'partially_paid' : 'pending'
}

/** Tells the Cart object that holds the order's stock to check it soon (see the file comment). */
export async function nudgeSettlement(env: Pick<Env, 'CART'>, order: Pick<OrderRow, 'id' | 'tenantId' | 'cartId'>): Promise<void> {
  await cartStub(env, order.tenantId, order.cartId ?? order.id).nudge(order.id)
}

async function settleAndRead(db: Database, env: OrderEnv, order: OrderRow): Promise<OrderRow> {
  faultPoint('after-money')
  await settleOrder(db, env, order.tenantId, order.id)
  return requireOrder(db, order.tenantId, order.id)
}

/** A payment to record: its method, amount in minor units and the provider's reference. */
export interface PaymentInput {
  method: PaymentMethod
  amount: number
  reference: string | null
}

/**
 * Records a payment's money (timeline, `order.paid` when it completes the total, customer figures) in one transaction,
 * after nudging the Cart object that settles the stock if nobody else does. A `stripe` payment is recorded once per
 * reference (its payment intent), so a repeated webhook changes nothing. The caller settles the stock.
 */
export async function takePayment(db: Database, env: OrderEnv, tenantId: string, orderId: string, payment: PaymentInput, actor: OrderActor): Promise<OrderRow> {
  const current = await requireOrder(db, tenantId, orderId)
  await nudgeSettlement(env, current)
  return db.transaction(async (tx) => {
    const row = await requireOrder(tx, tenantId, orderId, true)
    if (payment.method === 'stripe' && payment.reference !== null) {
      const [seen] = await tx.select({ id: orderPayments.id }).from(orderPayments).where(and(eq(orderPayments.orderId, row.id), eq(orderPayments.method, 'stripe'), eq(orderPayments.reference, payment.reference)))
      if (seen) return row
    }
    if (row.status === 'cancelled') throw new ApiError('order_cancelled', 'This order is cancelled')
    if (row.paidAt === null && row.holdExpiresAt !== null && row.holdExpiresAt <= new Date()) throw new ApiError('payment_window_lapsed', 'The payment window of this order has lapsed; its stock is released')
    const balance = row.total - row.paidAmount
    if (payment.amount > balance) throw new ApiError('overpayment', `The order owes ${balance}`, { details: { balance, amount: payment.amount } })
    const paidAmount = row.paidAmount + payment.amount
    const full = paidAmount >= row.total
    const now = new Date()
    const [updated] = await tx
      .update(orders)
      .set({ paidAmount, paymentStatus: paymentStatusOf(row.total, paidAmount, row.refundedAmount), ...(full ? { paidAt: now, holdExpiresAt: null } : {}), updatedAt: now })
      .where(eq(orders.id, row.id))
      .returning()
    await tx.insert(orderPayments).values({ tenantId, orderId, ...payment, actorType: actor.type, actorId: actor.id })
    await addTimeline(tx, row, 'payment', actor, { method: payment.method, amount: payment.amount, reference: payment.reference })
    if (full) await recordEvent(tx, { tenantId, type: 'order.paid', subjectType: 'order', subjectId: orderId, data: { number: row.number, amount: paidAmount, currency: row.currency } })
    if (row.customerId) await applyCustomerOrderStats(tx, tenantId, row.customerId, { ordersDelta: full ? 1 : 0, spentDelta: payment.amount, orderAt: row.createdAt })
    return updated ?? row
  })
}

/** Records a payment; the one that completes the total marks the order paid (`order.paid`) and commits its stock. */
export async function recordPayment(db: Database, env: OrderEnv, tenantId: string, orderId: string, payment: PaymentInput, actor: OrderActor): Promise<OrderRow> {
  return settleAndRead(db, env, await takePayment(db, env, tenantId, orderId, payment, actor))
}

/** Cancels an order that holds no money (never paid, or refunded in full); unpaid stock is released, sold stock stays sold. */
export async function cancelOrder(db: Database, env: OrderEnv, tenantId: string, orderId: string, actor: OrderActor, reason: string | null): Promise<OrderRow> {
  const current = await requireOrder(db, tenantId, orderId)
  if (current.status === 'cancelled') return settleAndRead(db, env, current)
  await nudgeSettlement(env, current)
  const order = await db.transaction(async (tx) => {
    const row = await requireOrder(tx, tenantId, orderId, true)
    if (row.status === 'cancelled') return row
    if (row.paidAmount - row.refundedAmount > 0) throw new ApiError('order_not_cancellable', 'This order holds payments; refund them first', { details: { paid: row.paidAmount, refunded: row.refundedAmount } })
    if (row.status === 'completed') throw new ApiError('order_not_cancellable', 'A completed order cannot be cancelled')
    const now = new Date()
    const [updated] = await tx.update(orders).set({ status: 'cancelled', cancelledAt: now, holdExpiresAt: null, updatedAt: now }).where(eq(orders.id, row.id)).returning()
    await addTimeline(tx, row, 'cancelled', actor, { reason })
    await recordEvent(tx, { tenantId, type: 'order.cancelled', subjectType: 'order', subjectId: orderId, data: { number: row.number, reason } })
    return updated ?? row
  })
  return settleAndRead(db, env, order)
}

/** Checks refund or fulfillment lines against the order: known, each named once, within `room(line)` units. */
export function checkLineQuantities(lines: Awaited<ReturnType<typeof linesOf>>, wanted: LineQuantities, room: (line: (typeof lines)[number]) => number, tooMany: () => ApiError) {
  const seen = new Set<string>()
  for (const [i, item] of wanted.entries()) {
    const line = lines.find((l) => l.id === item.lineId)
    if (!line || seen.has(item.lineId)) {
      throw new ApiError('invalid_request', 'Each line must be one of the order\'s, named once', { details: [{ in: 'body', path: `lines.${i}.lineId`, message: 'unknown or repeated line', code: 'invalid_value' }] })
    }
    seen.add(item.lineId)
    if (item.quantity > room(line)) throw tooMany()
  }
}

/** Refunds money (and optionally units, restocked through the Inventory objects with reason `return`). */
export async function recordRefund(db: Database, env: OrderEnv, tenantId: string, orderId: string, refund: { amount: number; lines: LineQuantities; restock: boolean; stripeRefundId?: string | null }, actor: OrderActor): Promise<OrderRow> {
  const current = await requireOrder(db, tenantId, orderId)
  if (refund.restock && refund.lines.length === 0) throw new ApiError('invalid_request', 'Name the lines whose units go back to stock', { details: [{ in: 'body', path: 'lines', message: 'required with restock', code: 'too_small' }] })
  if (refund.restock && current.paidAt === null) throw new ApiError('order_not_paid', 'Nothing was taken from stock for an unpaid order; only money can be refunded')
  if (refund.restock) await nudgeSettlement(env, current)
  const order = await db.transaction(async (tx) => {
    const row = await requireOrder(tx, tenantId, orderId, true)
    const stripeRefundId = refund.stripeRefundId ?? null
    if (stripeRefundId !== null) {
      const [seen] = await tx.select({ id: orderRefunds.id }).from(orderRefunds).where(eq(orderRefunds.stripeRefundId, stripeRefundId))
      if (seen) return row
    }
    const refundable = row.paidAmount - row.refundedAmount
    if (refund.amount > refundable) throw new ApiError('refund_exceeds_paid', `At most ${refundable} can be refunded`, { details: { refundable, amount: refund.amount } })
    const lines = await linesOf(tx, row.id)
    checkLineQuantities(lines, refund.lines, (l) => l.quantity - l.refundedQuantity, () => new ApiError('refund_exceeds_paid', 'More units than the line has left to refund'))
    for (const item of refund.lines) {
      await tx.update(orderLines).set({ refundedQuantity: sql`${orderLines.refundedQuantity} + ${item.quantity}` }).where(and(eq(orderLines.id, item.lineId), eq(orderLines.orderId, row.id)))
    }
    const refundedAmount = row.refundedAmount + refund.amount
    const now = new Date()
    const [updated] = await tx.update(orders).set({ refundedAmount, paymentStatus: paymentStatusOf(row.total, row.paidAmount, refundedAmount), updatedAt: now }).where(eq(orders.id, row.id)).returning()
    const [inserted] = await tx.insert(orderRefunds).values({ tenantId, orderId, amount: refund.amount, lines: refund.lines, restock: refund.restock, stripeRefundId, actorType: actor.type, actorId: actor.id }).returning({ id: orderRefunds.id })
    await addTimeline(tx, row, 'refund', actor, { refundId: inserted?.id, amount: refund.amount, lines: refund.lines, restock: refund.restock, ...(stripeRefundId ? { stripeRefundId } : {}) })
    await recordEvent(tx, { tenantId, type: 'order.refunded', subjectType: 'order', subjectId: orderId, data: { number: row.number, amount: refund.amount, refunded: refundedAmount, restock: refund.restock } })
    if (row.customerId) await applyCustomerOrderStats(tx, tenantId, row.customerId, { ordersDelta: 0, spentDelta: -refund.amount })
    return updated ?? row
  })
  return settleAndRead(db, env, order)
}
