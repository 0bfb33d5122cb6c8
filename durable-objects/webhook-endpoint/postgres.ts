// What the endpoint object reads from and writes to Postgres: its configuration, the tenant's events since a time (for a
// replay; new events come through durable-objects/lib/event-cursor.ts), the delivery log (idempotent upserts, so a
// retried flush is harmless), and switching the endpoint off.
import { sql } from 'drizzle-orm'
import { decryptCredential } from '../../workers/ai/credentials'
import { queryRows, type Database } from '../../workers/db/client'
import type { AttemptRecord, MessageRecord, QueuedEvent } from './store'

/** The endpoint as delivery needs it. */
export interface EndpointConfig {
  url: string
  eventTypes: string[]
  enabled: boolean
  secrets: string[]
  createdAt: number
}

/** Events read per query. */
export const PULL_BATCH = 200

/** Secrets this isolate has already decrypted, by tenant and sealed text: a run reads the row each time but opens a
 * secret once (a rotation seals a new text, so it is never served stale). */
const openedSecrets = new Map<string, string>()
const OPENED_SECRETS_KEPT = 1_000

async function openSecret(env: Env, sealed: string, tenantId: string): Promise<string> {
  const key = `${tenantId}:${sealed}`
  const known = openedSecrets.get(key)
  if (known !== undefined) return known
  const secret = await decryptCredential(env, sealed, tenantId)
  if (openedSecrets.size >= OPENED_SECRETS_KEPT) openedSecrets.delete(openedSecrets.keys().next().value ?? '')
  openedSecrets.set(key, secret)
  return secret
}

/** Loads the endpoint with its valid secrets (the previous one while it has not expired); null when it was deleted. */
export async function loadEndpoint(db: Database, env: Env, tenantId: string, endpointId: string, now: number): Promise<EndpointConfig | null> {
  const rows = await queryRows<{ url: string; event_types: string[]; enabled: boolean; secret_sealed: string; previous_secret_sealed: string | null; previous_expires: string | null; created_ms: string }>(
    db,
    sql`select url, event_types, enabled, secret_sealed, previous_secret_sealed, (extract(epoch from previous_secret_expires_at) * 1000)::text as previous_expires,
          (extract(epoch from created_at) * 1000)::text as created_ms
        from webhook_endpoints where id = ${endpointId}::uuid and tenant_id = ${tenantId}::uuid`,
  )
  const row = rows[0]
  if (!row) return null
  const secrets = [await openSecret(env, row.secret_sealed, tenantId)]
  if (row.previous_secret_sealed && row.previous_expires && Number(row.previous_expires) > now) secrets.push(await openSecret(env, row.previous_secret_sealed, tenantId))
  return { url: row.url, eventTypes: row.event_types, enabled: row.enabled, secrets, createdAt: Math.floor(Number(row.created_ms)) }
}

/** A position in the tenant's events by time, for a replay: `created_at` as Postgres text (full precision) and the id. */
export interface EventCursor {
  at: string
  id: string
}

interface EventRow {
  id: string
  type: string
  data: unknown
  at: string
  ms: string
}

/** The tenant's events after `after` (or at/after `from` ms when there is no cursor), oldest first, with the types the endpoint takes. */
export async function pullEvents(
  db: Database,
  tenantId: string,
  types: string[],
  range: { after?: EventCursor; fromMs?: number },
): Promise<{ events: QueuedEvent[]; last: EventCursor | null; full: boolean }> {
  const typeFilter = types.includes('*') ? sql`` : sql`and type = any(${`{${types.join(',')}}`}::text[])`
  const after = range.after ? sql`and (created_at, id) > (${range.after.at}::timestamptz, ${range.after.id}::uuid)` : sql``
  const from = range.fromMs === undefined ? sql`` : sql`and created_at >= to_timestamp(${range.fromMs / 1000})`
  const rows = await queryRows<EventRow>(
    db,
    sql`select id, type, data, created_at::text as at, (extract(epoch from created_at) * 1000)::text as ms from events
        where tenant_id = ${tenantId}::uuid ${after} ${from} ${typeFilter} order by created_at, id limit ${PULL_BATCH}`,
  )
  const last = rows.at(-1)
  return {
    events: rows.map((r) => ({ id: r.id, type: r.type, createdAt: Math.floor(Number(r.ms)), data: r.data })),
    last: last ? { at: last.at, id: last.id } : null,
    full: rows.length === PULL_BATCH,
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Writes message states (the latest per message) and attempts; repeated records change nothing. */
export async function writeLog(db: Database, tenantId: string, endpointId: string, messages: MessageRecord[], attempts: AttemptRecord[]): Promise<void> {
  if (messages.length > 0) {
    const values = sql.join(
      messages.map(
        (m) =>
          sql`(${m.id}::uuid, ${tenantId}::uuid, ${endpointId}::uuid, ${m.eventId}::uuid, ${m.eventType}, ${m.status}, ${m.attempts}, ${iso(m.nextAttemptAt)}::timestamptz, ${iso(m.lastAttemptAt)}::timestamptz, ${iso(m.createdAt)}::timestamptz)`,
      ),
      sql`, `,
    )
    await db.execute(sql`
      insert into webhook_messages (id, tenant_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, last_attempt_at, created_at)
      values ${values}
      on conflict (id) do update set status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
        last_attempt_at = coalesce(excluded.last_attempt_at, webhook_messages.last_attempt_at), updated_at = now()`)
  }
  if (attempts.length > 0) {
    const values = sql.join(
      attempts.map(
        (a) => sql`(${a.id}::uuid, ${tenantId}::uuid, ${a.messageId}::uuid, ${a.succeeded}, ${a.responseStatus}::int, ${a.latencyMs}::int, ${a.response}, ${iso(a.attemptedAt)}::timestamptz)`,
      ),
      sql`, `,
    )
    await db.execute(sql`
      insert into webhook_attempts (id, tenant_id, message_id, succeeded, response_status, latency_ms, response, attempted_at)
      values ${values} on conflict (id) do nothing`)
  }
}

/** Turns the endpoint off and says why (`gone`, `failing`). */
export async function disableEndpoint(db: Database, tenantId: string, endpointId: string, reason: 'gone' | 'failing'): Promise<void> {
  await db.execute(sql`update webhook_endpoints set enabled = false, disabled_reason = ${reason}, disabled_at = now(), updated_at = now()
    where id = ${endpointId}::uuid and tenant_id = ${tenantId}::uuid`)
}

/** Drops this endpoint's log older than `days` (attempts go with their message). */
export async function pruneLog(db: Database, endpointId: string, days: number): Promise<void> {
  await db.execute(sql`delete from webhook_messages where endpoint_id = ${endpointId}::uuid and created_at < now() - make_interval(days => ${days})`)
}
