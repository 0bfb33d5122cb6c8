// Publishes levels to the Postgres read model (`inventory_levels`) and queued stock events to `events` from the SQLite
// outbox; the object stays the source of truth.
import { sql as pgSql } from 'drizzle-orm'
import { createDatabase, type DatabaseConfig } from '../../workers/db/client'
import { inventoryLevels } from '../../workers/db/schema'
import { events, type DOMAIN_EVENT_TYPES } from '../../workers/db/schema/events'
import { dropEvents, hasQueuedEvents, queuedEvents } from './domain-events'
import type { LevelRow } from './levels'
import { FLUSH_BATCH_SIZE, FLUSH_RETRY_BASE_MS, FLUSH_RETRY_MAX_MS } from './limits'
import { readMeta, writeMeta } from './schema'

/** What one flush did. */
export type FlushOutcome =
  | { status: 'idle' }
  | { status: 'flushed'; count: number; remaining: number; events: string[] }
  | { status: 'failed'; message: string; failures: number; retryAt: number }

const FAILURES_KEY = 'flush_failures'
const RETRY_AT_KEY = 'flush_retry_at'

/** Levels waiting to be published. */
export function outboxSize(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('select count(*) as n from outbox').one().n
}

/** Whether any level or event waits to be published. */
export function hasQueuedLevels(sql: SqlStorage): boolean {
  return sql.exec('select 1 from outbox limit 1').toArray().length > 0 || hasQueuedEvents(sql)
}

/** The earliest time the next flush may run: now, or later while backing off after failures. */
export function flushRetryAt(sql: SqlStorage): number {
  return Number(readMeta(sql, RETRY_AT_KEY) ?? 0)
}

/** The backoff after `failures` failed flushes in a row. */
export function flushBackoffMs(failures: number): number {
  return Math.min(FLUSH_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), FLUSH_RETRY_MAX_MS)
}

/**
 * Upserts up to one batch of queued levels into Postgres (a row only ever moves to a higher version, so a
 * retried flush is harmless), then removes from the outbox the entries it published unless they changed meanwhile.
 * A failure keeps the outbox and records the backoff; the client is closed after every attempt.
 */
export async function flushOutbox(storage: DurableObjectStorage, tenantId: string, database: DatabaseConfig, now: number): Promise<FlushOutcome> {
  const sql = storage.sql
  const batch = sql
    .exec<LevelRow>('select l.* from outbox o join levels l using (sku, location) order by o.sku, o.location limit ?', FLUSH_BATCH_SIZE)
    .toArray()
  const eventBatch = queuedEvents(sql, FLUSH_BATCH_SIZE)
  if (batch.length === 0 && eventBatch.length === 0) return { status: 'idle' }
  const client = createDatabase(database)
  try {
    if (eventBatch.length > 0) {
      await client.db
        .insert(events)
        .values(
          eventBatch.map((e, i) => ({
            id: e.id,
            /** One microsecond apart, so the batch keeps its order for every reader that sorts by (created_at, id). */
            createdAt: pgSql`now() + make_interval(secs => ${i}::int / 1000000.0)`,
            tenantId,
            type: e.type satisfies (typeof DOMAIN_EVENT_TYPES)[number],
            subjectType: e.subject_type,
            subjectId: e.subject_id,
            data: JSON.parse(e.data) as Record<string, unknown>,
          })),
        )
        .onConflictDoNothing({ target: events.id })
    }
    if (batch.length > 0) await client.db
      .insert(inventoryLevels)
      .values(
        batch.map((row) => ({
          tenantId,
          sku: row.sku,
          location: row.location,
          onHand: row.on_hand,
          reserved: row.reserved,
          available: row.on_hand - row.reserved,
          lowStockThreshold: row.low_stock_threshold,
          version: row.version,
          updatedAt: new Date(row.updated_at),
        })),
      )
      .onConflictDoUpdate({
        target: [inventoryLevels.tenantId, inventoryLevels.sku, inventoryLevels.location],
        set: {
          onHand: pgSql`excluded.on_hand`,
          reserved: pgSql`excluded.reserved`,
          available: pgSql`excluded.available`,
          lowStockThreshold: pgSql`excluded.low_stock_threshold`,
          version: pgSql`excluded.version`,
          updatedAt: pgSql`excluded.updated_at`,
        },
        setWhere: pgSql`${inventoryLevels.version} < excluded.version`,
      })
  } catch (error) {
    const failures = Number(readMeta(sql, FAILURES_KEY) ?? 0) + 1
    const retryAt = now + flushBackoffMs(failures)
    storage.transactionSync(() => {
      writeMeta(sql, FAILURES_KEY, String(failures))
      writeMeta(sql, RETRY_AT_KEY, String(retryAt))
    })
    return { status: 'failed', message: error instanceof Error ? error.message : String(error), failures, retryAt }
  } finally {
    await client.close().catch(() => undefined)
  }
  storage.transactionSync(() => {
    for (const row of batch) sql.exec('delete from outbox where sku = ? and location = ? and version <= ?', row.sku, row.location, row.version)
    dropEvents(sql, eventBatch.map((e) => e.id))
    sql.exec('delete from meta where key in (?, ?)', FAILURES_KEY, RETRY_AT_KEY)
  })
  const remaining = outboxSize(sql) + (hasQueuedEvents(sql) ? 1 : 0)
  return { status: 'flushed', count: batch.length, remaining, events: [...new Set(eventBatch.map((e) => e.type))] }
}
