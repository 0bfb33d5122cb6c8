// Each gateway call counts against the tenant's monthly `chat_messages` quota, kept exactly by its RateLimiter object.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { ApiError } from '../lib/errors'

/** Consumes one chat message from the tenant's plan; 429 `quota_exceeded` when the month's quota is spent. */
export async function consumeChatQuota(env: Env, db: Database, tenantId: string): Promise<void> {
  const [plan] = await queryRows<{ id: string; monthly: number | null }>(
    db,
    sql`select p.id, p.monthly_chat_messages as "monthly" from tenants t join plans p on p.id = t.plan where t.id = ${tenantId}`,
  )
  if (!plan) throw new Error(`tenant ${tenantId} has no plan`)
  const result = await env.RATE_LIMITER.getByName(`tenant:${tenantId}`).consumeQuota(tenantId, 'chat_messages', plan.monthly)
  if (!result.allowed) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(result.resetAt) - Date.now()) / 1000))
    throw new ApiError('quota_exceeded', `The ${plan.id} plan's ${plan.monthly ?? 0} chat messages this month are used up`, {
      details: { plan: plan.id, resource: 'chat_messages', limit: result.limit, used: result.used, resetAt: result.resetAt },
      headers: { 'Retry-After': String(retryAfter) },
    })
  }
}
