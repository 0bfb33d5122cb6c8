// The Worker's half of credential-bound WebSockets: what an upgrade tells the object about its credential, and the
// call that makes a tenant's objects close the sockets of revoked credentials. Every object class that holds sockets
// is listed in SOCKET_HOLDERS.
import type { Caller } from '../auth/context'
import type { Database } from '../db/client'
import { sql } from 'drizzle-orm'
import { inventoryStub } from '../../durable-objects/inventory/shards'
import { chatRoom } from '../chat/rooms'
import { queryRows } from '../db/client'
import { encodeSocketCredential, SOCKET_CREDENTIAL_HEADER, type CredentialMatch, type SocketCredential } from '../../durable-objects/lib/socket-credentials'
import { tenantShardCount } from '../inventory/shard-count'
import { tenantChannel } from './tenant-channel'

/** The credential a socket opened by `caller` is bound to. */
export function socketCredentialOf(caller: Caller): SocketCredential {
  return caller.kind === 'user'
    ? { kind: 'user', id: caller.userId, expiresAt: caller.expiresAt }
    : { kind: 'api_key', id: caller.keyId, expiresAt: caller.expiresAt }
}

/** Headers for the upgrade the Worker forwards to an object on behalf of `caller`. */
export function credentialHeaders(caller: Caller): Record<string, string> {
  return { [SOCKET_CREDENTIAL_HEADER]: encodeSocketCredential(socketCredentialOf(caller)) }
}

type SocketHolder = (env: Env, tenantId: string, db: () => Database, match: CredentialMatch) => Promise<number>

/** Inventory: every shard of the tenant may hold subscribers. */
const inventorySockets: SocketHolder = async (env, tenantId, db, match) => {
  const shards = await tenantShardCount(tenantId, db)
  const closed = await Promise.all(
    Array.from({ length: shards }, async (_, shard) => {
      const stub = inventoryStub(env, tenantId, shard)
      return (await stub.closeSockets(match)).closed
    }),
  )
  return closed.reduce((sum, n) => sum + n, 0)
}

/** Conversations active in the last day may hold sockets; older ones are covered by their rooms' periodic re-check. */
const MAX_CHAT_ROOMS_TOLD = 500
const chatSockets: SocketHolder = async (env, tenantId, db, match) => {
  const rooms = await queryRows<{ id: string }>(
    db(),
    sql`select id from chat_conversations where tenant_id = ${tenantId} and state <> 'closed' and updated_at > now() - interval '1 day' order by updated_at desc limit ${MAX_CHAT_ROOMS_TOLD}`,
  )
  const closed = await Promise.all(rooms.map(async ({ id }) => (await chatRoom(env, tenantId, id).closeSockets(match)).closed))
  return closed.reduce((sum, n) => sum + n, 0)
}

/** The tenant's realtime channel: one object per tenant. */
const channelSockets: SocketHolder = async (env, tenantId, _db, match) => (await tenantChannel(env, tenantId).closeSockets(match)).closed

/** Every Durable Object class whose objects accept credential-bound WebSockets of a tenant. */
const SOCKET_HOLDERS: readonly SocketHolder[] = [inventorySockets, chatSockets, channelSockets]

/**
 * Tells the tenant's objects to close the sockets of these credentials, after the revocation is committed. A failure
 * is logged, not thrown: the revocation stands and the objects' periodic re-check closes what this missed.
 */
export async function closeCredentialSockets(env: Env, tenantId: string, db: () => Database, match: CredentialMatch): Promise<void> {
  if ((match.userIds?.length ?? 0) + (match.keyIds?.length ?? 0) === 0) return
  const results = await Promise.allSettled(SOCKET_HOLDERS.map((holder) => holder(env, tenantId, db, match)))
  for (const result of results) {
    if (result.status === 'rejected') console.warn(JSON.stringify({ level: 'warn', msg: 'closing revoked sockets failed', tenantId, error: String(result.reason) }))
  }
}
