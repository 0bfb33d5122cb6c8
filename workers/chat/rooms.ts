// Worker-side chat rooms: addressing a tenant's ChatRoom objects, the upgrade credentials (`key`/`secret` for shoppers,
// `token` for agents) checked before any socket opens, the Origin rule, and handing the socket to the room.
import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ChatRoom, ConversationView } from '../../durable-objects/chat-room'
import { encodeParticipant, PARTICIPANT_HEADER, type Participant } from '../../durable-objects/chat-room/participants'
import type { Caller } from '../auth/context'
import { loadCommerceSettings } from '../commerce/settings'
import type { Database } from '../db/client'
import { users } from '../db/schema/tenants'
import type { AppEnv } from '../lib/app-env'
import { sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { isPublishable } from '../middleware/storefront'
import { credentialHeaders } from '../realtime/sockets'
import { forwardUpgrade, offeredProtocols } from '../realtime/upgrade'

/**
 * The typed stub of one conversation; the name carries the tenant, so another tenant's id finds an empty room (404).
 * The room learns its name from its id (`ctx.id.name`), so addressing it costs no `setName` round trip.
 */
export function chatRoom(env: Pick<Env, 'CHAT_ROOM'>, tenantId: string, conversationId: string): DurableObjectStub<ChatRoom> {
  return env.CHAT_ROOM.getByName(`${tenantId}:${conversationId}`)
}

/** The conversation of a request, or 404 when the caller's tenant has none with that id. */
export async function conversationOrThrow(env: Env, tenantId: string, conversationId: string): Promise<{ stub: DurableObjectStub<ChatRoom>; conversation: ConversationView }> {
  const stub = chatRoom(env, tenantId, conversationId)
  const conversation = await stub.describe()
  if (!conversation) throw new ApiError('not_found', 'No such conversation')
  return { stub, conversation }
}

/** The subprotocol a browser offers next to its access token (kept out of URLs and logs); the upgrade answers with it. */
export const CHAT_SUBPROTOCOL = 'vitrina.chat'

/**
 * Lets `authenticate` find a WebSocket credential, since browsers cannot set headers on one: `?key=` becomes X-API-Key,
 * and `?token=` (or the offered subprotocol that is not `vitrina.chat`) a bearer token, unless the request already
 * carries either header.
 */
export const chatCredentialFromQuery = createMiddleware<AppEnv>(async (c, next) => {
  const headers = c.req.raw.headers
  if (!headers.has('x-api-key') && !headers.has('authorization')) {
    const key = c.req.query('key')
    const token = c.req.query('token') ?? offeredProtocols(headers).find((protocol) => protocol !== CHAT_SUBPROTOCOL)
    if (key || token) {
      const withCredential = new Headers(headers)
      if (key) withCredential.set('x-api-key', key)
      else withCredential.set('authorization', `Bearer ${token}`)
      c.req.raw = new Request(c.req.raw, { headers: withCredential })
    }
  }
  await next()
})

/** The display name of a member (name, else email). */
export async function memberName(db: Database, userId: string): Promise<string> {
  const [user] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId))
  return user?.name ?? user?.email ?? 'agent'
}

/**
 * A request that carries an Origin must come from one of the tenant's storefront origins or from the admin UI's own
 * origin (this Worker's); one without (a server or app client) is judged by its credentials alone.
 */
export async function assertChatOrigin(c: Context<AppEnv>, tenantId: string): Promise<void> {
  const origin = c.req.header('origin')
  if (origin === undefined || origin === new URL(c.req.url).origin) return
  const settings = await loadCommerceSettings(c.var.db.get(), tenantId)
  if (!settings.storefrontOrigins.includes(origin)) {
    throw new ApiError('forbidden', 'This origin is neither one of the shop\'s storefront origins nor the admin UI', { details: { origin, code: 'origin_not_allowed' } })
  }
}

/**
 * Who the caller is in a conversation: a publishable key with the conversation's secret is the shopper (a missing or
 * wrong secret is the same 404 as a missing conversation); a member is an agent; any other credential is refused.
 */
export async function participantFor(c: Context<AppEnv>, caller: Caller, conversation: ConversationView, secret: string | undefined): Promise<Participant> {
  if (isPublishable(caller)) {
    if (conversation.secretHash === null || secret === undefined || (await sha256Hex(secret)) !== conversation.secretHash) throw new ApiError('not_found', 'No such conversation')
    return { role: 'shopper', userId: null, name: null }
  }
  if (caller.kind === 'user') return { role: 'agent', userId: caller.userId, name: await memberName(c.var.db.get(), caller.userId) }
  throw new ApiError('forbidden', 'Chat sockets take a publishable key with the conversation secret, or a member\'s access token')
}

/** Hands the authenticated upgrade to the room (400 unless it is one), with the caller's credential and role attached. */
export async function connectToRoom(stub: DurableObjectStub<ChatRoom>, request: Request, caller: Caller, participant: Participant): Promise<Response> {
  return forwardUpgrade(stub, 'https://chat.internal/live', request, CHAT_SUBPROTOCOL, { ...credentialHeaders(caller), [PARTICIPANT_HEADER]: encodeParticipant(participant) })
}
