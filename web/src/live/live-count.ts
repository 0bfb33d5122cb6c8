// A count the tenant's realtime channel pushes (waiting chats, unread notifications), with the REST read it falls back
// to while the socket is not live: at once when the channel goes offline, then every `fallbackMs`, and on `changedEvent`.
import { useEffect, useRef, useState } from 'preact/hooks'
import { useVisibleInterval } from '../use-visible-interval'
import { useTenantLive, type TenantLive } from './tenant-channel'

/** How to get one count: from the channel's state, from the API, and which window event asks for a fresh read. */
export interface LiveCountSource {
  pushed: (live: TenantLive) => number | null
  read: () => Promise<number>
  changedEvent: string
  fallbackMs: number
}

/** The channel's count while it is live, otherwise the last REST read (null until one is known). */
export function useLiveCount(source: LiveCountSource): number | null {
  const live = useTenantLive()
  const isLive = live.status === 'live'
  const [polled, setPolled] = useState<number | null>(null)
  const liveRef = useRef(isLive)
  liveRef.current = isLive
  const refresh = () => {
    if (liveRef.current) return
    source.read().then(setPolled, () => undefined)
  }
  useEffect(() => {
    window.addEventListener(source.changedEvent, refresh)
    return () => window.removeEventListener(source.changedEvent, refresh)
  }, [])
  // The channel failed to connect (or dropped): read now, then poll until it is back.
  useEffect(() => {
    if (live.status === 'offline') refresh()
  }, [live.status])
  useVisibleInterval(refresh, source.fallbackMs, isLive)
  return isLive ? source.pushed(live) : (polled ?? source.pushed(live))
}
