// GET /v1/analytics/searches: what shoppers searched for — per-day counts by kind, top text queries, the zero-result
// rate and latency percentiles, from the search log.
import { createRoute, z } from '@hono/zod-openapi'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonResponse } from '../lib/openapi'
import { requireScope } from '../middleware/authenticate'
import { searchAnalytics } from '../search/log'

const DEFAULT_RANGE_DAYS = 30
const MAX_RANGE_DAYS = 366
const DAY_MS = 86_400_000

const QuerySchema = z.object({
  from: z.iso.date().optional().openapi({ description: `First UTC day (default ${DEFAULT_RANGE_DAYS - 1} days before \`to\`)` }),
  to: z.iso.date().optional().openapi({ description: 'Last UTC day, inclusive (default today)' }),
  top: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'How many top text queries (default 10)' }),
})

const AnalyticsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    searches: z.number().int(),
    zeroResultRate: z.number(),
    cacheHitRate: z.number(),
    latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
    days: z.array(z.object({ day: z.string(), searches: z.number().int(), image: z.number().int(), text: z.number().int(), similar: z.number().int(), zeroResults: z.number().int() })),
    topQueries: z.array(z.object({ query: z.string(), searches: z.number().int(), zeroResults: z.number().int() })),
  })
  .openapi('SearchAnalytics')

const route = createRoute({
  method: 'get',
  path: '/v1/analytics/searches',
  tags: ['Search'],
  summary: 'Search analytics: per-day counts, top text queries, zero-result rate, latency percentiles',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: QuerySchema },
  responses: { 200: jsonResponse('Analytics of the range', AnalyticsSchema), 400: errorResponse('Bad range') },
})

export const analyticsRoutes = createRouter().openapi(route, async (c) => {
  const query = c.req.valid('query')
  const to = query.to ?? new Date().toISOString().slice(0, 10)
  const from = query.from ?? new Date(Date.parse(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10)
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS
  if (days < 0 || days >= MAX_RANGE_DAYS) {
    throw new ApiError('invalid_request', `from must not be after to, and the range at most ${MAX_RANGE_DAYS} days`, { details: [{ in: 'query', path: 'from', message: 'bad range', code: 'custom' }] })
  }
  return c.json(await searchAnalytics(c.var.db.get(), c.var.caller.tenantId, from, to, query.top ?? 10), 200)
})
