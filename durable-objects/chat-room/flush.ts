// The room's flush: publishes the conversation, a batch of the outbox and a pending handoff's event to Postgres in one
// transaction, then forgets what was published, wakes the event's subscribers and tells the tenant channel of a new
// state. A failed publish keeps everything for the retry the alarm schedules.
import { FLUSH_BATCH, FLUSH_RETRY_MS } from '../../workers/chat/limits'
import type { DatabaseConfig } from '../../workers/db/client'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { announceState } from './announce'
import { publish } from './postgres'
import * as store from './store'

/** How many messages a flush published, and whether it failed (the alarm retries after FLUSH_RETRY_MS). */
export interface FlushOutcome {
  published: number
  failed: boolean
}

/** Publishes what the room holds that Postgres lacks; see the file header. */
export async function flushRoom(ctx: DurableObjectState, env: Env, database: DatabaseConfig): Promise<FlushOutcome> {
  const sql = ctx.storage.sql
  const conversation = store.readConversation(sql)
  if (!conversation) return { published: 0, failed: false }
  const batch = store.outboxBatch(sql, FLUSH_BATCH)
  const handoff = store.pendingHandoff(sql)
  if (!conversation.dirty && batch.length === 0 && !handoff) return { published: 0, failed: false }
  const stamp = conversation.updatedAt
  try {
    await publish(database, conversation, batch, handoff)
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'chat flush failed', room: conversation.id, error: String(error) }))
    store.setFlushRetryAt(sql, Date.now() + FLUSH_RETRY_MS)
    return { published: 0, failed: true }
  }
  store.clearOutbox(sql, batch.map((m) => m.seq))
  if (handoff) {
    store.clearPendingHandoff(sql, handoff.eventId)
    ctx.waitUntil(dispatchEvents(env, conversation.tenantId, ['chat.handoff_requested']))
  }
  const current = store.readConversation(sql)
  if (current && current.updatedAt === stamp) store.writeConversation(sql, { ...current, dirty: false })
  announceState(ctx, env, conversation)
  return { published: batch.length, failed: false }
}
