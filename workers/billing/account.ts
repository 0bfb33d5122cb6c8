// The tenant's row of Stripe state (`tenant_billing`): read it, create it, and find a tenant from a Stripe customer or
// connected account id, which is how webhook events name their tenant.
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { tenantBilling } from '../db/schema/billing'

export type TenantBillingRow = typeof tenantBilling.$inferSelect

/** The tenant's Stripe state, or undefined before anything was set up. */
export async function billingRow(db: Database, tenantId: string, lock = false): Promise<TenantBillingRow | undefined> {
  const query = db.select().from(tenantBilling).where(eq(tenantBilling.tenantId, tenantId))
  const [row] = lock ? await query.for('update') : await query
  return row
}

/** Creates the tenant's row when missing (idempotent) and answers it. */
export async function ensureBillingRow(db: Database, tenantId: string): Promise<TenantBillingRow> {
  await db.insert(tenantBilling).values({ tenantId }).onConflictDoNothing()
  const row = await billingRow(db, tenantId)
  if (!row) throw new Error(`no billing row for ${tenantId}`)
  return row
}

/** The tenant whose platform customer is `customerId`. */
export async function tenantOfCustomer(db: Database, customerId: string | null): Promise<string | null> {
  if (!customerId) return null
  const [row] = await db.select({ tenantId: tenantBilling.tenantId }).from(tenantBilling).where(eq(tenantBilling.stripeCustomerId, customerId))
  return row?.tenantId ?? null
}

/** The tenant whose connected account is `accountId`. */
export async function tenantOfAccount(db: Database, accountId: string | null | undefined): Promise<string | null> {
  if (!accountId) return null
  const [row] = await db.select({ tenantId: tenantBilling.tenantId }).from(tenantBilling).where(eq(tenantBilling.connectAccountId, accountId))
  return row?.tenantId ?? null
}

/** An id field of a Stripe object that may be expanded (`{id}`) or not (`"id"`). */
export function stripeId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null
  return typeof value === 'string' ? value : value.id
}
