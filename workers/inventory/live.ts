// WebSocket subscriptions to stock changes: browsers cannot set Authorization on a WebSocket, so the credential comes
// in `?token=` or `Sec-WebSocket-Protocol`; the Worker authenticates it before the upgrade, then hands the socket to a shard.
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../lib/app-env'
import { forwardUpgrade, offeredProtocols } from '../realtime/upgrade'
import { shardStub, type TenantInventory } from './shards'

/** The subprotocol a client offers next to its credential; the upgrade answers with it. */
export const LIVE_SUBPROTOCOL = 'vitrina.inventory'

/** Our own subprotocols (`vitrina.inventory`, `vitrina.tenant`) are never a credential: tokens and keys never start so. */
const isOwnSubprotocol = (protocol: string) => protocol.startsWith('vitrina.')

/**
 * Lets `authenticate` find a WebSocket credential: unless the request already carries X-API-Key or Authorization,
 * the `token` query parameter (or the offered subprotocol that is not one of ours, `vitrina.*`) becomes its bearer token.
 * The stock feed and the tenant channel (routes/tenant-live.ts) both authenticate their upgrades through it.
 */
export const credentialFromUpgrade = createMiddleware<AppEnv>(async (c, next) => {
  const headers = c.req.raw.headers
  if (!headers.has('x-api-key') && !headers.has('authorization')) {
    const credential = c.req.query('token') ?? offeredProtocols(headers).find((protocol) => !isOwnSubprotocol(protocol))
    if (credential) {
      const withCredential = new Headers(headers)
      withCredential.set('authorization', `Bearer ${credential}`)
      c.req.raw = new Request(c.req.raw, { headers: withCredential })
    }
  }
  await next()
})

/**
 * Connects the authenticated client to one shard's subscribers (400 unless the request is an upgrade). The forwarded
 * request carries no credential, only its id and expiry (`credentialHeaders`), so the object can close the socket when
 * it is revoked or expires; the answer echoes `vitrina.inventory` when the client offered it, as browsers require.
 */
export async function connectToShard(inventory: TenantInventory, shard: number, request: Request, credential: Record<string, string>): Promise<Response> {
  return forwardUpgrade(shardStub(inventory, shard), 'https://inventory.internal/live', request, LIVE_SUBPROTOCOL, credential)
}
