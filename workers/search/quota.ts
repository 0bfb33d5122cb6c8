// Each search counts against the tenant's monthly `searches` quota, kept exactly by the tenant's RateLimiter object.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { ApiError } from '../lib/errors'

/** Consumes one search from the tenant's plan; 429 `quota_exceeded` naming the plan when the month's quota is spent. */
export async function consumeSearchQuota(env: Env, db: Database, tenantId: string): Promise<void> {
  const [plan] = await queryRows<{ id: string; monthlySearches: number | null }>(
    db,
    sql`select p.id, p.monthly_searches as "monthlySearches" from tenants t join plans p on p.id = t.plan where t.id = ${tenantId}`,
  )
  if (!plan) throw new Error(`tenant ${tenantId} has no plan`)
  const result = await env.RATE_LIMITER.getByName(`tenant:${tenantId}`).consumeQuota(tenantId, 'searches', plan.monthlySearches)
  if (!result.allowed) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(result.resetAt) - Date.now()) / 1000))
    throw new ApiError('quota_exceeded', `The ${plan.id} plan's ${plan.monthlySearches ?? 0} searches this month are used up`, {
      details: { plan: plan.id, resource: 'searches', limit: result.limit, used: result.used, resetAt: result.resetAt },
      headers: { 'Retry-After': String(retryAfter) },
    })
  }
}
