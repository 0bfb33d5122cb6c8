// Each shop takes its customers' payments into its own Stripe account (Connect, Express accounts): the account is
// created once and stored, onboarding happens on Stripe's hosted pages, and its status comes from `account.updated`
// events or a re-read.
import { and, eq, isNull, or, lte } from 'drizzle-orm'
import type Stripe from 'stripe'
import { recordEvent } from '../commerce/events'
import type { Database } from '../db/client'
import { tenantBilling } from '../db/schema/billing'
import { ensureBillingRow, billingRow } from './account'
import { callStripe } from './stripe'

/** The shop's connected account as the API shows it. */
export interface ConnectStatus {
  accountId: string | null
  chargesEnabled: boolean
  payoutsEnabled: boolean
  requirementsDue: string[]
}

/** Starts (or resumes) onboarding: the account is created the first time (keyed by tenant) and an onboarding link answered. */
export async function onboardingLink(db: Database, stripe: Stripe, tenantId: string, urls: { returnUrl: string; refreshUrl: string }): Promise<{ url: string; accountId: string }> {
  const row = await ensureBillingRow(db, tenantId)
  let accountId = row.connectAccountId
  if (!accountId) {
    const account = await callStripe('create the connected account', () =>
      stripe.accounts.create({ type: 'express', metadata: { tenantId } }, { idempotencyKey: `vitrina-account-${tenantId}` }),
    )
    await db.update(tenantBilling).set({ connectAccountId: account.id, updatedAt: new Date() }).where(and(eq(tenantBilling.tenantId, tenantId), isNull(tenantBilling.connectAccountId)))
    accountId = (await billingRow(db, tenantId))?.connectAccountId ?? account.id
  }
  const account = accountId
  const link = await callStripe('create the onboarding link', () => stripe.accountLinks.create({ account, type: 'account_onboarding', return_url: urls.returnUrl, refresh_url: urls.refreshUrl }))
  return { url: link.url, accountId: account }
}

/**
 * Stores what `account` says (charges, payouts, requirements) unless a newer event was applied; records
 * `payments_account.updated` in the same transaction. Answers false when it was older than what is stored.
 */
export async function applyAccount(tx: Database, tenantId: string, account: Stripe.Account, eventAt: number): Promise<boolean> {
  const [updated] = await tx
    .update(tenantBilling)
    .set({
      chargesEnabled: account.charges_enabled,
      payoutsEnabled: account.payouts_enabled,
      requirementsDue: account.requirements?.currently_due ?? [],
      accountEventAt: eventAt,
      updatedAt: new Date(),
    })
    .where(and(eq(tenantBilling.tenantId, tenantId), eq(tenantBilling.connectAccountId, account.id), or(isNull(tenantBilling.accountEventAt), lte(tenantBilling.accountEventAt, eventAt))))
    .returning({ tenantId: tenantBilling.tenantId })
  if (!updated) return false
  await recordEvent(tx, {
    tenantId,
    type: 'payments_account.updated',
    subjectType: 'payments_account',
    subjectId: account.id,
    data: { chargesEnabled: account.charges_enabled, payoutsEnabled: account.payouts_enabled, requirementsDue: account.requirements?.currently_due ?? [] },
  })
  return true
}

/** The shop's account status; with an account, re-read from Stripe (and stored) so the page never shows a stale state. */
export async function connectStatus(db: Database, stripe: Stripe, tenantId: string): Promise<ConnectStatus> {
  const row = await billingRow(db, tenantId)
  const accountId = row?.connectAccountId
  if (!accountId) return { accountId: null, chargesEnabled: false, payoutsEnabled: false, requirementsDue: [] }
  const account = await callStripe('read the connected account', () => stripe.accounts.retrieve(accountId))
  await db
    .update(tenantBilling)
    .set({ chargesEnabled: account.charges_enabled, payoutsEnabled: account.payouts_enabled, requirementsDue: account.requirements?.currently_due ?? [], updatedAt: new Date() })
    .where(eq(tenantBilling.tenantId, tenantId))
  return { accountId, chargesEnabled: account.charges_enabled, payoutsEnabled: account.payouts_enabled, requirementsDue: account.requirements?.currently_due ?? [] }
}
