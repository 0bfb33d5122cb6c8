// The endpoint object's SQLite: its queue of messages (one per event, the event id as key so each event is queued
// once), the outbox of delivery-log records on their way to Postgres, and small state (cursor, failure streak).

const STATEMENTS = [
  `create table if not exists meta (key text primary key, value text not null)`,
  `create table if not exists messages (
    event_id text primary key,
    message_id text not null unique,
    event_type text not null,
    body text not null,
    status text not null,
    attempts integer not null default 0,
    next_at integer,
    created_at integer not null
  )`,
  `create index if not exists messages_due on messages (status, next_at)`,
  `create table if not exists log (seq integer primary key autoincrement, kind text not null, record text not null)`,
]

/** Applies the schema; every statement is idempotent. */
export function applySchema(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement)
}

/** One queued message as stored. */
export interface MessageRow extends Record<string, SqlStorageValue> {
  event_id: string
  message_id: string
  event_type: string
  body: string
  status: string
  attempts: number
  next_at: number | null
  created_at: number
}

/** The message state the log mirrors into `webhook_messages`. */
export interface MessageRecord {
  id: string
  eventId: string
  eventType: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  nextAttemptAt: number | null
  lastAttemptAt: number | null
  createdAt: number
}

/** One attempt as `webhook_attempts` keeps it. */
export interface AttemptRecord {
  id: string
  messageId: string
  succeeded: boolean
  responseStatus: number | null
  latencyMs: number
  response: string
  attemptedAt: number
}

/** An event ready to queue: its id becomes the `webhook-id`. */
export interface QueuedEvent {
  id: string
  type: string
  createdAt: number
  data: unknown
}

/** Reads one value of `meta`. */
export function readMeta(sql: SqlStorage, key: string): string | undefined {
  return sql.exec<{ value: string }>('select value from meta where key = ?', key).toArray()[0]?.value
}

/** Writes one value of `meta`. */
export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value', key, value)
}

/** Removes one value of `meta`. */
export function deleteMeta(sql: SqlStorage, key: string): void {
  sql.exec('delete from meta where key = ?', key)
}

/** Appends a record for Postgres to the log outbox. */
export function logRecord(sql: SqlStorage, kind: 'message' | 'attempt', record: MessageRecord | AttemptRecord): void {
  sql.exec('insert into log (kind, record) values (?, ?)', kind, JSON.stringify(record))
}

/** The log record of a stored message's current state. */
export function messageRecord(row: MessageRow, lastAttemptAt: number | null): MessageRecord {
  const status = row.status === 'delivered' || row.status === 'failed' ? row.status : 'pending'
  return { id: row.message_id, eventId: row.event_id, eventType: row.event_type, status, attempts: row.attempts, nextAttemptAt: status === 'pending' ? row.next_at : null, lastAttemptAt, createdAt: row.created_at }
}

/** The JSON body every attempt of this event sends: `{type, timestamp, data}`. */
export function eventBody(event: QueuedEvent): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.createdAt).toISOString(), data: event.data })
}

/**
 * Queues `event` once: an event already queued (whatever its state) is left alone unless `again`, which puts it back to
 * pending now (retry, replay). Returns whether the message is (again) pending. Call inside a transaction.
 */
export function queueEvent(sql: SqlStorage, event: QueuedEvent, now: number, again = false): boolean {
  const existing = sql.exec<MessageRow>('select * from messages where event_id = ?', event.id).toArray()[0]
  if (existing) {
    if (!again) return false
    sql.exec("update messages set status = 'pending', next_at = ? where event_id = ?", now, event.id)
    logRecord(sql, 'message', messageRecord({ ...existing, status: 'pending', next_at: now }, null))
    return true
  }
  const row: MessageRow = { event_id: event.id, message_id: crypto.randomUUID(), event_type: event.type, body: eventBody(event), status: 'pending', attempts: 0, next_at: now, created_at: now }
  sql.exec(
    'insert into messages (event_id, message_id, event_type, body, status, attempts, next_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    row.event_id,
    row.message_id,
    row.event_type,
    row.body,
    row.status,
    row.attempts,
    row.next_at,
    row.created_at,
  )
  logRecord(sql, 'message', messageRecord(row, null))
  return true
}

/** Pending messages due at `now`, oldest first. */
export function dueMessages(sql: SqlStorage, now: number, limit: number): MessageRow[] {
  return sql.exec<MessageRow>("select * from messages where status = 'pending' and next_at <= ? order by next_at, created_at limit ?", now, limit).toArray()
}

/** When the next pending message falls due, or null when none waits. */
export function nextDueAt(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>("select min(next_at) as at from messages where status = 'pending'").one().at
}
