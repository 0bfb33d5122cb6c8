// Stock follows money: brings an order's stock in the Inventory objects in line with what Postgres says about its money.
// Postgres decides (paid → commit, cancelled or lapsed unpaid → release, refund with restock → return); every Inventory
// call is idempotent by a key derived from the reservation or refund, so the Worker, a retry and the Cart object's alarm
// may all run this at once or again after a crash and the stock moves exactly once.
import { and, eq, isNull, lte, sql } from 'drizzle-orm'
import { closeLine } from '../../../durable-objects/cart/stock'
import { inventoryStub } from '../../../durable-objects/inventory/shards'
import type { Database } from '../../db/client'
import { orderRefunds, orders } from '../../db/schema/orders'
import { recordEvent } from '../events'
import { stockReason, SYSTEM_ACTOR } from './draft'
import { faultPoint } from './faults'
import { addTimeline, linesOf, type OrderLineRow, type OrderRow } from './store'

/** What settling found: whether anything is still to do for the order, and when to look again. */
export interface SettleOutcome {
  done: boolean
  /** Epoch ms of the next look (the payment deadline of a held order); null when done. */
  nextCheckAt: number | null
}

type StockEnv = Pick<Env, 'INVENTORY'>

/** Cancels an unpaid open order whose payment window has lapsed (one transaction, with its event); answers the row after. */
async function lapseIfDue(db: Database, order: OrderRow, now: Date): Promise<OrderRow> {
  if (order.status !== 'open' || order.paidAt !== null || order.holdExpiresAt === null || order.holdExpiresAt > now) return order
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, holdExpiresAt: null, updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'open'), isNull(orders.paidAt), lte(orders.holdExpiresAt, now)))
      .returning()
    if (!row) {
      const [current] = await tx.select().from(orders).where(eq(orders.id, order.id))
      return current ?? order
    }
    await addTimeline(tx, row, 'cancelled', SYSTEM_ACTOR, { reason: 'payment_window_lapsed' })
    await recordEvent(tx, { tenantId: row.tenantId, type: 'order.cancelled', subjectType: 'order', subjectId: row.id, data: { number: row.number, reason: 'payment_window_lapsed' } })
    return row
  })
}

/** Commits (or releases) each line's reservation. A commit whose reservation is gone is sold by a direct reduce, keyed by the line. */
async function moveLines(env: StockEnv, order: OrderRow, lines: OrderLineRow[], action: 'commit' | 'release'): Promise<void> {
  const reason = stockReason(order.number)
  const actor = `order:${order.id}`
  for (const line of lines) {
    if (line.reservationId === null) continue
    const closed = await closeLine(env, order.tenantId, { sku: line.sku, shard: line.shard, reservationId: line.reservationId, key: `${order.id}:${action}:${line.reservationId}`, actor, reason }, action)
    if (!closed.ok) throw new Error(`${action} of ${line.reservationId} failed: ${closed.error.message}`)
    if (action === 'commit' && closed.status !== 'committed') {
      const stub = inventoryStub(env, order.tenantId, line.shard)
      const sold = await stub.reduce({ idempotencyKey: `${order.id}:sell:${line.id}`, actor, reason, lines: [{ sku: line.sku, location: line.location, quantity: line.quantity }] })
      if (!sold.ok) throw new Error(`selling ${line.sku} for ${reason} failed: ${sold.error.message}`)
    }
    faultPoint('between-stock-lines')
  }
}

/** Returns the units of refunds marked for restock that are not back yet (reason `return`), then records them as back. */
async function restockRefunds(db: Database, env: StockEnv, order: OrderRow, lines: OrderLineRow[]): Promise<void> {
  const pending = await db.select().from(orderRefunds).where(and(eq(orderRefunds.orderId, order.id), eq(orderRefunds.restock, true), isNull(orderRefunds.restockedAt)))
  for (const refund of pending) {
    const byShard = new Map<number, { sku: string; location: string; delta: number }[]>()
    for (const item of refund.lines) {
      const line = lines.find((l) => l.id === item.lineId)
      if (!line) continue
      byShard.set(line.shard, [...(byShard.get(line.shard) ?? []), { sku: line.sku, location: line.location, delta: item.quantity }])
    }
    for (const [shard, stockLines] of byShard) {
      const stub = inventoryStub(env, order.tenantId, shard)
      const returned = await stub.adjust({ idempotencyKey: `refund:${refund.id}:${shard}`, actor: `order:${order.id}`, reason: 'return', lines: stockLines })
      if (!returned.ok) throw new Error(`restocking refund ${refund.id} failed: ${returned.error.message}`)
    }
    faultPoint('after-restock')
    await db.transaction(async (tx) => {
      const [marked] = await tx.update(orderRefunds).set({ restockedAt: new Date() }).where(and(eq(orderRefunds.id, refund.id), isNull(orderRefunds.restockedAt))).returning({ id: orderRefunds.id })
      if (marked) await addTimeline(tx, order, 'restocked', SYSTEM_ACTOR, { refundId: refund.id })
    })
  }
}

/** Where an order's stock must end up, by its money: sold once fully paid, released once cancelled unpaid, held otherwise. */
export function targetStockState(order: Pick<OrderRow, 'paidAt' | 'status'>): OrderRow['stockState'] {
  if (order.paidAt !== null) return 'committed'
  return order.status === 'cancelled' ? 'released' : 'held'
}

/**
 * Settles one order: lapses it if its payment window is over, commits or releases its reservations as its money says,
 * returns restocked refunds, then records the new stock state. Safe to run any number of times, concurrently too.
 */
export async function settleOrder(db: Database, env: StockEnv, tenantId: string, orderId: string): Promise<SettleOutcome> {
  const [found] = await db.select().from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)))
  if (!found) return { done: false, nextCheckAt: null }
  const order = await lapseIfDue(db, found, new Date())
  const target = targetStockState(order)
  const lines = await linesOf(db, order.id)
  if (target !== 'held' && order.stockState === 'held') {
    const action = target === 'committed' ? 'commit' : 'release'
    await moveLines(env, order, lines, action)
    await db.transaction(async (tx) => {
      const [moved] = await tx
        .update(orders)
        .set({ stockState: target, updatedAt: sql`now()` })
        .where(and(eq(orders.id, order.id), eq(orders.stockState, 'held')))
        .returning({ id: orders.id })
      if (moved) await addTimeline(tx, order, target === 'committed' ? 'stock_committed' : 'stock_released', SYSTEM_ACTOR, { reason: stockReason(order.number) })
    })
  }
  await restockRefunds(db, env, order, lines)
  if (target === 'held') return { done: false, nextCheckAt: order.holdExpiresAt?.getTime() ?? null }
  return { done: true, nextCheckAt: null }
}

