// The bell in the top bar: the signed-in person's unread notification count, polled every 30 s while the tab is
// visible (there is no realtime channel for admins), linking to the notifications page.
import { api } from '../api/client'
import { t } from '../i18n'
import { linkClick } from '../router'
import { useVisibleInterval } from '../use-visible-interval'
import { useEffect, useState } from 'preact/hooks'

/** How often the bell asks for the unread count. */
export const NOTIFICATION_POLL_MS = 30_000

/** Event the notifications page sends when it marked something read, so the bell updates at once. */
export const NOTIFICATIONS_CHANGED = 'vitrina:notifications-changed'

/** The bell with its unread badge. */
export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null)
  const refresh = () => {
    api.get('/v1/notifications', { query: { limit: 1, unread: 'true' } }).then((page) => setUnread(page.unreadCount), () => undefined)
  }
  useEffect(() => {
    refresh()
    window.addEventListener(NOTIFICATIONS_CHANGED, refresh)
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, refresh)
  }, [])
  useVisibleInterval(refresh, NOTIFICATION_POLL_MS)
  const count = unread ?? 0
  return (
    <a class="bell" href="/notifications" onClick={linkClick} aria-label={count > 0 ? t('notify.bell', { count }) : t('notify.bellNone')} data-testid="notification-bell">
      <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span class="bell-badge" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </a>
  )
}
