// How many conversations wait for a human right now, for the navigation badge and the Live chats page: read from
// GET /v1/chats (its `waiting` count) every few seconds while the tab is visible, and at once when a page changes one.
import { useEffect, useState } from 'preact/hooks'
import { api } from '../api/client'
import { useVisibleInterval } from '../use-visible-interval'

/** How often the waiting count is read again (admins have no tenant-wide realtime channel). */
export const WAITING_POLL_MS = 5_000

/** Event a page sends after changing a conversation's state, so the badge updates without waiting for the poll. */
export const CHATS_CHANGED = 'vitrina:chats-changed'

/** Tells every waiting-count reader to read again. */
export function chatsChanged(): void {
  window.dispatchEvent(new Event(CHATS_CHANGED))
}

/** The tenant's waiting count (null until first read or when the caller may not list conversations). */
export function useWaitingChats(): number | null {
  const [waiting, setWaiting] = useState<number | null>(null)
  const refresh = () => {
    api.get('/v1/chats', { query: { limit: 1 } }).then((page) => setWaiting(page.waiting), () => undefined)
  }
  useEffect(() => {
    refresh()
    window.addEventListener(CHATS_CHANGED, refresh)
    return () => window.removeEventListener(CHATS_CHANGED, refresh)
  }, [])
  useVisibleInterval(refresh, WAITING_POLL_MS)
  return waiting
}
