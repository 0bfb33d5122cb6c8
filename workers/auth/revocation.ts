// What follows a person losing access to a tenant (removed, or demoted below admin): the API keys they created are
// revoked in the same transaction, then caches forget the membership and keys and live sockets are closed.
import { and, eq, isNull } from 'drizzle-orm'
import type { Database } from '../db/client'
import { apiKeys } from '../db/schema/credentials'
import { closeCredentialSockets } from '../realtime/sockets'
import { forgetApiKey } from './api-keys'
import { forgetMembership } from './memberships'

/** A revoked key, as the caches and the socket objects need it. */
export interface RevokedKey {
  id: string
  keyHash: string
  name: string
}

/** Revokes every active key `userId` created in the tenant; call it in the transaction that removes or demotes them. */
export async function revokeKeysCreatedBy(tx: Database, tenantId: string, userId: string): Promise<RevokedKey[]> {
  return tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, keyHash: apiKeys.keyHash, name: apiKeys.name })
}

/**
 * After the change is committed: drops the members and keys from this isolate's caches (and the colo's key cache)
 * and closes their live sockets. Other isolates follow within their cache TTLs.
 */
export async function afterRevocation(env: Env, db: () => Database, tenantId: string, revoked: { userIds: string[]; keys: RevokedKey[] }): Promise<void> {
  for (const userId of revoked.userIds) forgetMembership(tenantId, userId)
  await Promise.all(revoked.keys.map((key) => forgetApiKey(key.keyHash)))
  await closeCredentialSockets(env, tenantId, db, { userIds: revoked.userIds, keyIds: revoked.keys.map((key) => key.id) })
}
