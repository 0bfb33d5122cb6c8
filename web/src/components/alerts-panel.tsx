// Low-stock alerts of the tenant: open and acknowledged ones by default, with acknowledge and resolve per alert.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatDateTime, formatRelative } from '../i18n/format'
import type { Level } from '../stock'
import { useResource } from '../use-resource'
import { EmptyState, ErrorBanner, Field, Skeleton } from './ui'

type Status = Schemas['StockAlert']['status']
const EMPTY_TITLES: Record<Status, MessageKey> = { open: 'alerts.emptyOpen', acknowledged: 'alerts.emptyAcknowledged', resolved: 'alerts.emptyResolved' }

/** The alerts list; `refreshKey` changes when a live `stock.low` message arrives; `currentOf` gives a level as it is now. */
export function AlertsPanel(props: { refreshKey: number; currentOf?: (sku: string, location: string) => Level | undefined }) {
  const [status, setStatus] = useState<Status>('open')
  const alerts = useResource(() => api.get('/v1/inventory/alerts', { query: { status, limit: 50 } }), [status, props.refreshKey])
  const [error, setError] = useState<unknown>(null)
  const act = async (id: string, action: 'acknowledge' | 'resolve') => {
    setError(null)
    try {
      if (action === 'acknowledge') await api.post('/v1/inventory/alerts/{id}/acknowledge', { path: { id } })
      else await api.post('/v1/inventory/alerts/{id}/resolve', { path: { id } })
      alerts.reload()
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <section class="card alerts" aria-labelledby="alerts-title">
      <header class="section-header">
        <h2 id="alerts-title">{t('alerts.title')}</h2>
        <Field label={t('alerts.status')}>
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
              <option value="open">{t('alerts.open')}</option>
              <option value="acknowledged">{t('alerts.acknowledged')}</option>
              <option value="resolved">{t('alerts.resolved')}</option>
            </select>
          )}
        </Field>
      </header>
      <ErrorBanner error={error ?? alerts.error} />
      {alerts.data === undefined ? (
        <Skeleton rows={2} label={t('alerts.loading')} />
      ) : alerts.data.data.length === 0 ? (
        <EmptyState title={t(EMPTY_TITLES[status])} />
      ) : (
        <ul class="alert-list">
          {alerts.data.data.map((alert) => (
            <li key={alert.id}>
              <span class="dot dot--low" aria-hidden="true" />
              <span class="alert-what">
                <strong>{alert.sku}</strong> {t('alerts.what', { location: alert.location, count: alert.available, threshold: alert.threshold })}
                {alert.status !== 'resolved' && props.currentOf?.(alert.sku, alert.location) ? (
                  <strong class="alert-now" data-testid="alert-now">
                    {t('stockPage.alertNow', { count: props.currentOf(alert.sku, alert.location)?.available ?? 0 })}
                  </strong>
                ) : null}
                <small title={formatDateTime(alert.createdAt)}>{formatRelative(alert.createdAt)}</small>
              </span>
              {alert.status === 'open' ? (
                <button type="button" onClick={() => void act(alert.id, 'acknowledge')} aria-label={t('alerts.acknowledgeFor', { sku: alert.sku })}>
                  {t('alerts.acknowledge')}
                </button>
              ) : null}
              {alert.status !== 'resolved' ? (
                <button type="button" onClick={() => void act(alert.id, 'resolve')} aria-label={t('alerts.resolveFor', { sku: alert.sku })}>
                  {t('alerts.resolve')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
