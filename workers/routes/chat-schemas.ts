// OpenAPI shapes of the chat routes and the mappers from Postgres rows and room records to them.
import { z } from '@hono/zod-openapi'
import type { ConversationView } from '../../durable-objects/chat-room'
import { CHAT_ROLES, CHAT_STATES } from '../db/schema/chat'

const PartSchema = z.object({ type: z.enum(['text', 'products', 'cart']) }).loose().openapi('ChatPart', { description: 'text {text}, products {products: [{id, name, price, currency, image, available, skus}]}, cart {cartId, sku, quantity}' })

export const ConversationSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid().nullable(),
    cartId: z.uuid().nullable(),
    state: z.enum(CHAT_STATES),
    agentName: z.string().nullable(),
    waitingSince: z.string().nullable(),
    waitedMs: z.int().openapi({ description: 'Total time spent waiting for a human' }),
    messageCount: z.int(),
    lastMessageAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ChatConversation')

export const ChatMessageSchema = z
  .object({
    seq: z.int(),
    role: z.enum(CHAT_ROLES),
    author: z.string().nullable(),
    parts: z.array(PartSchema),
    clientId: z.string().nullable(),
    interrupted: z.boolean(),
    createdAt: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    tokensIn: z.int().nullable(),
    tokensOut: z.int().nullable(),
    costUsd: z.number().nullable(),
    latencyMs: z.int().nullable(),
  })
  .openapi('ChatMessage')

/** A `chat_conversations` row as the list query reads it. */
export interface ConversationRow {
  id: string
  customer_id: string | null
  cart_id: string | null
  state: (typeof CHAT_STATES)[number]
  agent_name: string | null
  waiting_since: Date | string | null
  waited_ms: number
  message_count: number
  last_message_at: Date | string | null
  created_at: Date | string
  created_at_text: string
}

const iso = (value: Date | string | number | null) => (value === null ? null : new Date(value).toISOString())

/** A list row as the API shows it. */
export function conversationFromRow(row: ConversationRow): z.infer<typeof ConversationSchema> {
  return {
    id: row.id,
    customerId: row.customer_id,
    cartId: row.cart_id,
    state: row.state,
    agentName: row.agent_name,
    waitingSince: iso(row.waiting_since),
    waitedMs: row.waited_ms,
    messageCount: row.message_count,
    lastMessageAt: iso(row.last_message_at),
    createdAt: iso(row.created_at) ?? '',
  }
}

/** A room's record as the API shows it. */
export function conversationFromRoom(c: ConversationView): z.infer<typeof ConversationSchema> {
  return {
    id: c.id,
    customerId: c.customerId,
    cartId: c.cartId,
    state: c.state,
    agentName: c.agentName,
    waitingSince: iso(c.waitingSince),
    waitedMs: c.waitedMs,
    messageCount: c.messageCount,
    lastMessageAt: iso(c.lastMessageAt),
    createdAt: iso(c.createdAt) ?? '',
  }
}
