// A subscription's state drives the tenant's plan: active or trialing → the paid plan; past_due → the paid plan until the
// grace period (tenant setting `billingGraceDays`, default 7) ends, then starter; deleted → starter at the end of the paid
// period (at once when it is over); unpaid or expired → starter. No data is ever deleted on a downgrade. Events may come in
// any order: an event not newer than the last one applied is not trusted, the subscription is re-read from Stripe.
import { eq, or } from 'drizzle-orm'
import type Stripe from 'stripe'
import { forgetPlanQuotas } from '../auth/monthly-quota'
import { recordEvent, type DomainEventType } from '../commerce/events'
import type { Database } from '../db/client'
import { tenantBilling } from '../db/schema/billing'
import { plans } from '../db/schema/plans'
import { tenants } from '../db/schema/tenants'
import { billingRow, ensureBillingRow, stripeId } from './account'
import { FREE_PLAN } from './effective-plan'
import { callStripe } from './stripe'

/** Days a past-due subscription keeps its plan unless the tenant sets `billingGraceDays`. */
export const DEFAULT_GRACE_DAYS = 7
const MAX_GRACE_DAYS = 60
const DAY_MS = 86_400_000

/** Statuses that keep the paid plan (past_due only during the grace period). */
const PAID_STATUSES = new Set(['active', 'trialing', 'past_due'])
/** Statuses that end the paid plan now (`incomplete` changes nothing: the first payment is still being made). */
const ENDED_STATUSES = new Set(['canceled', 'unpaid', 'incomplete_expired', 'paused'])

/** The grace period of the tenant's settings, in days. */
function graceDaysOf(settings: Record<string, unknown>): number {
  const days = settings.billingGraceDays
  return typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= MAX_GRACE_DAYS ? days : DEFAULT_GRACE_DAYS
}

/** The plan a subscription pays for, by its first item's price (monthly or yearly). */
async function planOfPrice(db: Database, priceId: string | null): Promise<{ id: string; interval: string } | null> {
  if (!priceId) return null
  const [row] = await db
    .select({ id: plans.id, monthly: plans.stripePriceId })
    .from(plans)
    .where(or(eq(plans.stripePriceId, priceId), eq(plans.stripeYearlyPriceId, priceId)))
  return row ? { id: row.id, interval: row.monthly === priceId ? 'month' : 'year' } : null
}

/** Re-reads a subscription from Stripe: the truth when an event is older than what was applied. */
export function retrieveSubscription(stripe: Stripe, id: string): Promise<Stripe.Subscription> {
  return callStripe('read the subscription', () => stripe.subscriptions.retrieve(id))
}

/**
 * Applies `sub` to its tenant in the caller's transaction, unless an event newer than `eventAt` was applied already
 * (the caller re-reads and calls again with the current time). Answers false when it was too old to apply.
 */
export async function applySubscription(tx: Database, tenantId: string, sub: Stripe.Subscription, eventAt: number, deleted: boolean): Promise<boolean> {
  await ensureBillingRow(tx, tenantId)
  const row = await billingRow(tx, tenantId, true)
  if (!row) return false
  if (row.subscriptionEventAt !== null && eventAt <= row.subscriptionEventAt) return false
  if (row.subscriptionId && row.subscriptionId !== sub.id && !deleted && !PAID_STATUSES.has(sub.status)) return true
  if (row.subscriptionId && row.subscriptionId !== sub.id && deleted) return true
  const item = sub.items.data[0]
  const plan = await planOfPrice(tx, item?.price.id ?? null)
  const status = deleted ? 'canceled' : sub.status
  const [tenant] = await tx.select({ plan: tenants.plan, settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).for('update')
  if (!tenant) return false
  const now = new Date()
  const periodEnd = item ? new Date(item.current_period_end * 1000) : row.currentPeriodEnd
  let nextPlan = tenant.plan
  let downgradeAt: Date | null = null
  if (deleted && plan && periodEnd && periodEnd > now) {
    nextPlan = plan.id
    downgradeAt = periodEnd
  } else if (ENDED_STATUSES.has(status)) nextPlan = FREE_PLAN
  else if (PAID_STATUSES.has(status) && plan) {
    nextPlan = plan.id
    if (status === 'past_due') downgradeAt = row.subscriptionStatus === 'past_due' && row.downgradeAt ? row.downgradeAt : new Date(now.getTime() + graceDaysOf(tenant.settings) * DAY_MS)
  }
  await tx
    .update(tenantBilling)
    .set({
      subscriptionId: sub.id,
      subscriptionStatus: status,
      subscriptionPlan: plan?.id ?? row.subscriptionPlan,
      subscriptionInterval: plan?.interval ?? row.subscriptionInterval,
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      downgradeAt,
      subscriptionEventAt: eventAt,
      stripeCustomerId: row.stripeCustomerId ?? stripeId(sub.customer),
      updatedAt: now,
    })
    .where(eq(tenantBilling.tenantId, tenantId))
  if (nextPlan !== tenant.plan) await tx.update(tenants).set({ plan: nextPlan, updatedAt: now }).where(eq(tenants.id, tenantId))
  const type: DomainEventType = deleted ? 'subscription.cancelled' : 'subscription.updated'
  await recordEvent(tx, {
    tenantId,
    type,
    subjectType: 'subscription',
    subjectId: sub.id,
    data: { status, plan: nextPlan, previousPlan: tenant.plan, cancelAtPeriodEnd: sub.cancel_at_period_end, downgradeAt: downgradeAt?.toISOString() ?? null },
  })
  forgetPlanQuotas(tenantId)
  return true
}
