// Publishes a room to Postgres: the conversation row (only ever moved forward by updatedAt), the outbox's messages
// (inserted once by their seq) and a pending handoff's `chat.handoff_requested` event (inserted once by its id), so a
// retried flush is harmless.
import { sql as pgSql } from 'drizzle-orm'
import { createDatabase, type DatabaseConfig } from '../../workers/db/client'
import { chatConversations, chatMessages } from '../../workers/db/schema/chat'
import { events } from '../../workers/db/schema/events'
import type { Conversation, PendingHandoff, StoredMessage } from './store'

/** The conversation row's columns from the room's record. */
function conversationRow(c: Conversation) {
  return {
    tenantId: c.tenantId,
    id: c.id,
    customerId: c.customerId,
    cartId: c.cartId,
    state: c.state,
    agentUserId: c.agentUserId,
    agentName: c.agentName,
    waitingSince: c.waitingSince === null ? null : new Date(c.waitingSince),
    waitedMs: c.waitedMs,
    messageCount: c.messageCount,
    lastMessageAt: c.lastMessageAt === null ? null : new Date(c.lastMessageAt),
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  }
}

/** The `chat.handoff_requested` event of a handoff (data shape v1, documented in workers/webhooks/event-catalogue.ts). */
function handoffEvent(c: Conversation, handoff: PendingHandoff) {
  return {
    id: handoff.eventId,
    tenantId: c.tenantId,
    type: 'chat.handoff_requested' as const,
    subjectType: 'chat',
    subjectId: c.id,
    data: { version: 1, conversationId: c.id, customerId: c.customerId, cartId: c.cartId, reason: handoff.reason, requestedAt: new Date(handoff.requestedAt).toISOString() },
  }
}

/** Writes the conversation row, a batch of messages and a pending handoff's event in one transaction. */
export async function publish(database: DatabaseConfig, conversation: Conversation, messages: readonly StoredMessage[], handoff: PendingHandoff | null): Promise<void> {
  const client = createDatabase(database)
  try {
    const row = conversationRow(conversation)
    const changes = { customerId: row.customerId, cartId: row.cartId, state: row.state, agentUserId: row.agentUserId, agentName: row.agentName, waitingSince: row.waitingSince, waitedMs: row.waitedMs, messageCount: row.messageCount, lastMessageAt: row.lastMessageAt, updatedAt: row.updatedAt }
    await client.db.transaction(async (tx) => {
      await tx
        .insert(chatConversations)
        .values(row)
        .onConflictDoUpdate({ target: [chatConversations.tenantId, chatConversations.id], set: changes, setWhere: pgSql`${chatConversations.updatedAt} <= excluded.updated_at` })
      if (handoff) await tx.insert(events).values(handoffEvent(conversation, handoff)).onConflictDoNothing({ target: events.id })
      if (messages.length === 0) return
      await tx
        .insert(chatMessages)
        .values(
          messages.map((m) => ({
            tenantId: conversation.tenantId,
            conversationId: conversation.id,
            seq: m.seq,
            role: m.role,
            author: m.author,
            authorUserId: m.authorUserId,
            clientId: m.clientId,
            parts: m.parts,
            interrupted: m.interrupted,
            provider: m.provider,
            model: m.model,
            tokensIn: m.tokensIn,
            tokensOut: m.tokensOut,
            costUsd: m.costUsd,
            latencyMs: m.latencyMs,
            createdAt: new Date(m.createdAt),
          })),
        )
        .onConflictDoNothing()
    })
  } finally {
    await client.close()
  }
}
