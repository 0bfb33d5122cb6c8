// Fulfillments: units of a paid order handed to a carrier (or the customer). The order's fulfillment status follows, and a
// paid order whose every unit has shipped is completed.
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { orderFulfillments, orderLines, orders, type LineQuantities } from '../../db/schema/orders'
import { ApiError } from '../../lib/errors'
import { recordEvent } from '../events'
import type { OrderActor } from './draft'
import { checkLineQuantities } from './money'
import { addTimeline, linesOf, requireOrder, type OrderRow } from './store'

/** What a fulfillment carries besides its lines. */
export interface FulfillmentRequest {
  lines: LineQuantities
  carrier: string | null
  trackingNumber: string | null
  trackingUrl: string | null
}

/** Records a fulfillment of a paid, open order; more units than a line has left to ship is a 409 `over_fulfillment`. */
export async function recordFulfillment(db: Database, tenantId: string, orderId: string, request: FulfillmentRequest, actor: OrderActor): Promise<OrderRow> {
  return db.transaction(async (tx) => {
    const row = await requireOrder(tx, tenantId, orderId, true)
    if (row.status === 'cancelled') throw new ApiError('order_cancelled', 'This order is cancelled')
    if (row.paidAt === null) throw new ApiError('order_not_paid', 'Only a paid order ships')
    const lines = await linesOf(tx, row.id)
    checkLineQuantities(lines, request.lines, (l) => l.quantity - l.fulfilledQuantity, () => new ApiError('over_fulfillment', 'More units than the line has left to ship'))
    for (const item of request.lines) {
      await tx.update(orderLines).set({ fulfilledQuantity: sql`${orderLines.fulfilledQuantity} + ${item.quantity}` }).where(and(eq(orderLines.id, item.lineId), eq(orderLines.orderId, row.id)))
    }
    const shipped = new Map(request.lines.map((l) => [l.lineId, l.quantity]))
    const complete = lines.every((l) => l.fulfilledQuantity + (shipped.get(l.id) ?? 0) >= l.quantity)
    const fulfillmentStatus = complete ? 'fulfilled' : 'partial'
    const now = new Date()
    const [updated] = await tx
      .update(orders)
      .set({ fulfillmentStatus, ...(complete ? { status: 'completed' as const } : {}), updatedAt: now })
      .where(eq(orders.id, row.id))
      .returning()
    const [inserted] = await tx
      .insert(orderFulfillments)
      .values({ tenantId, orderId, ...request, actorType: actor.type, actorId: actor.id })
      .returning({ id: orderFulfillments.id })
    await addTimeline(tx, row, 'fulfillment', actor, { fulfillmentId: inserted?.id, lines: request.lines, carrier: request.carrier, trackingNumber: request.trackingNumber })
    await recordEvent(tx, {
      tenantId,
      type: 'order.fulfilled',
      subjectType: 'order',
      subjectId: orderId,
      data: { number: row.number, fulfillmentId: inserted?.id, fulfillmentStatus, lines: request.lines, carrier: request.carrier, trackingNumber: request.trackingNumber, trackingUrl: request.trackingUrl },
    })
    return updated ?? row
  })
}
