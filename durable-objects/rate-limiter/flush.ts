// Publishes a RateLimiter's counters to Postgres: absolute daily counts (a retried flush is harmless; each row has one
// writer, so a refund that lowers a count is published as it is) and keys' last use.
import { sql } from 'drizzle-orm'
import { createDatabase } from '../../workers/db/client'

/** Rows sent per INSERT, well under Postgres' 65,535 bound parameters. */
const FLUSH_BATCH_ROWS = 500
/** Usage rows older than this many days are dropped once flushed. */
const KEEP_FLUSHED_DAYS = 2

interface UsageRow extends Record<string, SqlStorageValue> {
  tenant_id: string
  day: string
  resource: string
  source: string
  count: number
}

interface KeyUseRow extends Record<string, SqlStorageValue> {
  key_id: string
  last_used_ms: number
}

/** Sends every unflushed counter to Postgres and marks what was sent; counters that moved meanwhile stay pending. */
export async function flushUsage(storage: SqlStorage, env: Env): Promise<void> {
  const usage = storage.exec<UsageRow>('SELECT tenant_id, day, resource, source, count FROM usage WHERE count <> flushed LIMIT ?', FLUSH_BATCH_ROWS).toArray()
  const keys = storage.exec<KeyUseRow>('SELECT key_id, last_used_ms FROM key_use WHERE last_used_ms > flushed_ms LIMIT ?', FLUSH_BATCH_ROWS).toArray()
  if (usage.length === 0 && keys.length === 0) return

  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    if (usage.length > 0) {
      const values = sql.join(
        usage.map((r) => sql`(${r.tenant_id}::uuid, ${r.day}::date, ${r.resource}, ${r.source}, ${r.count})`),
        sql`, `,
      )
      await client.db.execute(sql`
        insert into usage_daily (tenant_id, day, resource, source, count) values ${values}
        on conflict (tenant_id, day, resource, source) do update set count = excluded.count`)
    }
    for (const key of keys) {
      await client.db.execute(sql`
        update api_keys set last_used_at = greatest(coalesce(last_used_at, to_timestamp(0)), to_timestamp(${key.last_used_ms} / 1000.0))
        where id = ${key.key_id}::uuid`)
    }
  } finally {
    await client.close()
  }

  for (const r of usage) {
    storage.exec(
      'UPDATE usage SET flushed = ? WHERE tenant_id = ? AND day = ? AND resource = ? AND source = ? AND flushed <> ?',
      r.count,
      r.tenant_id,
      r.day,
      r.resource,
      r.source,
      r.count,
    )
  }
  for (const k of keys) storage.exec('UPDATE key_use SET flushed_ms = ? WHERE key_id = ? AND flushed_ms < ?', k.last_used_ms, k.key_id, k.last_used_ms)
  const cutoff = new Date(Date.now() - KEEP_FLUSHED_DAYS * 86_400_000).toISOString().slice(0, 10)
  storage.exec('DELETE FROM usage WHERE day < ? AND count = flushed', cutoff)
}
