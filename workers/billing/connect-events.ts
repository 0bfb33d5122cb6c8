// Events of shops' connected accounts: account status, paid and expired order sessions, refunds and disputes. The
// tenant is the one whose connected account sent the event; an order that is not that tenant's is ignored.
import { and, eq, isNull } from 'drizzle-orm'
import type Stripe from 'stripe'
import { recordEvent } from '../commerce/events'
import { recordRefund, takePayment } from '../commerce/orders/money'
import { addTimeline } from '../commerce/orders/store'
import type { Database } from '../db/client'
import { orderPayments, orders, type LineQuantities } from '../db/schema/orders'
import { ApiError } from '../lib/errors'
import { billingRow, stripeId, tenantOfAccount } from './account'
import { applyAccount } from './connect'
import { processOnce, type EventOutcome } from './events-once'
import { STRIPE_ACTOR } from './order-payments'
import { callStripe } from './stripe'

/** What the connected-account handlers need besides the event. */
export interface ConnectDeps {
  db: Database
  env: Pick<Env, 'CART' | 'INVENTORY'>
  stripe: Stripe
  /** Settles the order's stock after the answer (safe to lose: the Cart object's alarm settles it too). */
  settleLater: (tenantId: string, orderId: string) => void
}

/** Errors the order payment path raises for money it cannot take: the payment is returned through Stripe. */
const LATE = new Set(['order_cancelled', 'payment_window_lapsed', 'overpayment'])

/** The tenant's order `orderId`, or null when it is not this tenant's (or not an id at all). */
async function ownOrder(db: Database, tenantId: string, orderId: string | undefined): Promise<{ id: string; tenantId: string } | null> {
  if (!orderId || !/^[0-9a-f-]{36}$/i.test(orderId)) return null
  const [row] = await db.select({ id: orders.id, tenantId: orders.tenantId }).from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)))
  return row ?? null
}

/** The tenant's order a Stripe payment intent paid. */
async function orderOfPayment(db: Database, tenantId: string, paymentIntent: string | null): Promise<{ id: string; tenantId: string } | null> {
  if (!paymentIntent) return null
  const [row] = await db
    .select({ id: orderPayments.orderId, tenantId: orderPayments.tenantId })
    .from(orderPayments)
    .where(and(eq(orderPayments.tenantId, tenantId), eq(orderPayments.method, 'stripe'), eq(orderPayments.reference, paymentIntent)))
  return row ?? null
}

/** A paid session: a payment through the order path; money the order can no longer take goes back through Stripe. */
async function sessionPaid(deps: ConnectDeps, event: Stripe.Event, tenantId: string, account: string, session: Stripe.Checkout.Session): Promise<EventOutcome> {
  const { db } = deps
  const order = session.mode === 'payment' && session.payment_status === 'paid' && session.metadata?.tenantId === tenantId ? await ownOrder(db, tenantId, session.metadata.orderId) : null
  const paymentIntent = stripeId(session.payment_intent)
  if (!order || !paymentIntent || session.amount_total === null) return processOnce(db, 'connect', event, tenantId)
  try {
    await takePayment(db, deps.env, tenantId, order.id, { method: 'stripe', amount: session.amount_total, reference: paymentIntent }, STRIPE_ACTOR)
  } catch (error) {
    if (!(error instanceof ApiError) || !LATE.has(error.code)) throw error
    const refund = await callStripe('return a late payment', () => deps.stripe.refunds.create({ payment_intent: paymentIntent, metadata: { orderId: order.id, reason: error.code } }, { stripeAccount: account, idempotencyKey: `vitrina-late-${paymentIntent}` }))
    return processOnce(db, 'connect', event, tenantId, async (tx) => {
      await addTimeline(tx, order, 'stripe_payment_returned', STRIPE_ACTOR, { reason: error.code, amount: session.amount_total, paymentIntent, stripeRefundId: refund.id })
      await recordEvent(tx, { tenantId, type: 'payment.failed', subjectType: 'order', subjectId: order.id, data: { reason: error.code, amount: session.amount_total, returned: true } })
    })
  }
  const outcome = await processOnce(db, 'connect', event, tenantId)
  deps.settleLater(tenantId, order.id)
  return outcome
}

/** The lines and restock a staff refund put in its metadata (none for a refund made in Stripe's dashboard). */
function refundIntent(metadata: Stripe.Metadata | null): { lines: LineQuantities; restock: boolean } {
  try {
    const lines = JSON.parse(metadata?.lines ?? '[]') as unknown
    const valid = Array.isArray(lines) && lines.every((l: unknown) => typeof l === 'object' && l !== null && typeof (l as { lineId?: unknown }).lineId === 'string' && Number.isInteger((l as { quantity?: unknown }).quantity))
    return valid ? { lines: lines as LineQuantities, restock: metadata?.restock === 'true' && lines.length > 0 } : { lines: [], restock: false }
  } catch {
    return { lines: [], restock: false }
  }
}

/** Records every refund of the charge not recorded yet (the staff path may have recorded it already: same Stripe id). */
async function chargeRefunded(deps: ConnectDeps, event: Stripe.Event, tenantId: string, account: string, charge: Stripe.Charge): Promise<EventOutcome> {
  const order = await orderOfPayment(deps.db, tenantId, stripeId(charge.payment_intent))
  if (!order) return processOnce(deps.db, 'connect', event, tenantId)
  const refunds = await callStripe('list the refunds', () => deps.stripe.refunds.list({ charge: charge.id, limit: 100 }, { stripeAccount: account }))
  for (const refund of refunds.data.filter((r) => r.status === 'succeeded' || r.status === 'pending')) {
    try {
      await recordRefund(deps.db, deps.env, tenantId, order.id, { amount: refund.amount, ...refundIntent(refund.metadata), stripeRefundId: refund.id }, STRIPE_ACTOR)
    } catch (error) {
      // A refund the order cannot hold (more than it shows paid) would fail on every retry: it is logged, not retried.
      if (!(error instanceof ApiError)) throw error
      console.warn(JSON.stringify({ message: 'stripe refund not recorded', orderId: order.id, stripeRefundId: refund.id, code: error.code }))
    }
  }
  return processOnce(deps.db, 'connect', event, tenantId)
}

/** Handles one connected-account event; unknown types, accounts and orders are ignored (and answered 200). */
export async function handleConnectEvent(deps: ConnectDeps, event: Stripe.Event): Promise<EventOutcome> {
  const { db } = deps
  const account = event.account ?? null
  const tenantId = await tenantOfAccount(db, account)
  if (!tenantId || !account) return 'ignored'
  switch (event.type) {
    case 'account.updated': {
      const stored = await billingRow(db, tenantId)
      const stale = stored?.accountEventAt != null && event.created < stored.accountEventAt
      const current = stale ? await callStripe('read the connected account', () => deps.stripe.accounts.retrieve(account)) : event.data.object
      const at = stale ? Math.max(Math.floor(Date.now() / 1000), (stored?.accountEventAt ?? 0) + 1) : event.created
      return processOnce(db, 'connect', event, tenantId, async (tx) => {
        await applyAccount(tx, tenantId, current, at)
      })
    }
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return sessionPaid(deps, event, tenantId, account, event.data.object)
    case 'checkout.session.expired': {
      const session = event.data.object
      const order = session.metadata?.tenantId === tenantId ? await ownOrder(db, tenantId, session.metadata.orderId) : null
      return processOnce(db, 'connect', event, tenantId, async (tx) => {
        if (order) await recordEvent(tx, { tenantId, type: 'order.checkout_expired', subjectType: 'order', subjectId: order.id, data: { sessionId: session.id } })
      })
    }
    case 'charge.refunded':
      return chargeRefunded(deps, event, tenantId, account, event.data.object)
    case 'charge.dispute.created': {
      const dispute = event.data.object
      const order = await orderOfPayment(db, tenantId, stripeId(dispute.payment_intent))
      return processOnce(db, 'connect', event, tenantId, async (tx) => {
        if (!order) return
        const [flagged] = await tx.update(orders).set({ disputedAt: new Date(), updatedAt: new Date() }).where(and(eq(orders.id, order.id), isNull(orders.disputedAt))).returning({ id: orders.id })
        if (!flagged) return
        const data = { disputeId: dispute.id, amount: dispute.amount, reason: dispute.reason, status: dispute.status }
        await addTimeline(tx, order, 'disputed', STRIPE_ACTOR, data)
        await recordEvent(tx, { tenantId, type: 'order.disputed', subjectType: 'order', subjectId: order.id, data })
      })
    }
    default:
      return 'ignored'
  }
}
