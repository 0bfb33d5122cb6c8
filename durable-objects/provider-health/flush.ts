// Writes a ProviderHealth object's batched call records to Postgres (`ai_usage`); ids make a retried batch harmless.
import { sql } from 'drizzle-orm'
import { createDatabase } from '../../workers/db/client'
import type { UsageRecord } from '../../workers/ai/types'

/** Rows per INSERT: 13 parameters each, well under Postgres' 65,535 bound parameters. */
export const USAGE_BATCH_ROWS = 500

/** Inserts `rows` (ignoring ids already there). */
export async function insertUsage(env: Env, rows: UsageRecord[]): Promise<void> {
  if (rows.length === 0) return
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const values = sql.join(
      rows.map(
        (r) =>
          sql`(${r.id}::uuid, ${r.tenantId}::uuid, ${r.providerId}, ${r.providerName}, ${r.model}, ${r.outcome}, ${r.tokensIn}, ${r.tokensOut}, ${r.costUsd}, ${r.latencyMs}, ${r.ttftMs}, ${r.fallbackDepth}, ${r.createdAt}::timestamptz)`,
      ),
      sql`, `,
    )
    await client.db.execute(sql`
      insert into ai_usage (id, tenant_id, provider_id, provider_name, model, outcome, tokens_in, tokens_out, cost_usd, latency_ms, ttft_ms, fallback_depth, created_at)
      values ${values} on conflict (id) do nothing`)
  } finally {
    await client.close()
  }
}
