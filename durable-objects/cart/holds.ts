// Order holds of a Cart object: the drafts of orders whose stock this object reserved (a checked-out cart, or one
// point-of-sale sale), kept until Postgres and the Inventory objects agree. The alarm settles every open hold: it writes
// the order from its draft if the Worker died before doing so, then lets the order's money decide its stock.
import { createDatabase } from '../../workers/db/client'
import type { OrderDraft } from '../../workers/commerce/orders/draft'
import { settleOrder } from '../../workers/commerce/orders/settle'
import { insertOrderFromDraft } from '../../workers/commerce/orders/store'
import { markCartSummaryExpired } from '../../workers/commerce/cart-summaries'
import { recordEvent } from '../../workers/commerce/events'
import { ApiError } from '../../workers/lib/errors'
import { closeLine } from './stock'

/** How soon after a hold starts (or a payment, cancel or refund is about to be written) the alarm checks that it finished. */
export const SETTLE_DELAY_MS = 30_000
/** Backoff of a settlement that failed (Postgres or an Inventory object unreachable). */
export const SETTLE_RETRY_MS = 60_000
/** Extra time an order's reservations outlive its payment window, so the alarm (not the Inventory's expiry) decides them. */
export const ORDER_HOLD_GRACE_SECONDS = 60 * 60

export const HOLD_SCHEMA = `create table if not exists holds (
  order_id text primary key, draft text not null, done integer not null default 0, next_check_at integer not null
)`

type HoldRow = { order_id: string; draft: string; done: number; next_check_at: number }

/** The draft of the hold of `orderId`, if this object has one. */
export function readHold(sql: SqlStorage, orderId: string): OrderDraft | null {
  const row = sql.exec<HoldRow>('select * from holds where order_id = ?', orderId).toArray()[0]
  return row ? (JSON.parse(row.draft) as OrderDraft) : null
}

/** Stores a new hold, due for its first check after SETTLE_DELAY_MS. */
export function saveHold(sql: SqlStorage, draft: OrderDraft, now: number): void {
  sql.exec('insert into holds (order_id, draft, done, next_check_at) values (?, ?, 0, ?)', draft.orderId, JSON.stringify(draft), now + SETTLE_DELAY_MS)
}

/** Reopens a hold for a prompt check (money is about to move); false when this object holds no such order. */
export function nudgeHold(sql: SqlStorage, orderId: string, now: number): boolean {
  return sql.exec('update holds set done = 0, next_check_at = min(next_check_at, ?) where order_id = ?', now + SETTLE_DELAY_MS, orderId).rowsWritten > 0
}

/** When the next open hold wants a look, if any. */
export function nextHoldCheck(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>('select min(next_check_at) as at from holds where done = 0').one().at
}

/** Records the domain event of a cart whose reservations lapsed (after they were released, before the cart says so), and marks its summary expired. */
export async function recordCartExpired(env: Env, cart: { id: string; tenantId: string; customerId: string | null; email: string | null }): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    await recordEvent(client.db, { tenantId: cart.tenantId, type: 'cart.expired', subjectType: 'cart', subjectId: cart.id, data: { customerId: cart.customerId, email: cart.email } })
    await markCartSummaryExpired(client.db, cart.tenantId, cart.id, new Date()).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', msg: 'cart summary write failed', cartId: cart.id, error: String(error) }))
    })
  } finally {
    await client.close()
  }
}

/** Releases a draft's reservations (a hold whose order can never be written). */
async function releaseDraft(env: Env, draft: OrderDraft): Promise<void> {
  for (const line of draft.lines) {
    if (line.reservationId === null) continue
    const released = await closeLine(env, draft.tenantId, { sku: line.sku, shard: line.shard, reservationId: line.reservationId, key: `${draft.orderId}:release:${line.reservationId}`, actor: `order:${draft.orderId}` }, 'release')
    if (!released.ok) throw new Error(`releasing ${line.reservationId} failed: ${released.error.message}`)
  }
}

/** Settles every open hold once: writes a missing order from its draft, then settles its stock; failures retry later. */
export async function settleHolds(sql: SqlStorage, env: Env, now: number): Promise<void> {
  const open = sql.exec<HoldRow>('select * from holds where done = 0').toArray()
  if (open.length === 0) return
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    for (const hold of open) {
      const draft = JSON.parse(hold.draft) as OrderDraft
      let next: number | null
      try {
        try {
          await insertOrderFromDraft(client.db, draft)
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'idempotency_conflict')) throw error
          await releaseDraft(env, draft)
          sql.exec('update holds set done = 1 where order_id = ?', hold.order_id)
          continue
        }
        const outcome = await settleOrder(client.db, env, draft.tenantId, draft.orderId)
        next = outcome.done ? null : (outcome.nextCheckAt ?? now + SETTLE_RETRY_MS)
      } catch (error) {
        console.warn(JSON.stringify({ level: 'warn', msg: 'order settlement failed', orderId: hold.order_id, error: error instanceof Error ? error.message : String(error) }))
        next = now + SETTLE_RETRY_MS
      }
      if (next === null) sql.exec('update holds set done = 1 where order_id = ?', hold.order_id)
      else sql.exec('update holds set next_check_at = ? where order_id = ?', Math.max(next, now + 1000), hold.order_id)
    }
  } finally {
    await client.close()
  }
}
