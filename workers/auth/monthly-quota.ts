// Metered work (a search, a chat message) counts against the tenant's monthly quota of that resource, kept exactly by
// the tenant's RateLimiter object; the limit is the plan's column for the resource, read through a short isolate cache.
import { sql } from 'drizzle-orm'
import type { QuotaCharge, QuotaResult } from '../../durable-objects/rate-limiter/types'
import { effectivePlanId } from '../billing/effective-plan'
import { queryRows, type Database } from '../db/client'
import { ApiError } from '../lib/errors'
import { IsolateCache } from '../lib/isolate-cache'

/** Each metered resource with the words the 429 uses. */
const NOUNS = { searches: 'searches', chat_messages: 'chat messages' } as const
type MeteredResource = keyof typeof NOUNS

/** The tenant's plan and its monthly limits (null: unlimited). */
interface PlanQuotas {
  id: string
  monthly: Record<MeteredResource, number | null>
}

/** How long an isolate keeps a tenant's plan limits; a plan change reaches every isolate within this time. */
export const PLAN_QUOTA_CACHE_TTL_SECONDS = 30
const planCache = new IsolateCache<PlanQuotas>(PLAN_QUOTA_CACHE_TTL_SECONDS * 1000)

async function loadPlanQuotas(db: Database, tenantId: string): Promise<PlanQuotas> {
  const [plan] = await queryRows<{ id: string; searches: number | null; chatMessages: number | null }>(
    db,
    sql`select p.id, p.monthly_searches as "searches", p.monthly_chat_messages as "chatMessages" from tenants t join plans p on p.id = ${effectivePlanId(sql`t.id`, sql`t.plan`)} where t.id = ${tenantId}`,
  )
  if (!plan) throw new Error(`tenant ${tenantId} has no plan`)
  return { id: plan.id, monthly: { searches: plan.searches, chat_messages: plan.chatMessages } }
}

/** Drops the tenant's cached plan limits in this isolate, after a plan change made here (others follow within the TTL). */
export function forgetPlanQuotas(tenantId: string): void {
  planCache.delete(tenantId)
}

/** One unit consumed; `refund` gives it back when the work it paid for could not be done. */
export interface QuotaHold {
  refund(): Promise<void>
}

/**
 * Consumes one unit of `resource` from the tenant's plan; 429 `quota_exceeded` naming the plan when the month's quota is
 * spent. Consuming before the work keeps concurrent calls from overspending; the caller refunds when the work fails.
 */
export async function consumeMonthlyQuota(env: Env, db: () => Database, tenantId: string, resource: MeteredResource): Promise<QuotaHold> {
  const { plan, limit, limiter } = await planLimit(env, db, tenantId, resource)
  const result = await limiter.consumeQuota(tenantId, resource, limit)
  if (!result.allowed) throw quotaExceeded(plan, resource, limit, result)
  return { refund: () => limiter.refundQuota(tenantId, resource, result.charged) }
}

/** Units of a monthly quota taken ahead of the work; the holder gives back what it does not spend with `refundQuota`. */
export interface QuotaLeaseGrant {
  units: number
  /** The month and day the units were counted in, where a give-back must return them. */
  charged: QuotaCharge
}

/**
 * Takes a lease of up to `wanted` units of `resource` (the RateLimiter grants less near the limit, see `leaseQuota`);
 * 429 `quota_exceeded` naming the plan, as {@link consumeMonthlyQuota}, when the month's quota is spent.
 */
export async function leaseMonthlyQuota(env: Env, db: () => Database, tenantId: string, resource: MeteredResource, wanted: number): Promise<QuotaLeaseGrant> {
  const { plan, limit, limiter } = await planLimit(env, db, tenantId, resource)
  const result = await limiter.leaseQuota(tenantId, resource, limit, wanted)
  if (!result.allowed) throw quotaExceeded(plan, resource, limit, result)
  return { units: result.granted, charged: result.charged }
}

/** Gives `units` of a lease back to the month and day they were counted in. */
export async function returnMonthlyQuota(env: Env, tenantId: string, resource: MeteredResource, charged: QuotaCharge, units: number): Promise<void> {
  await env.RATE_LIMITER.getByName(`tenant:${tenantId}`).refundQuota(tenantId, resource, charged, units)
}

async function planLimit(env: Env, db: () => Database, tenantId: string, resource: MeteredResource) {
  const plan = await planCache.get(tenantId, () => loadPlanQuotas(db(), tenantId))
  return { plan, limit: plan.monthly[resource], limiter: env.RATE_LIMITER.getByName(`tenant:${tenantId}`) }
}

function quotaExceeded(plan: PlanQuotas, resource: MeteredResource, limit: number | null, result: QuotaResult): ApiError {
  const retryAfter = Math.max(1, Math.ceil((Date.parse(result.resetAt) - Date.now()) / 1000))
  return new ApiError('quota_exceeded', `The ${plan.id} plan's ${limit ?? 0} ${NOUNS[resource]} this month are used up`, {
    details: { plan: plan.id, resource, limit: result.limit, used: result.used, resetAt: result.resetAt },
    headers: { 'Retry-After': String(retryAfter) },
  })
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
