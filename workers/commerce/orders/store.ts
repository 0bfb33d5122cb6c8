// Writing and reading orders in Postgres: the insert from a draft (number, lines, timeline, events, in one transaction,
// idempotent by order id), the timeline helper and the order as the API shows it.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { orderFulfillments, orderLines, orderNumbers, orderPayments, orderRefunds, orders, orderTimeline } from '../../db/schema/orders'
import { ApiError } from '../../lib/errors'
import { applyCustomerOrderStats } from '../customers'
import { recordEvent } from '../events'
import type { OrderActor, OrderDraft } from './draft'

/** The first number a tenant's orders get (`#1001`). */
export const FIRST_ORDER_NUMBER = 1001

export type OrderRow = typeof orders.$inferSelect
export type OrderLineRow = typeof orderLines.$inferSelect

/** Appends one entry to an order's timeline (inside the caller's transaction). */
export async function addTimeline(db: Database, order: Pick<OrderRow, 'id' | 'tenantId'>, type: string, actor: OrderActor, data: Record<string, unknown> = {}): Promise<void> {
  await db.insert(orderTimeline).values({ tenantId: order.tenantId, orderId: order.id, type, data, actorType: actor.type, actorId: actor.id })
}

/** The next order number of a tenant; the row lock it takes is held until the transaction ends, so numbers only increase. */
async function nextOrderNumber(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .insert(orderNumbers)
    .values({ tenantId, lastNumber: FIRST_ORDER_NUMBER })
    .onConflictDoUpdate({ target: orderNumbers.tenantId, set: { lastNumber: sql`${orderNumbers.lastNumber} + 1` } })
    .returning({ number: orderNumbers.lastNumber })
  if (!row) throw new Error('no order number')
  return row.number
}

class AlreadyWritten extends Error {}

/**
 * Writes the order of `draft` unless it exists: number, lines, timeline, `order.created` (and for a sale paid on the spot
 * the payment, `order.paid` and the customer's figures), all in one transaction. Answers the order; 409
 * `idempotency_conflict` when the draft's key already names another order.
 */
export async function insertOrderFromDraft(db: Database, draft: OrderDraft): Promise<OrderRow> {
  try {
    await db.transaction(async (tx) => {
      const number = await nextOrderNumber(tx, draft.tenantId)
      const paid = draft.payment !== null && draft.payment.amount >= draft.totals.total
      const now = new Date()
      const inserted = await tx
        .insert(orders)
        .values({
          id: draft.orderId,
          tenantId: draft.tenantId,
          number,
          channel: draft.channel,
          idempotencyKey: draft.idempotencyKey,
          cartId: draft.cartId,
          customerId: draft.customerId,
          email: draft.email,
          customerName: draft.customerName,
          currency: draft.currency,
          ...draft.totals,
          paymentStatus: paid ? 'paid' : 'pending',
          paidAmount: draft.payment?.amount ?? 0,
          paidAt: paid ? now : null,
          shippingMethod: draft.shippingMethod,
          shippingAddress: draft.shippingAddress,
          billingAddress: draft.billingAddress,
          notes: draft.notes,
          holdExpiresAt: draft.holdExpiresAt === null || paid ? null : new Date(draft.holdExpiresAt),
        })
        .onConflictDoNothing()
        .returning({ id: orders.id })
      if (inserted.length === 0) throw new AlreadyWritten()
      await tx.insert(orderLines).values(draft.lines.map((line, position) => ({ ...line, tenantId: draft.tenantId, orderId: draft.orderId, position })))
      const order = { id: draft.orderId, tenantId: draft.tenantId }
      await addTimeline(tx, order, 'created', draft.actor, { number, channel: draft.channel, total: draft.totals.total })
      await recordEvent(tx, { tenantId: draft.tenantId, type: 'order.created', subjectType: 'order', subjectId: draft.orderId, data: { number, total: draft.totals.total, currency: draft.currency } })
      if (draft.payment) {
        const payment = draft.payment
        await tx.insert(orderPayments).values({ tenantId: draft.tenantId, orderId: draft.orderId, ...payment, actorType: draft.actor.type, actorId: draft.actor.id })
        await addTimeline(tx, order, 'payment', draft.actor, { method: payment.method, amount: payment.amount })
        if (paid) await recordEvent(tx, { tenantId: draft.tenantId, type: 'order.paid', subjectType: 'order', subjectId: draft.orderId, data: { number, amount: payment.amount } })
        if (draft.customerId) await applyCustomerOrderStats(tx, draft.tenantId, draft.customerId, { ordersDelta: paid ? 1 : 0, spentDelta: payment.amount, orderAt: now })
      }
    })
  } catch (error) {
    if (!(error instanceof AlreadyWritten)) throw error
  }
  const [row] = await db.select().from(orders).where(and(eq(orders.tenantId, draft.tenantId), eq(orders.idempotencyKey, draft.idempotencyKey)))
  if (!row || row.id !== draft.orderId) throw new ApiError('idempotency_conflict', 'This Idempotency-Key was used for another order', { details: { orderId: row?.id ?? null } })
  return row
}

/** The order `id` of the tenant, or 404. */
export async function requireOrder(db: Database, tenantId: string, id: string, lock = false): Promise<OrderRow> {
  const query = db.select().from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.id, id)))
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw new ApiError('not_found', 'No such order')
  return row
}

/** The lines of an order in their order. */
export function linesOf(db: Database, orderId: string): Promise<OrderLineRow[]> {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.position))
}

const iso = (at: Date | null) => (at === null ? null : at.toISOString())

/** The order as the list shows it: no lines or history. */
export function orderSummaryJson(row: OrderRow) {
  return {
    id: row.id,
    number: row.number,
    channel: row.channel,
    status: row.status,
    paymentStatus: row.paymentStatus,
    fulfillmentStatus: row.fulfillmentStatus,
    stockState: row.stockState,
    customerId: row.customerId,
    email: row.email,
    customerName: row.customerName,
    currency: row.currency,
    totals: { subtotal: row.subtotal, shipping: row.shipping, tax: row.tax, taxIncluded: row.taxIncluded, total: row.total },
    paidAmount: row.paidAmount,
    refundedAmount: row.refundedAmount,
    holdExpiresAt: iso(row.holdExpiresAt),
    paidAt: iso(row.paidAt),
    cancelledAt: iso(row.cancelledAt),
    disputedAt: iso(row.disputedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The whole order: lines, addresses, payments, refunds, fulfillments and the timeline. */
export async function orderJson(db: Database, row: OrderRow) {
  const [lines, payments, refunds, fulfillments, timeline] = await Promise.all([
    linesOf(db, row.id),
    db.select().from(orderPayments).where(eq(orderPayments.orderId, row.id)).orderBy(asc(orderPayments.createdAt)),
    db.select().from(orderRefunds).where(eq(orderRefunds.orderId, row.id)).orderBy(asc(orderRefunds.createdAt)),
    db.select().from(orderFulfillments).where(eq(orderFulfillments.orderId, row.id)).orderBy(asc(orderFulfillments.createdAt)),
    db.select().from(orderTimeline).where(eq(orderTimeline.orderId, row.id)).orderBy(asc(orderTimeline.id)),
  ])
  const actor = (r: { actorType: string; actorId: string }) => ({ type: r.actorType, id: r.actorId })
  return {
    ...orderSummaryJson(row),
    cartId: row.cartId,
    shippingMethod: row.shippingMethod ?? null,
    shippingAddress: row.shippingAddress ?? null,
    billingAddress: row.billingAddress ?? null,
    notes: row.notes,
    lines: lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      productId: l.productId,
      variantId: l.variantId,
      productName: l.productName,
      variantName: l.variantName,
      options: l.options,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      lineTotal: l.lineTotal,
      location: l.location,
      fulfilledQuantity: l.fulfilledQuantity,
      refundedQuantity: l.refundedQuantity,
    })),
    payments: payments.map((p) => ({ id: p.id, method: p.method, amount: p.amount, reference: p.reference, actor: actor(p), createdAt: p.createdAt.toISOString() })),
    refunds: refunds.map((r) => ({ id: r.id, amount: r.amount, lines: r.lines, restock: r.restock, restockedAt: iso(r.restockedAt), actor: actor(r), createdAt: r.createdAt.toISOString() })),
    fulfillments: fulfillments.map((f) => ({
      id: f.id,
      lines: f.lines,
      carrier: f.carrier,
      trackingNumber: f.trackingNumber,
      trackingUrl: f.trackingUrl,
      actor: actor(f),
      createdAt: f.createdAt.toISOString(),
    })),
    timeline: timeline.map((t) => ({ type: t.type, data: t.data, actor: actor(t), at: t.createdAt.toISOString() })),
  }
}
