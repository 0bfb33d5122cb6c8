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

/** One unit consumed; `refund` gives it back when the work it paid for could not be done. */
export interface QuotaHold {
  refund(): Promise<void>
}

/**
 * Consumes one unit of `resource` from the tenant's plan; 429 `quota_exceeded` naming the plan when the month's quota is
 * spent. Consuming before the work keeps concurrent calls from overspending; the caller refunds when the work fails.
 */
export async function consumeMonthlyQuota(env: Env, db: Database, tenantId: string, resource: keyof typeof QUOTAS): Promise<QuotaHold> {
  const { column, noun } = QUOTAS[resource]
  const [plan] = await queryRows<{ id: string; monthly: number | null }>(db, sql`select p.id, ${column} as "monthly" from tenants t join plans p on p.id = t.plan where t.id = ${tenantId}`)
  if (!plan) throw new Error(`tenant ${tenantId} has no plan`)
  const limiter = env.RATE_LIMITER.getByName(`tenant:${tenantId}`)
  const result = await limiter.consumeQuota(tenantId, resource, plan.monthly)
  if (!result.allowed) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(result.resetAt) - Date.now()) / 1000))
    throw new ApiError('quota_exceeded', `The ${plan.id} plan's ${plan.monthly ?? 0} ${noun} this month are used up`, {
      details: { plan: plan.id, resource, limit: result.limit, used: result.used, resetAt: result.resetAt },
      headers: { 'Retry-After': String(retryAfter) },
    })
  }
  return { refund: () => limiter.refundQuota(tenantId, resource, result.charged) }
}

/** Runs `work` paid for by `hold`; if it throws, the unit is refunded before the error goes on. */
export async function chargedFor<T>(hold: QuotaHold, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    await hold.refund()
    throw error
  }
}
