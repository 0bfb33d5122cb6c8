// GET /v1/inventory/live: admins subscribe to one shard's stock changes over a WebSocket, authenticated before the upgrade.
import { createRoute, z } from '@hono/zod-openapi'
import { callerInventory } from '../../inventory/context'
import { connectToShard, credentialFromUpgrade, LIVE_SUBPROTOCOL } from '../../inventory/live'
import { MAX_TENANT_SHARDS } from '../../inventory/shard-count'
import { credentialHeaders } from '../../realtime/sockets'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'

const live = createRoute({
  method: 'get',
  path: '/v1/inventory/live',
  tags: ['Inventory'],
  summary: 'Subscribe to stock changes of one shard over a WebSocket (one socket per shard of the tenant)',
  description: `Send Upgrade: websocket. Browsers pass the credential (access token or API key with read) in ?token= or offer it as a subprotocol next to "${LIVE_SUBPROTOCOL}". Messages follow durable-objects/inventory/protocol.ts: a stock.snapshot, then stock.changed and stock.low.`,
  middleware: [credentialFromUpgrade, ...requireScope('read')],
  security: ANY_CREDENTIAL,
  request: {
    query: z.object({
      shard: z.coerce.number().int().min(0).max(MAX_TENANT_SHARDS - 1).default(0).openapi({ description: 'Which shard to follow; 0 to inventoryShards - 1' }),
      token: z.string().max(4096).optional().openapi({ description: 'Access token or API key, for clients that cannot set headers' }),
    }),
  },
  responses: { 101: { description: 'Switched to WebSocket' }, 400: errorResponse('Not an upgrade, or no such shard'), 401: errorResponse('No valid credential') },
})

export const liveRoutes = createRouter().openapi(live, async (c) => {
  const { shard } = c.req.valid('query')
  const inventory = await callerInventory(c)
  if (shard >= inventory.shardCount) {
    throw new ApiError('invalid_request', `This tenant has ${inventory.shardCount} stock shard(s)`, { details: [{ in: 'query', path: 'shard', message: `0 to ${inventory.shardCount - 1}`, code: 'too_big' }] })
  }
  return connectToShard(inventory, shard, c.req.raw, credentialHeaders(c.var.caller))
})
