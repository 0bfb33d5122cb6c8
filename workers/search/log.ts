// The search log: one row per search, and the analytics read from it (daily counts, top text queries,
// zero-result rate, latency percentiles).
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { searchLog, type SearchKind } from '../db/schema/search'

/** What one search did, as logged. */
export interface SearchLogEntry {
  tenantId: string
  kind: SearchKind
  queryText: string | null
  resultCount: number
  topScore: number | null
  detectedCategoryId: string | null
  tookMs: number
  cacheHit: boolean
}

/** Appends one search to the log. */
export async function logSearch(db: Database, entry: SearchLogEntry): Promise<void> {
  await db.insert(searchLog).values({ ...entry, tookMs: Math.round(entry.tookMs) })
}

/** Search analytics of one tenant over `[from, to]` (UTC days, inclusive). */
export async function searchAnalytics(db: Database, tenantId: string, from: string, to: string, topQueries: number) {
  const range = sql`tenant_id = ${tenantId} and created_at >= ${from}::date and created_at < ${to}::date + 1`
  const [days, queries, totals] = await Promise.all([
    queryRows<{ day: string; searches: number; image: number; text: number; similar: number; zeroResults: number }>(
      db,
      sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as searches,
          count(*) filter (where kind = 'image')::int as image, count(*) filter (where kind = 'text')::int as text,
          count(*) filter (where kind = 'similar')::int as similar, count(*) filter (where result_count = 0)::int as "zeroResults"
        from search_log where ${range} group by 1 order by 1`,
    ),
    queryRows<{ query: string; searches: number; zeroResults: number }>(
      db,
      sql`select query_text as query, count(*)::int as searches, count(*) filter (where result_count = 0)::int as "zeroResults"
        from search_log where ${range} and kind = 'text' and query_text is not null
        group by query_text order by count(*) desc, query_text limit ${topQueries}`,
    ),
    queryRows<{ searches: number; zeroResults: number; cacheHits: number; p50: number | null; p95: number | null; p99: number | null }>(
      db,
      sql`select count(*)::int as searches, count(*) filter (where result_count = 0)::int as "zeroResults", count(*) filter (where cache_hit)::int as "cacheHits",
          percentile_cont(0.5) within group (order by took_ms)::float8 as p50, percentile_cont(0.95) within group (order by took_ms)::float8 as p95,
          percentile_cont(0.99) within group (order by took_ms)::float8 as p99
        from search_log where ${range}`,
    ),
  ])
  const total = totals[0] ?? { searches: 0, zeroResults: 0, cacheHits: 0, p50: null, p95: null, p99: null }
  const rate = (n: number) => (total.searches === 0 ? 0 : n / total.searches)
  return {
    from,
    to,
    searches: total.searches,
    zeroResultRate: rate(total.zeroResults),
    cacheHitRate: rate(total.cacheHits),
    latencyMs: { p50: total.p50, p95: total.p95, p99: total.p99 },
    days,
    topQueries: queries,
  }
}
