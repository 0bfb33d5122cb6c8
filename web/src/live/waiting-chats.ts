// How many conversations wait for a human right now, for the navigation badge and the Live chats page: pushed live by
// the tenant's realtime channel (web/src/live/tenant-channel.ts); while that socket is not live, read from GET /v1/chats
// (its `waiting` count) at once, then slowly, and when a page changes a conversation.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import { useVisibleInterval } from '../use-visible-interval'
import { useTenantLive } from './tenant-channel'

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
  const live = useTenantLive()
  const isLive = live.status === 'live'
  const [polled, setPolled] = useState<number | null>(null)
  const liveRef = useRef(isLive)
  liveRef.current = isLive
  const refresh = () => {
    if (liveRef.current) return
    api.get('/v1/chats', { query: { limit: 1 } }).then((page) => setPolled(page.waiting), () => undefined)
  }
  useEffect(() => {
    window.addEventListener(CHATS_CHANGED, refresh)
    return () => window.removeEventListener(CHATS_CHANGED, refresh)
  }, [])
  // The channel failed to connect (or dropped): read now, then poll until it is back.
  useEffect(() => {
    if (live.status === 'offline') refresh()
  }, [live.status])
  useVisibleInterval(refresh, WAITING_FALLBACK_POLL_MS, isLive)
  return isLive ? live.waiting : (polled ?? live.waiting)
}
