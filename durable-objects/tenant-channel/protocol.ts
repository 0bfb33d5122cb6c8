// The tenant's realtime channel protocol: every message a TenantChannel object sends to the admin UI's sockets, one
// union shared by the object and the UI (web/src/live/tenant-channel.ts); every send is checked with `satisfies`.
import type { ChatState } from '../../workers/chat/protocol'
import { jsonObjectFrame } from '../../workers/lib/json-frame'

/** Messages from the tenant channel to a signed-in member's socket. */
export type TenantServerMessage =
  /** Sent once on connect: how many conversations wait for a human, and this member's unread in-app notifications. */
  | { type: 'hello'; waiting: number; unread: number }
  /** The tenant's conversations waiting for a human, after any of them changed state. */
  | { type: 'waiting'; count: number }
  /** A conversation changed state (or started), as Postgres now has it: a list of conversations may reload. */
  | { type: 'chat'; id: string; state: ChatState }
  /** This member's unread count changed (new notifications, or some marked read); sent only to their own sockets. */
  | { type: 'notifications'; unread: number }

const CHAT_STATES: readonly string[] = ['assistant', 'waiting', 'human', 'closed'] satisfies ChatState[]

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/** The message in `data` when it is one of the protocol's, with every field of the right type; otherwise null. */
export function parseTenantMessage(data: unknown): TenantServerMessage | null {
  const message = jsonObjectFrame(data)
  if (!message) return null
  switch (message.type) {
    case 'hello':
      return isCount(message.waiting) && isCount(message.unread) ? { type: 'hello', waiting: message.waiting, unread: message.unread } : null
    case 'waiting':
      return isCount(message.count) ? { type: 'waiting', count: message.count } : null
    case 'chat':
      return typeof message.id === 'string' && typeof message.state === 'string' && CHAT_STATES.includes(message.state)
        ? { type: 'chat', id: message.id, state: message.state as ChatState }
        : null
    case 'notifications':
      return isCount(message.unread) ? { type: 'notifications', unread: message.unread } : null
    default:
      return null
  }
}
