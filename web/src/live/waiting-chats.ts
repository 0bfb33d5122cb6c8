// How many conversations wait for a human right now, for the navigation badge and the Live chats page: pushed live by
// the tenant's realtime channel (web/src/live/tenant-channel.ts); while that socket is not live, read from GET /v1/chats
// (its `waiting` count) at once, then slowly, and when a page changes a conversation.
import { api } from '../api/client'
import { useLiveCount } from './live-count'

/** How often the count (and the Live chats list) is read again while the realtime channel is not live: a fallback. */
export const WAITING_FALLBACK_POLL_MS = 60_000

/** Event a page sends after changing a conversation's state, so the badge updates even without the channel. */
export const CHATS_CHANGED = 'vitrina:chats-changed'

/** Tells every waiting-count reader to read again (they do only while the channel is not live). */
export function chatsChanged(): void {
  window.dispatchEvent(new Event(CHATS_CHANGED))
}

/** The tenant's waiting count (null until first known, or when the caller may not list conversations). */
export function useWaitingChats(): number | null {
  return useLiveCount({
    pushed: (live) => live.waiting,
    read: () => api.get('/v1/chats', { query: { limit: 1 } }).then((page) => page.waiting),
    changedEvent: CHATS_CHANGED,
    fallbackMs: WAITING_FALLBACK_POLL_MS,
  })
}
