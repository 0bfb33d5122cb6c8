// The tenant's conversations waiting for a human, one count for GET /v1/chats and the tenant channel: Postgres is where
// the ChatRoom objects publish their state, and the channel is told only after that publish, so its read includes the change.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'

/** How many of the tenant's conversations wait for a human now. */
export async function waitingCount(db: Database, tenantId: string): Promise<number> {
  const [row] = await queryRows<{ waiting: number }>(db, sql`select count(*)::int as waiting from chat_conversations where tenant_id = ${tenantId} and state = 'waiting'`)
  return row?.waiting ?? 0
}
