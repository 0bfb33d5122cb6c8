// The pass over a tenant's `events` that the webhook endpoint and notifier objects share: read the events after the
// object's cursor (kept in its `meta` table) and a look-back window behind it again for transactions that committed
// after newer ones (2 s on every pass, 60 s on a sweep); each consumer keys what it makes by event id, so reading an
// event twice is harmless.
import type { Database } from '../../workers/db/client'
import { pullEvents, type EventCursor } from '../webhook-endpoint/postgres'
import { readMeta, writeMeta, type QueuedEvent } from '../webhook-endpoint/store'

/** How far a sweep looks behind the cursor for events whose transaction committed after newer ones. */
export const LOOKBACK_MS = 60_000
/**
 * How far every other pass looks behind the cursor: a transaction committing up to this long after a newer one is
 * found on the next pass instead of waiting for the sweep. Events are dated when their transaction starts.
 */
export const RECENT_LOOKBACK_MS = 2_000
/** Pages of events one pass reads before it yields (the caller runs another pass). */
const PULL_BATCHES_PER_PASS = 25
/** Pages of the recent window a pass reads again; a later commit beyond them waits for the sweep. */
const RECENT_LOOKBACK_PAGES = 3

/** What one pass reads: the tenant, the event types taken (`*` for all), the oldest time taken, and whether it sweeps. */
export interface CursorPass {
  tenantId: string
  types: string[]
  floorMs: number
  sweep: boolean
}

/**
 * Hands `take` the events after the stored cursor page by page (first, on a sweep, the look-back window behind it) and
 * moves the cursor past each page once `take` has it; answers false when more pages wait than one pass reads.
 */
export async function pullAfterCursor(db: Database, sql: SqlStorage, pass: CursorPass, take: (events: QueuedEvent[]) => Promise<void> | void): Promise<boolean> {
  const stored = readMeta(sql, 'cursor')
  const cursor = stored ? (JSON.parse(stored) as EventCursor & { ms?: number }) : undefined
  if (cursor?.ms !== undefined) {
    const lookback = pass.sweep ? { ms: LOOKBACK_MS, pages: PULL_BATCHES_PER_PASS } : { ms: RECENT_LOOKBACK_MS, pages: RECENT_LOOKBACK_PAGES }
    let after: EventCursor | undefined
    for (let batch = 0; batch < lookback.pages; batch += 1) {
      const page = await pullEvents(db, pass.tenantId, pass.types, { after, fromMs: Math.max(pass.floorMs, cursor.ms - lookback.ms), untilCursor: cursor })
      await take(page.events)
      if (!page.full || !page.last) break
      after = page.last
    }
  }
  let after: EventCursor | undefined = cursor
  for (let batch = 0; batch < PULL_BATCHES_PER_PASS; batch += 1) {
    const page = await pullEvents(db, pass.tenantId, pass.types, { after, fromMs: pass.floorMs })
    await take(page.events)
    const last = page.events.at(-1)
    if (page.last && last) writeMeta(sql, 'cursor', JSON.stringify({ ...page.last, ms: last.createdAt }))
    if (!page.full || !page.last) return true
    after = page.last
  }
  return false
}
