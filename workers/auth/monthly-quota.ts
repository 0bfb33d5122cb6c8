// Metered work (a search, a chat message) counts against the tenant's monthly quota of that resource, kept exactly by
// the tenant's RateLimiter object; the limit is the plan's column for the resource.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { ApiError } from '../lib/errors'

/** Each metered resource with its plan column and the words the 429 uses. */
const QUOTAS = {
  searches: { column: sql.raw('p.monthly_searches'), noun: 'searches' },
  chat_messages: { column: sql.raw('p.monthly_chat_messages'), noun: 'chat messages' },
} as const

/** Consumes one unit of `resource` from the tenant's plan; 429 `quota_exceeded` naming the plan when the month's quota is spent. */
export async function consumeMonthlyQuota(env: Env, db: Database, tenantId: string, resource: keyof typeof QUOTAS): Promise<void> {
  const { column, noun } = QUOTAS[resource]
  const [plan] = await queryRows<{ id: string; monthly: number | null }>(db, sql`select p.id, ${column} as "monthly" from tenants t join plans p on p.id = t.plan where t.id = ${tenantId}`)
  if (!plan) throw new Error(`tenant ${tenantId} has no plan`)
  const result = await env.RATE_LIMITER.getByName(`tenant:${tenantId}`).consumeQuota(tenantId, resource, plan.monthly)
  if (!result.allowed) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(result.resetAt) - Date.now()) / 1000))
    throw new ApiError('quota_exceeded', `The ${plan.id} plan's ${plan.monthly ?? 0} ${noun} this month are used up`, {
      details: { plan: plan.id, resource, limit: result.limit, used: result.used, resetAt: result.resetAt },
      headers: { 'Retry-After': String(retryAfter) },
    })
  }
}
