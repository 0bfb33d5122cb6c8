// The bell in the top bar: the signed-in person's unread notification count, pushed live by the tenant's realtime
// channel (web/src/live/tenant-channel.ts); while that socket is not live it is read from GET /v1/notifications at
// once, then slowly. Links to the notifications page.
import { api } from '../api/client'
import { t } from '../i18n'
import { useLiveCount } from '../live/live-count'
import { linkClick } from '../router'

/** How often the notifications page reloads its list; the bell's own count is live. */
export const NOTIFICATION_POLL_MS = 30_000
/** How often the bell reads the unread count while the realtime channel is not live: a fallback. */
export const NOTIFICATION_FALLBACK_POLL_MS = 60_000

/** Event the notifications page sends when it marked something read, so the bell updates even without the channel. */
export const NOTIFICATIONS_CHANGED = 'vitrina:notifications-changed'

/** The bell with its unread badge. */
export function NotificationBell() {
  const count =
    useLiveCount({
      pushed: (live) => live.unread,
      read: () => api.get('/v1/notifications', { query: { limit: 1, unread: 'true' } }).then((page) => page.unreadCount),
      changedEvent: NOTIFICATIONS_CHANGED,
      fallbackMs: NOTIFICATION_FALLBACK_POLL_MS,
    }) ?? 0
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
