// The Worker's side of a tenant's realtime channel (the TenantChannel object): addressing it, the producers' failure-
// tolerant publishes (a lost one is corrected by the next, since the object counts from Postgres), and the upgrade.
import type { Context } from 'hono'
import type { TenantChannel } from '../../durable-objects/tenant-channel'
import type { UserCaller } from '../auth/context'
import type { ChatState } from '../chat/protocol'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'
import { credentialHeaders } from './sockets'
import { forwardUpgrade } from './upgrade'

/** The subprotocol the admin UI offers next to its access token; the upgrade answers with it. */
export const TENANT_SUBPROTOCOL = 'vitrina.tenant'

/** The tenant's channel; its name is the tenant id, so a caller only ever reaches its own tenant's. */
export function tenantChannel(env: Pick<Env, 'TENANT_CHANNEL'>, tenantId: string): DurableObjectStub<TenantChannel> {
  return env.TENANT_CHANNEL.getByName(tenantId)
}

function warn(msg: string, tenantId: string, error: unknown): void {
  console.warn(JSON.stringify({ level: 'warn', msg, tenantId, error: error instanceof Error ? error.message : String(error) }))
}

/** Tells the channel a conversation's state is in Postgres now; false (logged, never thrown) when the call failed. */
export async function chatChanged(env: Pick<Env, 'TENANT_CHANNEL'>, tenantId: string, id: string, state: ChatState): Promise<boolean> {
  try {
    await tenantChannel(env, tenantId).chatChanged(id, state)
    return true
  } catch (error) {
    warn('tenant channel: chat publish failed', tenantId, error)
    return false
  }
}

/** Tells the channel these members' unread counts changed; a failure is logged, never thrown. */
export async function unreadChanged(env: Pick<Env, 'TENANT_CHANNEL'>, tenantId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return
  try {
    await tenantChannel(env, tenantId).unreadChanged([...new Set(userIds)])
  } catch (error) {
    warn('tenant channel: unread publish failed', tenantId, error)
  }
}

/** A request that carries an Origin must come from the admin UI's own origin (this Worker's); one without is judged by its credential. */
export function assertAdminOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header('origin')
  if (origin === undefined || origin === new URL(c.req.url).origin) return
  throw new ApiError('forbidden', 'The tenant channel is open to the admin UI\'s own origin only', { details: { origin, code: 'origin_not_allowed' } })
}

/** Hands the authenticated member's upgrade to their tenant's channel (400 unless it is one), echoing `vitrina.tenant` when offered. */
export async function connectToTenantChannel(env: Env, request: Request, caller: UserCaller): Promise<Response> {
  return forwardUpgrade(tenantChannel(env, caller.tenantId), 'https://tenant-channel.internal/live', request, TENANT_SUBPROTOCOL, credentialHeaders(caller))
}
