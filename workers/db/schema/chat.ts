// Chat conversations and their messages as Postgres keeps them for lists and reports; the ChatRoom object is the
// truth while a conversation is live and publishes here through its outbox (messages) and on every state change.
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const CHAT_STATES = ['assistant', 'waiting', 'human', 'closed'] as const
export const CHAT_ROLES = ['shopper', 'assistant', 'agent', 'system'] as const

/** One row per conversation (one ChatRoom object). */
export const chatConversations = pgTable(
  'chat_conversations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id'),
    cartId: uuid('cart_id'),
    state: text('state', { enum: CHAT_STATES }).notNull().default('assistant'),
    agentUserId: uuid('agent_user_id'),
    agentName: text('agent_name'),
    /** Set while the conversation waits for a human. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /** Total time this conversation has waited for a human, over every handoff. */
    waitedMs: integer('waited_ms').notNull().default(0),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The object's own clock of the last change: an older write never overwrites a newer row. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('chat_conversations_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('chat_conversations_tenant_state_idx').on(t.tenantId, t.state),
  ],
)

/** One row per message, keyed by the room's increasing seq; assistant replies carry provider, model, tokens, cost and latency. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    role: text('role', { enum: CHAT_ROLES }).notNull(),
    /** Agent or assistant name; null for the shopper. */
    author: text('author'),
    authorUserId: uuid('author_user_id'),
    clientId: text('client_id'),
    parts: jsonb('parts').notNull(),
    interrupted: boolean('interrupted').notNull().default(false),
    provider: text('provider'),
    model: text('model'),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    costUsd: doublePrecision('cost_usd'),
    latencyMs: integer('latency_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.conversationId, t.seq] })],
)
