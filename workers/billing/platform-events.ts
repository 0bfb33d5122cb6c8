// Events of the platform's own account: tenants' subscriptions and invoices. Each one's tenant is found by its Stripe
// customer; the subscription state comes from the event's object when it is newer than what was applied, else from Stripe.
import type Stripe from 'stripe'
import { recordEvent } from '../commerce/events'
import type { Database } from '../db/client'
import { billingRow, stripeId, tenantOfCustomer } from './account'
import { processOnce, type EventOutcome } from './events-once'
import { applySubscription, retrieveSubscription } from './subscriptions'

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** Applies a subscription: the event's copy when newer than the stored state, otherwise a fresh read from Stripe. */
async function subscriptionChanged(db: Database, stripe: Stripe, event: Stripe.Event, sub: Stripe.Subscription, deleted: boolean): Promise<EventOutcome> {
  const tenantId = await tenantOfCustomer(db, stripeId(sub.customer))
  if (!tenantId) return processOnce(db, 'platform', event, null)
  const stored = await billingRow(db, tenantId)
  const stale = stored?.subscriptionEventAt != null && event.created <= stored.subscriptionEventAt
  const current = stale ? await retrieveSubscription(stripe, sub.id) : sub
  const at = stale ? Math.max(nowSeconds(), (stored?.subscriptionEventAt ?? 0) + 1) : event.created
  return processOnce(db, 'platform', event, tenantId, async (tx) => {
    await applySubscription(tx, tenantId, current, at, stale ? current.status === 'canceled' : deleted)
  })
}

/** A re-read of the subscription an invoice or session names (when it names one), applied with the domain event. */
async function rereadAndRecord(db: Database, stripe: Stripe, event: Stripe.Event, customer: string | null, subscriptionId: string | null, record: (tx: Database, tenantId: string) => Promise<void>): Promise<EventOutcome> {
  const tenantId = await tenantOfCustomer(db, customer)
  if (!tenantId) return processOnce(db, 'platform', event, null)
  const sub = subscriptionId ? await retrieveSubscription(stripe, subscriptionId) : null
  const stored = await billingRow(db, tenantId)
  const at = Math.max(nowSeconds(), (stored?.subscriptionEventAt ?? 0) + 1)
  return processOnce(db, 'platform', event, tenantId, async (tx) => {
    if (sub) await applySubscription(tx, tenantId, sub, at, sub.status === 'canceled')
    await record(tx, tenantId)
  })
}

/** Handles one platform event; unknown types are ignored (and answered 200). */
export async function handlePlatformEvent(db: Database, stripe: Stripe, event: Stripe.Event): Promise<EventOutcome> {
  switch (event.type) {
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
      return subscriptionChanged(db, stripe, event, event.data.object, false)
    case 'customer.subscription.deleted':
      return subscriptionChanged(db, stripe, event, event.data.object, true)
    case 'checkout.session.completed': {
      const session = event.data.object
      if (session.mode !== 'subscription') return 'ignored'
      return rereadAndRecord(db, stripe, event, stripeId(session.customer), stripeId(session.subscription), async () => {})
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object
      const subscription = stripeId(invoice.parent?.subscription_details?.subscription)
      const paid = event.type === 'invoice.paid'
      return rereadAndRecord(db, stripe, event, stripeId(invoice.customer), subscription, (tx, tenantId) =>
        recordEvent(tx, {
          tenantId,
          type: paid ? 'invoice.paid' : 'payment.failed',
          subjectType: 'invoice',
          subjectId: invoice.id ?? event.id,
          data: { amountDue: invoice.amount_due, amountPaid: invoice.amount_paid, currency: invoice.currency, attemptCount: invoice.attempt_count ?? 0, subscriptionId: subscription },
        }),
      )
    }
    case 'customer.subscription.trial_will_end': {
      const sub = event.data.object
      const tenantId = await tenantOfCustomer(db, stripeId(sub.customer))
      return processOnce(db, 'platform', event, tenantId, async (tx) => {
        if (tenantId) await recordEvent(tx, { tenantId, type: 'subscription.trial_will_end', subjectType: 'subscription', subjectId: sub.id, data: { trialEnd: sub.trial_end ? new Date(sub.trial_end * 1000).toISOString() : null } })
      })
    }
    default:
      return 'ignored'
  }
}
