// The periodic re-check behind every credential-bound socket: asks Postgres which of the open sockets' credentials
// are still valid, so a revocation whose close message was lost is still applied within CREDENTIAL_RECHECK_MS.
import { sql } from 'drizzle-orm'
import { createDatabase, queryRows, uuidList, type DatabaseConfig } from '../../workers/db/client'
import type { CredentialMatch } from './socket-credentials'

/** Largest id list one re-check query carries; the rest waits for the next round. */
const MAX_IDS_PER_CHECK = 500

/** The credentials among `open` that no longer hold in `tenantId`: members removed, keys revoked or expired. */
export async function staleCredentials(database: DatabaseConfig, tenantId: string, open: { userIds: string[]; keyIds: string[] }): Promise<Required<CredentialMatch>> {
  const userIds = open.userIds.slice(0, MAX_IDS_PER_CHECK)
  const keyIds = open.keyIds.slice(0, MAX_IDS_PER_CHECK)
  if (userIds.length === 0 && keyIds.length === 0) return { userIds: [], keyIds: [] }
  const client = createDatabase(database)
  try {
    const members = userIds.length
      ? await queryRows<{ user_id: string }>(client.db, sql`select user_id from memberships where tenant_id = ${tenantId}::uuid and user_id in (${uuidList(userIds)})`)
      : []
    const keys = keyIds.length
      ? await queryRows<{ id: string }>(
          client.db,
          sql`select id from api_keys where tenant_id = ${tenantId}::uuid and id in (${uuidList(keyIds)}) and revoked_at is null and (expires_at is null or expires_at > now())`,
        )
      : []
    const liveUsers = new Set(members.map((row) => row.user_id))
    const liveKeys = new Set(keys.map((row) => row.id))
    return { userIds: userIds.filter((id) => !liveUsers.has(id)), keyIds: keyIds.filter((id) => !liveKeys.has(id)) }
  } finally {
    await client.close()
  }
}
