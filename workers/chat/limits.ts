// Limits of a chat room, as named constants shared by the object, the routes and the tests.

/** Largest frame a client may send, in bytes; larger frames get an `error` event (message_too_large). */
export const MAX_FRAME_BYTES = 16 * 1024
/** Longest message text, in characters. */
export const MAX_MESSAGE_CHARS = 4_000
/** Messages one connection may send per minute before `rate_limited`. */
export const MESSAGES_PER_MINUTE = 20
/** Open connections one room accepts; the next gets `room_full` and is closed. Far below the 32,768 hibernated sockets per object (https://developers.cloudflare.com/durable-objects/platform/limits/). */
export const MAX_CONNECTIONS_PER_ROOM = 200
/** Messages a `history` frame carries at most; a client pages older ones over GET /v1/chats/{id}/messages. */
export const HISTORY_LIMIT = 200
/** Messages one outbox flush writes to Postgres (16 columns each, under Postgres' 65,535 bound parameters). */
export const FLUSH_BATCH = 200
/** Delay before the alarm publishes new messages to Postgres, batching a burst into one write. */
export const FLUSH_DELAY_MS = 1_000
/** Backoff after a failed flush. */
export const FLUSH_RETRY_MS = 15_000
/** Previous messages the assistant sees as context. */
export const ASSISTANT_CONTEXT_MESSAGES = 30
/** Tool-call rounds one assistant reply may take before it must answer in prose. */
export const MAX_TOOL_ROUNDS = 3
/** Close code of a socket refused because the room is full. */
export const CLOSE_ROOM_FULL = 4008
/** Chat quota units a room leases from the tenant's RateLimiter at once, so most shopper messages need no RPC. */
export const CHAT_QUOTA_LEASE = 10
/** A room quiet this long gives its unspent leased units back to the tenant's quota. */
export const LEASE_IDLE_MS = 60_000
