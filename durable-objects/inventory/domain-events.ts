// Stock's domain events (`stock.low|out|restocked`, `reservation.expired`): queued in the object's SQLite inside the
// transaction of the change, then carried to Postgres `events` by the outbox flush (idempotent by event id), so none is lost.
import type { ChangeContext, LevelRow } from './levels'

/** Version of the `data` shape of every stock event; bump it only with a new, documented shape. */
export const STOCK_EVENT_VERSION = 1

/** The stock event types the object produces. */
export type StockEventType = 'stock.low' | 'stock.out' | 'stock.restocked' | 'reservation.expired'

/** One queued event as the outbox stores it. */
export interface QueuedStockEvent extends Record<string, SqlStorageValue> {
  id: string
  type: StockEventType
  subject_type: string
  subject_id: string
  data: string
}

/** Queues an event with the change under way (call it inside the mutation's transaction). */
export function queueStockEvent(ctx: ChangeContext, type: StockEventType, subject: { type: string; id: string }, data: Record<string, unknown>): void {
  const body = { version: STOCK_EVENT_VERSION, ...data, occurredAt: new Date(ctx.now).toISOString() }
  ctx.sql.exec('insert into event_outbox (id, type, subject_type, subject_id, data, at) values (?, ?, ?, ?, ?, ?)', crypto.randomUUID(), type, subject.type, subject.id, JSON.stringify(body), ctx.now)
}

/** The `data` of a level event: `{version, sku, location, onHand, reserved, available, occurredAt}` (+ threshold, alertId for `stock.low`). */
export function levelEventData(row: LevelRow): Record<string, unknown> {
  return { sku: row.sku, location: row.location, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved }
}

/** The subject of a level event. */
export function levelSubject(row: Pick<LevelRow, 'sku' | 'location'>): { type: string; id: string } {
  return { type: 'stock_level', id: `${row.sku}@${row.location}` }
}

/** `stock.out` when available stock falls from above zero to zero or below; `stock.restocked` when it comes back above zero. */
export function queueAvailabilityEvents(ctx: ChangeContext, before: LevelRow, after: LevelRow): void {
  const was = before.on_hand - before.reserved
  const now = after.on_hand - after.reserved
  if (was > 0 && now <= 0) queueStockEvent(ctx, 'stock.out', levelSubject(after), levelEventData(after))
  else if (was <= 0 && now > 0) queueStockEvent(ctx, 'stock.restocked', levelSubject(after), levelEventData(after))
}

/** Whether any event waits to be carried to Postgres. */
export function hasQueuedEvents(sql: SqlStorage): boolean {
  return sql.exec('select 1 from event_outbox limit 1').toArray().length > 0
}

/** The oldest queued events, at most `limit`. */
export function queuedEvents(sql: SqlStorage, limit: number): QueuedStockEvent[] {
  return sql.exec<QueuedStockEvent>('select id, type, subject_type, subject_id, data from event_outbox order by at, id limit ?', limit).toArray()
}

/** Drops events Postgres has. */
export function dropEvents(sql: SqlStorage, ids: string[]): void {
  for (const id of ids) sql.exec('delete from event_outbox where id = ?', id)
}
