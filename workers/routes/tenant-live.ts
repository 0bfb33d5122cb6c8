// GET /v1/tenant/live: a signed-in member's socket to their tenant's realtime channel (waiting chats, their unread
// notifications), authenticated before the upgrade like the stock feed; the object is the caller's own tenant's.
import { createRoute, z } from '@hono/zod-openapi'
import { asMember } from '../auth/context'
import { credentialFromUpgrade } from '../inventory/live'
import { createRouter, errorResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { requireMember } from '../middleware/authenticate'
import { wakeNotifier } from '../notifications/notifier'
import { assertAdminOrigin, connectToTenantChannel, TENANT_SUBPROTOCOL } from '../realtime/tenant-channel'

const live = createRoute({
  method: 'get',
  path: '/v1/tenant/live',
  tags: ['Tenant'],
  summary: 'The tenant’s realtime channel for signed-in members over a WebSocket: waiting conversations and the member’s unread notifications',
  description: `Send Upgrade: websocket with a member's access token, offered as a subprotocol next to "${TENANT_SUBPROTOCOL}" (or in ?token=). A request with an Origin must come from the admin UI's own origin. Messages follow durable-objects/tenant-channel/protocol.ts: a hello snapshot ({waiting, unread}), then waiting, chat and notifications (the last only to the member concerned). The socket closes when the token expires or the member is removed or their role changes.`,
  middleware: [credentialFromUpgrade, ...requireMember()],
  security: MEMBER_CREDENTIAL,
  request: {
    query: z.object({ token: z.string().max(4096).optional().openapi({ description: 'Access token, for clients that can set neither headers nor subprotocols' }) }),
  },
  responses: {
    101: { description: 'Switched to WebSocket' },
    400: errorResponse('Not an upgrade'),
    401: errorResponse('No valid access token'),
    403: errorResponse('An API key, not a member, or an Origin other than the admin UI'),
  },
})

export const tenantLiveRoutes = createRouter().openapi(live, async (c) => {
  assertAdminOrigin(c)
  const caller = asMember(c.var.caller)
  const upgraded = await connectToTenantChannel(c.env, c.req.raw, caller)
  // As the list read used to on every poll: a member coming online keeps the notifier sweeping for events no producer woke it for.
  c.executionCtx.waitUntil(wakeNotifier(c.env, caller.tenantId))
  return upgraded as never
})
