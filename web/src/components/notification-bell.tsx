// The bell in the top bar: the signed-in person's unread notification count, polled every 30 s while the tab is
// visible (there is no realtime channel for admins), linking to the notifications page.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { t } from '../i18n'
import { linkClick } from '../router'
import { useVisibleInterval } from '../use-visible-interval'
import { useEffect } from 'preact/hooks'

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
      <span aria-hidden="true">🔔</span>
      {count > 0 ? (
        <span class="bell-badge" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </a>
  )
}
