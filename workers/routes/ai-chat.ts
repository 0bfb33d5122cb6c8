// The tenant-facing AI gateway: an OpenAI-compatible chat completions endpoint and the usage it recorded.
import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'drizzle-orm'
import { planCall, releasePlan, runChat } from '../ai/gateway'
import { cachedProvidersFor } from '../ai/providers'
import { chargedFor, consumeMonthlyQuota } from '../auth/monthly-quota'
import type { ChatBody } from '../ai/types'
import { queryRows } from '../db/client'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { ServerTiming } from '../lib/server-timing'
import { requireScope } from '../middleware/authenticate'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/app-env'

const MAX_RANGE_DAYS = 366
const DateSchema = z.iso.date().openapi({ example: '2026-11-01' })

const ChatRequestSchema = z
  .object({
    messages: z.array(z.object({ role: z.string().min(1) }).loose()).min(1).max(1000),
    stream: z.boolean().optional(),
    model: z.string().optional().openapi({ description: 'Ignored: the tenant\'s provider order picks the model' }),
    tools: z.array(z.object({ type: z.string() }).loose()).max(128).optional(),
  })
  .loose()
  .openapi('ChatCompletionRequest')

const ChatCompletionSchema = z.object({ id: z.string().optional(), object: z.string().optional(), choices: z.array(z.unknown()) }).loose().openapi('ChatCompletion')

const UsageRowSchema = z.object({
  day: DateSchema,
  providerId: z.string(),
  provider: z.string(),
  model: z.string(),
  calls: z.number(),
  failures: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  p50LatencyMs: z.number().nullable(),
})

/** When each chat request reached this route, before authentication: the `auth` entry of its Server-Timing. */
const arrivals = new WeakMap<Request, number>()
const markArrival: MiddlewareHandler<AppEnv> = async (c, next) => {
  arrivals.set(c.req.raw, performance.now())
  await next()
}

const completions = createRoute({
  method: 'post',
  path: '/v1/ai/chat/completions',
  tags: ['AI'],
  summary: 'OpenAI-compatible chat completion (stream or not, tools passed through) across the tenant\'s providers with fallback',
  middleware: [markArrival, ...requireScope('write')],
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(ChatRequestSchema) },
  responses: {
    200: {
      description: 'The completion (JSON), or server-sent events ending in `[DONE]` (or an `error` event if the provider fails mid-answer)',
      content: { 'application/json': { schema: ChatCompletionSchema }, 'text/event-stream': { schema: z.string() } },
    },
    400: errorResponse('Invalid request, or the provider refused it'),
    401: errorResponse('No valid credential'),
    403: errorResponse('The credential lacks the write scope'),
    429: errorResponse('Rate limit or monthly chat quota reached'),
    503: errorResponse('No provider configured, or none could answer (Retry-After)'),
  },
})

const usage = createRoute({
  method: 'get',
  path: '/v1/ai/usage',
  tags: ['AI'],
  summary: 'AI calls summed by day, provider and model (defaults to this month); records arrive within seconds',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: z.object({ from: DateSchema.optional(), to: DateSchema.optional() }) },
  responses: {
    200: jsonResponse('Usage', z.object({ from: DateSchema, to: DateSchema, rows: z.array(UsageRowSchema) }).openapi('AiUsage')),
    400: errorResponse('Bad range'),
    401: errorResponse('No valid credential'),
    403: errorResponse('The credential lacks the read scope'),
  },
})

export const aiChatRoutes = createRouter()
  .openapi(completions, async (c) => {
    const body = c.req.valid('json') as ChatBody
    const tenantId = c.var.caller.tenantId
    const db = () => c.var.db.get()
    const timing = new ServerTiming()
    const arrived = arrivals.get(c.req.raw)
    if (arrived !== undefined) timing.add('auth', performance.now() - arrived)
    // The quota and the breaker are separate objects: both are asked at once (the provider list is warm in the isolate).
    const quota = timing.time('quota', () => consumeMonthlyQuota(c.env, db, tenantId, 'chat_messages'))
    const set = await timing.time('providers', () => cachedProvidersFor(c.env, db, tenantId)).catch(async (error: unknown) => {
      await quota.then((hold) => hold.refund()).catch(() => undefined)
      throw error
    })
    const [hold, plan] = await Promise.allSettled([quota, timing.time('breaker', () => planCall(c.env, tenantId, set))])
    if (hold.status === 'rejected') {
      if (plan.status === 'fulfilled') c.executionCtx.waitUntil(releasePlan(c.env, set, plan.value).catch(() => undefined))
      throw hold.reason
    }
    if (plan.status === 'rejected') {
      await hold.value.refund()
      throw plan.reason
    }
    // A call no provider answered gives its chat message back.
    const response = await chargedFor(hold.value, () =>
      runChat({ env: c.env, tenantId, set, body, signal: c.req.raw.signal, waitUntil: (p) => c.executionCtx.waitUntil(p), timing, plan: plan.value }),
    )
    return timing.apply(response) as never
  })
  .openapi(usage, async (c) => {
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
    const rows = await queryRows<z.infer<typeof UsageRowSchema>>(
      c.var.db.get(),
      sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as "day", provider_id as "providerId", max(provider_name) as "provider", model,
            count(*)::int as "calls", (count(*) filter (where outcome in ('failed', 'cut')))::int as "failures",
            coalesce(sum(tokens_in), 0)::int as "tokensIn", coalesce(sum(tokens_out), 0)::int as "tokensOut", coalesce(sum(cost_usd), 0)::float8 as "costUsd",
            (percentile_cont(0.5) within group (order by latency_ms) filter (where outcome = 'ok'))::float8 as "p50LatencyMs"
          from ai_usage
          where tenant_id = ${c.var.caller.tenantId} and created_at >= ${from}::date and created_at < ${to}::date + 1
          group by 1, 2, 4 order by 1, 3, 4`,
    )
    return c.json({ from, to, rows }, 200)
  })
