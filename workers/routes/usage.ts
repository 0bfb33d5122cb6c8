// Metered usage of the caller's tenant per day and resource, with the plan's limits beside it.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm'
import { USAGE_RESOURCES, usageDaily, type UsageResource } from '../db/schema/activity'
import { effectivePlanId } from '../billing/effective-plan'
import { plans } from '../db/schema/plans'
import { tenants } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../lib/openapi'
import { requireScope } from '../middleware/authenticate'

const MAX_RANGE_DAYS = 366
const DateSchema = z.iso.date().openapi({ example: '2026-11-01' })

const PlanSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    priceCents: z.number(),
    currency: z.string(),
    requestsPerMinute: z.number(),
    requestsPerDay: z.number().nullable().openapi({ description: 'Per API key and UTC day; null: no daily cap' }),
    monthlySearches: z.number().nullable(),
    monthlyEmbeddings: z.number().nullable(),
    monthlyChatMessages: z.number().nullable(),
  })
  .openapi('Plan')

const UsageSchema = z
  .object({
    from: DateSchema,
    to: DateSchema,
    plan: PlanSchema,
    totals: z.record(z.enum(USAGE_RESOURCES), z.number()),
    daily: z.array(z.object({ day: DateSchema, resource: z.enum(USAGE_RESOURCES), count: z.number() })),
  })
  .openapi('Usage')

const route = createRoute({
  method: 'get',
  path: '/v1/usage',
  tags: ['Usage'],
  summary: 'Usage per day and resource (defaults to this month); counters reach it within seconds',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: z.object({ from: DateSchema.optional(), to: DateSchema.optional() }) },
  responses: { 200: { description: 'Usage', content: { 'application/json': { schema: UsageSchema } } }, 400: errorResponse('Bad range') },
})

export const usageRoutes = createRouter().openapi(route, async (c) => {
  const query = c.req.valid('query')
  const today = new Date().toISOString().slice(0, 10)
  const from = query.from ?? `${today.slice(0, 7)}-01`
  const to = query.to ?? today
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000
  if (days < 0 || days > MAX_RANGE_DAYS) {
    throw new ApiError('invalid_request', `from must not be after to, and the range at most ${MAX_RANGE_DAYS} days`, {
      details: [{ in: 'query', path: 'from', message: 'bad range', code: 'custom' }],
    })
  }
  const db = c.var.db.get()
  const tenantId = c.var.caller.tenantId
  const [planRows, daily] = await Promise.all([
    db
      .select({
        id: plans.id,
        name: plans.name,
        priceCents: plans.priceCents,
        currency: plans.currency,
        requestsPerMinute: plans.requestsPerMinute,
        requestsPerDay: plans.requestsPerDay,
        monthlySearches: plans.monthlySearches,
        monthlyEmbeddings: plans.monthlyEmbeddings,
        monthlyChatMessages: plans.monthlyChatMessages,
      })
      .from(tenants)
      .innerJoin(plans, eq(plans.id, effectivePlanId(tenants.id, tenants.plan)))
      .where(eq(tenants.id, tenantId)),
    db
      .select({ day: usageDaily.day, resource: usageDaily.resource, count: sql<number>`sum(${usageDaily.count})::int` })
      .from(usageDaily)
      .where(and(eq(usageDaily.tenantId, tenantId), gte(usageDaily.day, from), lte(usageDaily.day, to)))
      .groupBy(usageDaily.day, usageDaily.resource)
      .orderBy(asc(usageDaily.day), asc(usageDaily.resource)),
  ])
  const [plan] = planRows
  if (!plan) throw new ApiError('not_found', 'Tenant not found')
  const totals: Record<UsageResource, number> = { api_requests: 0, searches: 0, embeddings: 0, chat_messages: 0 }
  for (const d of daily) totals[d.resource] += d.count
  return c.json({ from, to, plan, totals, daily }, 200)
})
