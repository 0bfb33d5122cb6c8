// The signed-in person's notifications: the list (newest first, unread highlighted, older pages on demand), marking one
// or all read (the list reloads when the realtime channel reports a new unread count, and polls only while that channel
// is down), and the preferences table of channels per event type.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { NOTIFICATIONS_CHANGED, NOTIFICATION_POLL_MS } from '../components/notification-bell'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { eventLabel } from '../event-labels'
import { t } from '../i18n'
import { useTenantLive, useTenantMessages } from '../live/tenant-channel'
import { formatDateTime } from '../i18n/format'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { useVisibleInterval } from '../use-visible-interval'

type Notification = Schemas['Notification']
type Preference = Schemas['NotificationPreference']

const changed = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED))

function NotificationList() {
  const [unreadOnly, setUnreadOnly] = useState(false)
  const [older, setOlder] = useState<{ items: Notification[]; cursor: string | null }>({ items: [], cursor: null })
  const page = useResource(() => api.get('/v1/notifications', { query: { limit: 20, unread: unreadOnly ? 'true' : 'false' } }), [unreadOnly])
  const { error, act } = useAction(() => {
    page.reload()
    setOlder({ items: [], cursor: null })
    changed()
  })
  const live = useTenantLive()
  useVisibleInterval(page.reload, NOTIFICATION_POLL_MS, live.status === 'live')
  useTenantMessages((message) => message.type === 'notifications' && page.reload())
  const more = async () => {
    const cursor = older.cursor ?? page.data?.nextCursor
    if (!cursor) return
    const next = await api.get('/v1/notifications', { query: { limit: 20, cursor, unread: unreadOnly ? 'true' : 'false' } })
    setOlder({ items: [...older.items, ...next.data], cursor: next.nextCursor })
  }
  if (!page.data) return page.error ? <ErrorBanner error={page.error} /> : <Skeleton rows={4} />
  const items = [...page.data.data, ...older.items]
  const hasMore = older.items.length > 0 ? older.cursor !== null : page.data.nextCursor !== null
  return (
    <section aria-label={t('nav.notifications')}>
      <ErrorBanner error={error ?? page.error} />
      <div class="toolbar">
        <label class="checkbox">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} /> {t('notify.unreadOnly')}
        </label>
        <span class="muted" data-testid="page-unread">
          {t('notify.unreadCount', { count: page.data.unreadCount })}
        </span>
        <button type="button" disabled={page.data.unreadCount === 0} onClick={() => void act(() => api.post('/v1/notifications/read', { body: { all: true } }))}>
          {t('notify.markAllRead')}
        </button>
      </div>
      {items.length === 0 ? (
        <EmptyState title={unreadOnly ? t('notify.emptyUnread') : t('notify.empty')} />
      ) : (
        <ul class="cards notification-list">
          {items.map((n) => (
            <li key={n.id} class={`card notification${n.readAt ? '' : ' notification--unread'}`} data-unread={n.readAt ? undefined : 'true'}>
              <div>
                <strong>{n.title}</strong> {n.readAt ? null : <span class="badge">{t('notify.unread')}</span>}
                <p>{n.body}</p>
                <small class="muted">
                  {eventLabel(n.type)} · {formatDateTime(n.createdAt)}
                </small>
              </div>
              {n.readAt ? null : (
                <button type="button" aria-label={t('notify.markReadNamed', { title: n.title })} onClick={() => void act(() => api.post('/v1/notifications/read', { body: { ids: [n.id] } }))}>
                  {t('notify.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {hasMore ? (
        <button type="button" onClick={() => void more()}>
          {t('notify.more')}
        </button>
      ) : null}
    </section>
  )
}

function PreferencesForm() {
  const prefs = useResource(() => api.get('/v1/notifications/preferences'), [])
  const [draft, setDraft] = useState<Record<string, Preference> | null>(null)
  const [saved, setSaved] = useState(false)
  const { error, act } = useAction(prefs.reload)
  if (!prefs.data) return prefs.error ? <ErrorBanner error={prefs.error} /> : <Skeleton rows={6} />
  const current: Record<string, Preference> = draft ?? Object.fromEntries(prefs.data.data.map((p) => [p.type, { type: p.type, inApp: p.inApp, email: p.email }]))
  const toggle = (type: string, channel: 'inApp' | 'email', value: boolean) => {
    const row = current[type]
    if (!row) return
    setSaved(false)
    setDraft({ ...current, [type]: { ...row, [channel]: value } })
  }
  const save = async (event: Event) => {
    event.preventDefault()
    const ok = await act(() => api.put('/v1/notifications/preferences', { body: { preferences: Object.values(current) } }))
    setSaved(ok)
    if (ok) setDraft(null)
  }
  return (
    <form class="card" aria-label={t('notify.prefs.title')} onSubmit={(e) => void save(e)}>
      <h2>{t('notify.prefs.title')}</h2>
      <p class="muted">{t('notify.prefs.intro')}</p>
      {prefs.data.emailConfigured ? null : <p class="banner">{t('notify.prefs.noEmail')}</p>}
      <ErrorBanner error={error} />
      <table class="prefs">
        <thead>
          <tr>
            <th scope="col">{t('notify.prefs.event')}</th>
            <th scope="col">{t('notify.prefs.inApp')}</th>
            <th scope="col">{t('notify.prefs.email')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(current).map((p) => (
            <tr key={p.type}>
              <th scope="row" data-label={t('notify.prefs.event')}>
                {eventLabel(p.type)}
              </th>
              <td data-label={t('notify.prefs.inApp')}>
                <input type="checkbox" aria-label={t('notify.prefs.inAppNamed', { event: eventLabel(p.type) })} checked={p.inApp} onChange={(e) => toggle(p.type, 'inApp', e.currentTarget.checked)} />
              </td>
              <td data-label={t('notify.prefs.email')}>
                <input type="checkbox" aria-label={t('notify.prefs.emailNamed', { event: eventLabel(p.type) })} checked={p.email} onChange={(e) => toggle(p.type, 'email', e.currentTarget.checked)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="form-actions">
        <button type="submit" class="primary">
          {t('notify.prefs.save')}
        </button>
        {saved ? <span role="status">{t('notify.prefs.saved')}</span> : null}
      </div>
    </form>
  )
}

/** The notifications page (every signed-in member). */
export function NotificationsPage() {
  return (
    <section>
      <PageHeader title={t('nav.notifications')} />
      <p class="muted">{t('notify.intro')}</p>
      <NotificationList />
      <PreferencesForm />
    </section>
  )
}
