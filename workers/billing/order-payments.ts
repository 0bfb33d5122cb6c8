// Orders paid online: a Checkout Session in payment mode on the shop's connected account for the order's balance, its
// outcome recorded through the order payment path (payment → paid → stock committed), refunds sent back through Stripe.
import { and, desc, eq } from 'drizzle-orm'
import type Stripe from 'stripe'
import type { OrderActor } from '../commerce/orders/draft'
import { linesOf, requireOrder, type OrderRow } from '../commerce/orders/store'
import type { Database } from '../db/client'
import { orderPayments, type LineQuantities } from '../db/schema/orders'
import { plans } from '../db/schema/plans'
import { tenants } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'
import { billingRow } from './account'
import { effectivePlanId } from './effective-plan'
import { callStripe } from './stripe'

/** Stripe refuses a Checkout Session that expires sooner than 30 minutes after its creation. */
export const MIN_SESSION_SECONDS = 30 * 60
/** Stripe refuses a Checkout Session that expires later than 24 hours after its creation. */
export const MAX_SESSION_SECONDS = 24 * 60 * 60
/** Seconds added to the 30-minute floor so the request's own travel time never falls under it. */
const SESSION_MARGIN_SECONDS = 60
/** Stripe caps a metadata value at 500 characters. */
const METADATA_VALUE_MAX = 500

/** Who records what Stripe reports. */
export const STRIPE_ACTOR: OrderActor = { type: 'system', id: 'stripe' }

/** When the session expires: with the order's payment window, clamped into what Stripe accepts (see the README). */
export function sessionExpiry(holdExpiresAt: Date | null, nowSeconds = Math.floor(Date.now() / 1000)): number {
  const floor = nowSeconds + MIN_SESSION_SECONDS + SESSION_MARGIN_SECONDS
  const ceiling = nowSeconds + MAX_SESSION_SECONDS - SESSION_MARGIN_SECONDS
  const wanted = holdExpiresAt ? Math.floor(holdExpiresAt.getTime() / 1000) : ceiling
  return Math.min(ceiling, Math.max(floor, wanted))
}

/** Line items of the order's snapshot (plus shipping and tax) when they add up to the balance; one balance line otherwise. */
async function lineItems(db: Database, order: OrderRow, balance: number): Promise<Stripe.Checkout.SessionCreateParams.LineItem[]> {
  const currency = order.currency.toLowerCase()
  const item = (name: string, unitAmount: number, quantity: number): Stripe.Checkout.SessionCreateParams.LineItem => ({ quantity, price_data: { currency, unit_amount: unitAmount, product_data: { name } } })
  const lines = await linesOf(db, order.id)
  const items = lines.map((l) => item(l.variantName ? `${l.productName} (${l.variantName})` : l.productName, l.unitPrice, l.quantity))
  if (order.shipping > 0) items.push(item(order.shippingMethod?.name ?? 'Shipping', order.shipping, 1))
  if (!order.taxIncluded && order.tax > 0) items.push(item('Tax', order.tax, 1))
  const sum = items.reduce((total, i) => total + (i.price_data?.unit_amount ?? 0) * (i.quantity ?? 1), 0)
  return sum === balance ? items : [item(`Order #${order.number}`, balance, 1)]
}

/** The connected account of a shop that can take charges; 409 `payments_account_not_ready` otherwise. */
async function chargeableAccount(db: Database, tenantId: string): Promise<string> {
  const row = await billingRow(db, tenantId)
  if (!row?.connectAccountId || !row.chargesEnabled) {
    throw new ApiError('payments_account_not_ready', 'Connect a payments account and finish its onboarding before taking payments online', { details: { connected: Boolean(row?.connectAccountId), chargesEnabled: row?.chargesEnabled ?? false } })
  }
  return row.connectAccountId
}

/** The platform's fee on `amount` under the tenant's plan, rounded to the minor unit. */
async function applicationFee(db: Database, tenantId: string, amount: number): Promise<number> {
  const [plan] = await db.select({ bp: plans.applicationFeeBasisPoints }).from(tenants).innerJoin(plans, eq(plans.id, effectivePlanId(tenants.id, tenants.plan))).where(eq(tenants.id, tenantId))
  return Math.round((amount * (plan?.bp ?? 0)) / 10_000)
}

/** A Checkout Session for the order's balance on the shop's connected account, keyed by order, balance and expiry. */
export async function orderCheckoutSession(db: Database, stripe: Stripe, tenantId: string, orderId: string, urls: { successUrl: string; cancelUrl: string }) {
  const order = await requireOrder(db, tenantId, orderId)
  if (order.status === 'cancelled') throw new ApiError('order_cancelled', 'This order is cancelled')
  if (order.paidAt === null && order.holdExpiresAt !== null && order.holdExpiresAt <= new Date()) throw new ApiError('payment_window_lapsed', 'The payment window of this order has lapsed; its stock is released')
  const balance = order.total - order.paidAmount
  if (balance <= 0) throw new ApiError('conflict', 'This order owes nothing', { details: { balance } })
  const account = await chargeableAccount(db, tenantId)
  const expiresAt = sessionExpiry(order.holdExpiresAt)
  const metadata = { orderId: order.id, tenantId, orderNumber: String(order.number) }
  const [items, fee] = await Promise.all([lineItems(db, order, balance), applicationFee(db, tenantId, balance)])
  const session = await callStripe('start the order checkout', () =>
    stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: items,
        client_reference_id: order.id,
        metadata,
        payment_intent_data: { metadata, ...(fee > 0 ? { application_fee_amount: fee } : {}) },
        ...(order.email ? { customer_email: order.email } : {}),
        expires_at: expiresAt,
        success_url: urls.successUrl,
        cancel_url: urls.cancelUrl,
      },
      { stripeAccount: account, idempotencyKey: `vitrina-order-${order.id}-${balance}-${expiresAt}` },
    ),
  )
  if (!session.url) throw new ApiError('payment_provider_error', 'Stripe answered a session without a URL')
  return { id: session.id, url: session.url, amount: balance, applicationFee: fee, expiresAt: new Date(expiresAt * 1000).toISOString() }
}

/** The latest Stripe payment intent that paid the order, or null when no money came through Stripe. */
export async function stripePaymentOf(db: Database, orderId: string): Promise<string | null> {
  const [payment] = await db
    .select({ reference: orderPayments.reference })
    .from(orderPayments)
    .where(and(eq(orderPayments.orderId, orderId), eq(orderPayments.method, 'stripe')))
    .orderBy(desc(orderPayments.createdAt))
    .limit(1)
  return payment?.reference ?? null
}

/**
 * Sends a staff refund of an order paid through Stripe back through Stripe, on the shop's account; answers the Stripe
 * refund id to record with it (null: no Stripe payment, the refund is recorded by hand). The lines and restock travel
 * in the refund's metadata, so `charge.refunded` arriving first records the same refund.
 */
export async function refundOnStripe(db: Database, stripeOf: () => Stripe, tenantId: string, orderId: string, refund: { amount: number; lines: LineQuantities; restock: boolean }): Promise<string | null> {
  const order = await requireOrder(db, tenantId, orderId)
  const paymentIntent = await stripePaymentOf(db, order.id)
  if (!paymentIntent) return null
  const refundable = order.paidAmount - order.refundedAmount
  if (refund.amount > refundable) throw new ApiError('refund_exceeds_paid', `At most ${refundable} can be refunded`, { details: { refundable, amount: refund.amount } })
  const stripe = stripeOf()
  const account = (await billingRow(db, tenantId))?.connectAccountId
  if (!account) throw new ApiError('payments_account_not_ready', 'The payments account that took this order is no longer connected')
  const lines = JSON.stringify(refund.lines)
  const metadata = { orderId: order.id, tenantId, restock: String(refund.restock), ...(lines.length <= METADATA_VALUE_MAX ? { lines } : {}) }
  const created = await callStripe('refund the payment', () =>
    stripe.refunds.create({ payment_intent: paymentIntent, amount: refund.amount, metadata }, { stripeAccount: account, idempotencyKey: `vitrina-refund-${order.id}-${order.refundedAmount}-${refund.amount}` }),
  )
  return created.id
}
