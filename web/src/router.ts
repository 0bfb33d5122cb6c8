// Client-side routing over the History API: the Worker answers every UI path with index.html (SPA fallback).
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<() => void>()

/** Goes to `path` without a page load. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  for (const listener of listeners) listener()
}

/** The current path and query, re-rendering on navigation and on back/forward. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [location, setLocation] = useState(() => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) }))
  useEffect(() => {
    const update = () => setLocation({ path: window.location.pathname, search: new URLSearchParams(window.location.search) })
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return location
}

/** Handles clicks on in-app links so they navigate without reloading. */
export function linkClick(event: MouseEvent): void {
  const anchor = event.currentTarget
  if (!(anchor instanceof HTMLAnchorElement) || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
  event.preventDefault()
  navigate(anchor.pathname + anchor.search)
}
