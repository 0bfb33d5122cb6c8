// Buying a plan: the tenant's Stripe customer (created once, stored, reused), a Checkout Session in subscription mode
// for the plan's price, the Billing Portal to manage it, and the billing summary the admin UI shows.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type Stripe from 'stripe'
import type { Database } from '../db/client'
import { tenantBilling } from '../db/schema/billing'
import { plans } from '../db/schema/plans'
import { tenants } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'
import { billingRow, ensureBillingRow } from './account'
import { effectivePlanId } from './effective-plan'
import { callStripe } from './stripe'

/** How many recent invoices the billing summary lists. */
const RECENT_INVOICES = 10
/** Subscription statuses under which a new checkout would open a second subscription: the portal changes plans then. */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due'])

export type BillingInterval = 'month' | 'year'

/** The tenant's customer in the platform's account: the stored one, or a new one (keyed by tenant, so retries share it). */
async function ensureCustomer(db: Database, stripe: Stripe, tenantId: string, email: string | null): Promise<string> {
  const row = await ensureBillingRow(db, tenantId)
  if (row.stripeCustomerId) return row.stripeCustomerId
  const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId))
  const customer = await callStripe('create the customer', () =>
    stripe.customers.create({ name: tenant?.name ?? tenantId, ...(email ? { email } : {}), metadata: { tenantId } }, { idempotencyKey: `vitrina-customer-${tenantId}` }),
  )
  await db.update(tenantBilling).set({ stripeCustomerId: customer.id, updatedAt: new Date() }).where(and(eq(tenantBilling.tenantId, tenantId), isNull(tenantBilling.stripeCustomerId)))
  const stored = await billingRow(db, tenantId)
  return stored?.stripeCustomerId ?? customer.id
}

/** Starts a Checkout Session (subscription mode) for `plan` at `interval`; 409 when the plan is not sold or a subscription runs. */
export async function startPlanCheckout(db: Database, stripe: Stripe, input: { tenantId: string; email: string | null; plan: string; interval: BillingInterval; returnUrl: string }): Promise<{ url: string }> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, input.plan))
  if (!plan) throw new ApiError('invalid_request', `No plan "${input.plan}"`, { details: [{ in: 'json', path: 'plan', message: 'unknown plan', code: 'invalid_value' }] })
  const price = input.interval === 'year' ? plan.stripeYearlyPriceId : plan.stripePriceId
  if (!price) throw new ApiError('plan_not_for_sale', `The ${plan.name} plan has no ${input.interval === 'year' ? 'yearly' : 'monthly'} Stripe price`, { details: { plan: plan.id, interval: input.interval } })
  const current = await billingRow(db, input.tenantId)
  if (current?.subscriptionStatus && LIVE_STATUSES.has(current.subscriptionStatus)) {
    throw new ApiError('conflict', 'A subscription is running: change its plan in the billing portal', { details: { subscriptionStatus: current.subscriptionStatus } })
  }
  const customer = await ensureCustomer(db, stripe, input.tenantId, input.email)
  const metadata = { tenantId: input.tenantId, plan: plan.id }
  const session = await callStripe('start the checkout', () =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: input.tenantId,
      line_items: [{ price, quantity: 1 }],
      metadata,
      subscription_data: { metadata },
      success_url: `${input.returnUrl}?checkout=success`,
      cancel_url: `${input.returnUrl}?checkout=cancelled`,
    }),
  )
  if (!session.url) throw new ApiError('payment_provider_error', 'Stripe answered a session without a URL')
  return { url: session.url }
}

/** A Billing Portal session of the tenant's customer; 409 before the tenant ever bought a plan. */
export async function openPortal(db: Database, stripe: Stripe, tenantId: string, returnUrl: string): Promise<{ url: string }> {
  const row = await billingRow(db, tenantId)
  if (!row?.stripeCustomerId) throw new ApiError('conflict', 'This tenant has no billing account yet: buy a plan first')
  const customer = row.stripeCustomerId
  const session = await callStripe('open the billing portal', () => stripe.billingPortal.sessions.create({ customer, return_url: returnUrl }))
  return { url: session.url }
}

/** Plan, subscription, grace period, recent invoices and the plans on sale, as `GET /v1/billing` answers. */
export async function billingSummary(db: Database, stripe: Stripe, tenantId: string) {
  const [[current], row, forSale] = await Promise.all([
    db.select({ id: plans.id, name: plans.name }).from(tenants).innerJoin(plans, eq(plans.id, effectivePlanId(tenants.id, tenants.plan))).where(eq(tenants.id, tenantId)),
    billingRow(db, tenantId),
    db
      .select({ id: plans.id, name: plans.name, priceCents: plans.priceCents, currency: plans.currency, monthly: sql<boolean>`${plans.stripePriceId} is not null`, yearly: sql<boolean>`${plans.stripeYearlyPriceId} is not null` })
      .from(plans)
      .orderBy(asc(plans.position)),
  ])
  if (!current) throw new ApiError('not_found', 'Tenant not found')
  const customer = row?.stripeCustomerId ?? null
  const invoices = customer ? (await callStripe('list the invoices', () => stripe.invoices.list({ customer, limit: RECENT_INVOICES }))).data : []
  const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null)
  return {
    plan: current,
    subscription: row?.subscriptionId
      ? {
          id: row.subscriptionId,
          status: row.subscriptionStatus ?? 'incomplete',
          plan: row.subscriptionPlan,
          interval: row.subscriptionInterval,
          currentPeriodEnd: iso(row.currentPeriodEnd),
          cancelAtPeriodEnd: row.cancelAtPeriodEnd,
        }
      : null,
    pastDue: row?.subscriptionStatus === 'past_due',
    downgradeAt: iso(row?.downgradeAt),
    invoices: invoices.map((i) => ({ id: i.id ?? '', status: i.status ?? 'draft', amountDue: i.amount_due, amountPaid: i.amount_paid, currency: i.currency, createdAt: new Date(i.created * 1000).toISOString(), url: i.hosted_invoice_url ?? null })),
    plans: forSale.map((p) => ({ id: p.id, name: p.name, priceCents: p.priceCents, currency: p.currency, intervals: [...(p.monthly ? ['month' as const] : []), ...(p.yearly ? ['year' as const] : [])] })),
  }
}
