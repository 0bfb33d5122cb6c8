// The pass over a tenant's `events` that the webhook endpoint and notifier objects share. Its cursor is the event's
// writing transaction and id `(xact_id, id)`, and it only moves over transactions below the snapshot's xmin
// (`pg_snapshot_xmin(pg_current_snapshot())`): every transaction there has finished, so no event can appear behind
// the cursor later and nothing has to be read twice. Consumers still key by event id, so a re-read would be harmless.
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Database } from '../../workers/db/client'
import { PULL_BATCH } from '../webhook-endpoint/postgres'
import { readMeta, writeMeta, type QueuedEvent } from '../webhook-endpoint/store'

/**
 * How far before a starting time a cursor begins: a notifier's first wake-up reads the last minute, and a
 * `(created_at, id)` cursor stored before migration 0024 restarts from its time minus this (events are dated when their
 * transaction starts, and the old passes looked this far behind their cursor).
 */
export const CURSOR_START_MARGIN_MS = 60_000
/** First delay before another pass when events wait behind a transaction still open; it doubles while passes take nothing. */
export const REPASS_MIN_MS = 50
/** Longest delay between those passes: an event held back by someone else's open transaction goes out this soon after it ends. */
export const REPASS_MAX_MS = 500
/** Pages of events one pass reads before it yields (the caller runs another pass). */
const PULL_BATCHES_PER_PASS = 25
/** Below every real event id: `(x, NIL_UUID)` as a strict lower bound takes every event of transaction `x`. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000'

/** A position among the tenant's events: strictly after transaction `xact` (xid8 as text) and event `id`. */
export interface XactCursor {
  xact: string
  id: string
}

/** What one pass reads: the tenant, the event types taken (`*` for all), and the oldest creation time taken. */
export interface CursorPass {
  tenantId: string
  types: string[]
  floorMs: number
}

/** How a pass went: whether it read everything final, whether events wait behind an open transaction, how many it took. */
export interface PassOutcome {
  /** False when more pages wait than one pass reads. */
  drained: boolean
  /** Committed events of the pass's types exist at or past the horizon (an older transaction was still open). */
  waiting: boolean
  taken: number
}

interface PageRow {
  id: string | null
  type: string | null
  data: unknown
  xact: string | null
  ms: string | null
  horizon: string | null
  waiting: boolean | null
}

function typeFilter(types: string[]): SQL {
  return types.includes('*') ? sql`` : sql`and type = any(${`{${types.join(',')}}`}::text[])`
}

/**
 * The lower bound of a page: after the stored cursor, or for an object with none (yet) before every event created since
 * `fromMs` and every transaction still open (whose events are not visible yet), so nothing created since then is skipped.
 */
function lowerBound(tenantId: string, from: XactCursor | { fromMs: number }): SQL {
  if ('xact' in from) return sql`(${from.xact}::xid8, ${from.id}::uuid)`
  const oldest = sql`(select min(xact_id) from events where tenant_id = ${tenantId}::uuid and created_at >= to_timestamp(${from.fromMs / 1000}))`
  return sql`((select least(${oldest}, xmin) from horizon), ${NIL_UUID}::uuid)`
}

/**
 * One page of the events after `after` whose transaction is below the horizon, in `(xact_id, id)` order, plus the
 * horizon itself and whether committed events of these types wait at or past it, in one query. The waiting check is
 * an ordered `limit 1` so it walks the `(tenant_id, xact_id, id)` index from the horizon (an `exists` was planned as a
 * sequential scan).
 */
async function readPage(db: Database, pass: CursorPass, after: XactCursor | { fromMs: number }): Promise<{ events: QueuedEvent[]; last: XactCursor | null; full: boolean; horizon: string; waiting: boolean }> {
  const types = typeFilter(pass.types)
  const rows = await queryRows<PageRow>(
    db,
    sql`with horizon as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
        page as (
          select xact_id, id, type, data, created_at from events
          where tenant_id = ${pass.tenantId}::uuid and (xact_id, id) > ${lowerBound(pass.tenantId, after)} and xact_id < (select xmin from horizon)
            and created_at >= to_timestamp(${pass.floorMs / 1000}) ${types}
          order by xact_id, id limit ${PULL_BATCH})
        select 1 as part, xact_id as sort_xact, id, type, data, xact_id::text as xact, (extract(epoch from created_at) * 1000)::text as ms,
          null::text as horizon, null::boolean as waiting from page
        union all
        select 2, null, null, null, null, null, null, h.xmin::text,
          (select xact_id from events where tenant_id = ${pass.tenantId}::uuid and xact_id >= h.xmin ${types} order by xact_id limit 1) is not null from horizon h
        order by part, sort_xact, id`,
  )
  const summary = rows.at(-1)
  if (!summary?.horizon) throw new Error('no snapshot horizon')
  const found = rows.slice(0, -1)
  const events = found.map((r) => ({ id: r.id ?? '', type: r.type ?? '', createdAt: Math.floor(Number(r.ms)), data: r.data }))
  const last = found.at(-1)
  return { events, last: last?.xact && last.id ? { xact: last.xact, id: last.id } : null, full: found.length === PULL_BATCH, horizon: summary.horizon, waiting: summary.waiting === true }
}

/** The stored cursor, or where to start one: a `(created_at, id)` cursor from before migration 0024 restarts near its time. */
function storedCursor(sql: SqlStorage, floorMs: number): XactCursor | { fromMs: number } {
  const stored = readMeta(sql, 'cursor')
  const parsed = stored ? (JSON.parse(stored) as Partial<XactCursor> & { ms?: number }) : undefined
  if (parsed?.xact && parsed.id) return { xact: parsed.xact, id: parsed.id }
  if (parsed?.ms !== undefined) return { fromMs: Math.max(floorMs, parsed.ms - CURSOR_START_MARGIN_MS) }
  return { fromMs: floorMs }
}

/**
 * Hands `take` the finished events after the stored cursor page by page and moves the cursor past each page once
 * `take` has it; after the last page the cursor moves up to the horizon, so events of other types are not read again.
 */
export async function pullAfterCursor(db: Database, sql: SqlStorage, pass: CursorPass, take: (events: QueuedEvent[]) => Promise<void> | void): Promise<PassOutcome> {
  let cursor = storedCursor(sql, pass.floorMs)
  let taken = 0
  for (let batch = 0; batch < PULL_BATCHES_PER_PASS; batch += 1) {
    const page = await readPage(db, pass, cursor)
    await take(page.events)
    taken += page.events.length
    cursor = page.full && page.last ? page.last : { xact: page.horizon, id: NIL_UUID }
    writeMeta(sql, 'cursor', JSON.stringify(cursor))
    if (!page.full) return { drained: true, waiting: page.waiting, taken }
  }
  return { drained: false, waiting: false, taken }
}

/**
 * When to pass again for events waiting behind an open transaction: null when none wait, soon after a pass that took
 * something (the flow moves), and twice the previous delay (up to REPASS_MAX_MS) after one that took nothing.
 */
export function repassDelay(previousMs: number | null, outcome: PassOutcome): number | null {
  if (!outcome.waiting) return null
  if (previousMs === null || outcome.taken > 0) return REPASS_MIN_MS
  return Math.min(REPASS_MAX_MS, previousMs * 2)
}
