// The plan whose limits a tenant gets: `tenants.plan`, except once a past-due subscription's grace period is over, when
// starter applies until the subscription is paid or ends (no timer needed: every limit lookup asks Postgres this way).
import { sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'

/** The plan every tenant falls back to: free, never billed. */
export const FREE_PLAN = 'starter'

/** SQL for the effective plan id of the tenant row whose id and plan columns are given (columns or raw SQL of an alias). */
export function effectivePlanId(tenantId: AnyPgColumn | SQL, plan: AnyPgColumn | SQL): SQL<string> {
  return sql<string>`(case when exists (select 1 from tenant_billing b where b.tenant_id = ${tenantId} and b.downgrade_at <= now()) then ${FREE_PLAN} else ${plan} end)`
}
