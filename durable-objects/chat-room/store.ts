// The room's SQLite: the conversation record, messages with their per-room seq, the reply being streamed, the outbox of
// messages not yet published to Postgres, and the lease of chat quota units the room holds.
import type { ChatMessageView, ChatPart, ChatRole, ChatState } from '../../workers/chat/protocol'

/** The conversation as the room keeps it. */
export interface Conversation {
  tenantId: string
  id: string
  customerId: string | null
  cartId: string | null
  /** sha256 of the shopper's secret (publishable-key conversations), or null. */
  secretHash: string | null
  state: ChatState
  agentUserId: string | null
  agentName: string | null
  waitingSince: number | null
  waitedMs: number
  messageCount: number
  lastMessageAt: number | null
  createdAt: number
  updatedAt: number
  /** True when the Postgres row lags behind this record. */
  dirty: boolean
}

/** A message as stored, with the assistant's accounting. */
export interface StoredMessage extends ChatMessageView {
  authorUserId: string | null
  provider: string | null
  model: string | null
  tokensIn: number | null
  tokensOut: number | null
  costUsd: number | null
  latencyMs: number | null
}

/** The reply being streamed: its reserved seq and the text so far. */
export interface OpenStream {
  id: string
  seq: number
  text: string
  startedAt: number
}

type Row = Record<string, SqlStorageValue>

/** Creates the tables; safe to run on every start. */
export function applySchema(sql: SqlStorage): void {
  sql.exec(`create table if not exists meta (key text primary key, value text not null);
    create table if not exists messages (
      seq integer primary key, role text not null, author text, author_user_id text, client_id text unique, parts text not null,
      interrupted integer not null default 0, provider text, model text, tokens_in integer, tokens_out integer, cost_usd real,
      latency_ms integer, created_at integer not null, stored integer not null default 0);
    create table if not exists outbox (seq integer primary key);
    create table if not exists streams (id text primary key, seq integer not null, text text not null, started_at integer not null);
    create table if not exists quota_lease (period text not null, day text not null, units integer not null, touched_at integer not null,
      primary key (period, day));`)
}

function readMeta(sql: SqlStorage, key: string): string | null {
  const row = sql.exec<{ value: string }>('select value from meta where key = ?', key).toArray()[0]
  return row?.value ?? null
}

function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value', key, value)
}

/** The conversation, or null for a room that was never created. */
export function readConversation(sql: SqlStorage): Conversation | null {
  const raw = readMeta(sql, 'conversation')
  return raw ? (JSON.parse(raw) as Conversation) : null
}

/** Saves the conversation, marked for publishing unless `dirty` says otherwise. */
export function writeConversation(sql: SqlStorage, conversation: Conversation): void {
  writeMeta(sql, 'conversation', JSON.stringify(conversation))
}

/** Reserves the next seq (for a message now, or for a reply that will be stored when its stream ends). */
export function nextSeq(sql: SqlStorage): number {
  const seq = Number(readMeta(sql, 'next_seq') ?? 1)
  writeMeta(sql, 'next_seq', String(seq + 1))
  return seq
}

function toView(row: Row): StoredMessage {
  return {
    seq: Number(row.seq),
    role: row.role as ChatRole,
    author: (row.author as string | null) ?? null,
    parts: JSON.parse(String(row.parts)) as ChatPart[],
    clientId: (row.client_id as string | null) ?? null,
    interrupted: row.interrupted === 1,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    authorUserId: (row.author_user_id as string | null) ?? null,
    provider: (row.provider as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    tokensIn: (row.tokens_in as number | null) ?? null,
    tokensOut: (row.tokens_out as number | null) ?? null,
    costUsd: (row.cost_usd as number | null) ?? null,
    latencyMs: (row.latency_ms as number | null) ?? null,
  }
}

/** The message a client sent with this clientId, if it was stored already. */
export function messageByClientId(sql: SqlStorage, clientId: string): StoredMessage | null {
  const row = sql.exec<Row>('select * from messages where client_id = ?', clientId).toArray()[0]
  return row ? toView(row) : null
}

/** Stores a message under `seq` and queues it for Postgres. */
export function insertMessage(sql: SqlStorage, message: Omit<StoredMessage, 'createdAt'> & { createdAt: number }): StoredMessage {
  sql.exec(
    `insert into messages (seq, role, author, author_user_id, client_id, parts, interrupted, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, created_at, stored)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (select coalesce(max(stored), 0) + 1 from messages))`,
    message.seq,
    message.role,
    message.author,
    message.authorUserId,
    message.clientId,
    JSON.stringify(message.parts),
    message.interrupted ? 1 : 0,
    message.provider,
    message.model,
    message.tokensIn,
    message.tokensOut,
    message.costUsd,
    message.latencyMs,
    message.createdAt,
  )
  sql.exec('insert or ignore into outbox (seq) values (?)', message.seq)
  return { ...message, createdAt: new Date(message.createdAt).toISOString() }
}

/**
 * What a client holding everything up to `afterSeq` lacks, oldest first, at most `limit`: later seqs, and replies stored
 * after that message under a seq reserved before it (a reply streamed while the shopper wrote). `truncated` when older
 * ones in range were left out.
 */
export function messagesAfter(sql: SqlStorage, afterSeq: number, limit: number): { messages: StoredMessage[]; truncated: boolean } {
  const rows = sql
    .exec<Row>('select * from messages where seq > ?1 or stored > coalesce((select stored from messages where seq = ?1), 0) order by seq desc limit ?2', afterSeq, limit + 1)
    .toArray()
  return { messages: rows.slice(0, limit).reverse().map(toView), truncated: rows.length > limit }
}

/** Messages after `afterSeq`, oldest first, one page of `limit`; `truncated` when more follow. */
export function pageAfter(sql: SqlStorage, afterSeq: number, limit: number): { messages: StoredMessage[]; truncated: boolean } {
  const rows = sql.exec<Row>('select * from messages where seq > ? order by seq limit ?', afterSeq, limit + 1).toArray()
  return { messages: rows.slice(0, limit).map(toView), truncated: rows.length > limit }
}

/** The last `limit` messages, oldest first (the assistant's context). */
export function recentMessages(sql: SqlStorage, limit: number): StoredMessage[] {
  return sql.exec<Row>('select * from messages order by seq desc limit ?', limit).toArray().reverse().map(toView)
}

/** Messages waiting to be published, oldest first. */
export function outboxBatch(sql: SqlStorage, limit: number): StoredMessage[] {
  return sql.exec<Row>('select m.* from outbox o join messages m using (seq) order by seq limit ?', limit).toArray().map(toView)
}

/** Removes published messages from the outbox. */
export function clearOutbox(sql: SqlStorage, seqs: readonly number[]): void {
  for (const seq of seqs) sql.exec('delete from outbox where seq = ?', seq)
}

/** Whether the outbox holds anything. */
export function outboxPending(sql: SqlStorage): boolean {
  return sql.exec('select 1 from outbox limit 1').toArray().length > 0
}

/** Records a new stream (the reply's seq is reserved). */
export function openStream(sql: SqlStorage, stream: OpenStream): void {
  sql.exec('insert into streams (id, seq, text, started_at) values (?, ?, ?, ?)', stream.id, stream.seq, stream.text, stream.startedAt)
}

/** Appends streamed text, so a restart knows how far the reply got. */
export function appendStream(sql: SqlStorage, id: string, text: string): void {
  sql.exec('update streams set text = text || ? where id = ?', text, id)
}

/** Forgets a finished stream. */
export function closeStream(sql: SqlStorage, id: string): void {
  sql.exec('delete from streams where id = ?', id)
}

/** Streams left open (by an eviction or a crash), or the one in progress. */
export function openStreams(sql: SqlStorage): OpenStream[] {
  return sql
    .exec<{ id: string; seq: number; text: string; started_at: number }>('select * from streams order by seq')
    .toArray()
    .map((row) => ({ id: row.id, seq: row.seq, text: row.text, startedAt: row.started_at }))
}

/** Read by the flush: when the last failed flush allows the next one. */
export function flushRetryAt(sql: SqlStorage): number {
  return Number(readMeta(sql, 'flush_retry_at') ?? 0)
}

/** Records when the next flush may run after a failure. */
export function setFlushRetryAt(sql: SqlStorage, at: number): void {
  writeMeta(sql, 'flush_retry_at', String(at))
}

/** The last state the tenant channel was told about (null before the first announcement). */
export function announcedState(sql: SqlStorage): ChatState | null {
  return readMeta(sql, 'announced_state') as ChatState | null
}

/** Records the state the tenant channel now knows. */
export function setAnnouncedState(sql: SqlStorage, state: ChatState): void {
  writeMeta(sql, 'announced_state', state)
}

/** A handoff the room recorded and has not yet written to Postgres as a `chat.handoff_requested` event. */
export interface PendingHandoff {
  /** The event's id, fixed when the shopper asked, so a retried flush writes it once. */
  eventId: string
  reason: string | null
  requestedAt: number
}

/** The handoff waiting for the next flush, if any. */
export function pendingHandoff(sql: SqlStorage): PendingHandoff | null {
  const value = readMeta(sql, 'pending_handoff')
  return value === null ? null : (JSON.parse(value) as PendingHandoff)
}

/** Records a handoff for the next flush to publish with the conversation. */
export function setPendingHandoff(sql: SqlStorage, handoff: PendingHandoff): void {
  writeMeta(sql, 'pending_handoff', JSON.stringify(handoff))
}

/** Forgets the handoff `eventId` once its event is in Postgres (a newer one recorded meanwhile stays). */
export function clearPendingHandoff(sql: SqlStorage, eventId: string): void {
  if (pendingHandoff(sql)?.eventId === eventId) sql.exec("delete from meta where key = 'pending_handoff'")
}

/** Unspent chat quota units the room holds, by the UTC month and day they were counted in at the RateLimiter. */
export interface LeaseRow {
  period: string
  day: string
  units: number
  /** Last time units were granted or spent. */
  touchedAt: number
}

/** Every lease row holding units. */
export function leaseRows(sql: SqlStorage): LeaseRow[] {
  return sql
    .exec<{ period: string; day: string; units: number; touched_at: number }>('select * from quota_lease where units > 0 order by period, day')
    .toArray()
    .map((row) => ({ period: row.period, day: row.day, units: row.units, touchedAt: row.touched_at }))
}

/** Units left in the leases of `period`. */
export function leaseUnits(sql: SqlStorage, period: string): number {
  return sql.exec<{ units: number }>('select coalesce(sum(units), 0) as units from quota_lease where period = ?', period).one().units
}

/** Adds granted (or returned) units to the row of their month and day: leases taken concurrently sum up. */
export function addLease(sql: SqlStorage, row: LeaseRow): void {
  sql.exec(
    `insert into quota_lease (period, day, units, touched_at) values (?, ?, ?, ?)
     on conflict (period, day) do update set units = units + excluded.units, touched_at = max(touched_at, excluded.touched_at)`,
    row.period,
    row.day,
    row.units,
    row.touchedAt,
  )
}

/** Spends one unit of `period`'s lease; false (nothing written) when none is left. */
export function spendLeaseUnit(sql: SqlStorage, period: string, now: number): boolean {
  const row = sql.exec<{ day: string }>('select day from quota_lease where period = ? and units > 0 order by day limit 1', period).toArray()[0]
  if (!row) return false
  sql.exec('update quota_lease set units = units - 1, touched_at = ? where period = ? and day = ?', now, period, row.day)
  return true
}

/** Removes a lease row before its units are given back (a failed give-back adds them again). */
export function dropLease(sql: SqlStorage, row: Pick<LeaseRow, 'period' | 'day'>): void {
  sql.exec('delete from quota_lease where period = ? and day = ?', row.period, row.day)
}

/** When the lease was last granted or spent from (0 without a lease). */
export function leaseTouchedAt(sql: SqlStorage): number {
  return sql.exec<{ at: number | null }>('select max(touched_at) as at from quota_lease').one().at ?? 0
}

/** When a failed give-back may be tried again. */
export function leaseRetryAt(sql: SqlStorage): number {
  return Number(readMeta(sql, 'lease_retry_at') ?? 0)
}

/** Records when the next give-back may run after a failure. */
export function setLeaseRetryAt(sql: SqlStorage, at: number): void {
  writeMeta(sql, 'lease_retry_at', String(at))
}
