// The Postgres summary of each cart behind the admin list of active carts. The Cart object stays the truth: a summary
// write that fails only leaves the list stale (it never decides stock), and the list hides carts whose time is up.
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm'
import type { CartState } from '../../durable-objects/cart'
import type { Database } from '../db/client'
import { cartSummaries } from '../db/schema/carts'
import { customers } from '../db/schema/customers'
import { newestFirst, olderThan, timestampText, toPage } from '../lib/pagination'

/** The summary row of a cart as its object answered it. */
function summaryOf(cart: CartState) {
  const reserved = cart.lines.filter((line) => line.reservationId !== null)
  return {
    tenantId: cart.tenantId,
    id: cart.id,
    currency: cart.currency,
    customerId: cart.customerId,
    email: cart.email,
    status: cart.status,
    linesCount: cart.lines.length,
    unitsReserved: reserved.reduce((sum, line) => sum + line.quantity, 0),
    subtotal: cart.subtotal,
    expiresAt: new Date(cart.expiresAt),
    createdAt: new Date(cart.createdAt),
    updatedAt: new Date(cart.updatedAt),
  }
}

/** Upserts a cart's summary; a write carrying an older state than the row's (requests answered out of order) changes nothing. */
export async function saveCartSummary(db: Database, cart: CartState): Promise<void> {
  const { tenantId, id, createdAt, ...changes } = summaryOf(cart)
  await db
    .insert(cartSummaries)
    .values({ tenantId, id, createdAt, ...changes })
    .onConflictDoUpdate({ target: [cartSummaries.tenantId, cartSummaries.id], set: changes, setWhere: lte(cartSummaries.updatedAt, changes.updatedAt) })
}

/**
 * Saves the summary after a cart call answered, without failing the call: the cart is already changed, and a lost write
 * only makes the admin list stale until the cart's next call.
 */
export async function saveCartSummaryQuietly(db: Database, cart: CartState, requestId?: string): Promise<void> {
  try {
    await saveCartSummary(db, cart)
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'cart summary write failed', requestId, cartId: cart.id, error: String(error) }))
  }
}

/** Marks a cart's summary expired with no units reserved (the cart's alarm released them at `at`). */
export async function markCartSummaryExpired(db: Database, tenantId: string, cartId: string, at: Date): Promise<void> {
  await db
    .update(cartSummaries)
    .set({ status: 'expired', unitsReserved: 0, updatedAt: at })
    .where(and(eq(cartSummaries.tenantId, tenantId), eq(cartSummaries.id, cartId), lte(cartSummaries.updatedAt, at)))
}

/** One page of the tenant's active carts (status active, time left), most recent activity first; a deleted customer lends no name. */
export async function listActiveCarts(db: Database, tenantId: string, limit: number, cursor: string | undefined) {
  const rows = await db
    .select({ cart: cartSummaries, updatedAtText: timestampText(cartSummaries.updatedAt), firstName: customers.firstName, lastName: customers.lastName, customerEmail: customers.email })
    .from(cartSummaries)
    .leftJoin(customers, and(eq(customers.tenantId, cartSummaries.tenantId), eq(customers.id, cartSummaries.customerId), isNull(customers.deletedAt)))
    .where(and(eq(cartSummaries.tenantId, tenantId), eq(cartSummaries.status, 'active'), gt(cartSummaries.expiresAt, sql`now()`), olderThan(cartSummaries.updatedAt, cartSummaries.id, cursor)))
    .orderBy(...newestFirst(cartSummaries.updatedAt, cartSummaries.id))
    .limit(limit + 1)
  return toPage(
    rows,
    limit,
    ({ cart, firstName, lastName, customerEmail }) => ({
      id: cart.id,
      currency: cart.currency,
      customerId: cart.customerId,
      customerName: [firstName, lastName].filter(Boolean).join(' ') || null,
      email: cart.email ?? customerEmail ?? null,
      linesCount: cart.linesCount,
      unitsReserved: cart.unitsReserved,
      subtotal: cart.subtotal,
      expiresAt: cart.expiresAt.toISOString(),
      createdAt: cart.createdAt.toISOString(),
      updatedAt: cart.updatedAt.toISOString(),
    }),
    (r) => [r.updatedAtText, r.cart.id],
  )
}
