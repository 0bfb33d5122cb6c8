// Low-stock alerts of the tenant: open and acknowledged ones by default, with acknowledge and resolve per alert.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import type { Level } from '../stock'
import { useResource } from '../use-resource'
import { EmptyState, ErrorBanner, Field, Skeleton } from './ui'

type Status = Schemas['StockAlert']['status']

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
        <h2 id="alerts-title">Low-stock alerts</h2>
        <Field label="Alert status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
              <option value="open">Open</option>
              <option value="acknowledged">Acknowledged</option>
              <option value="resolved">Resolved</option>
            </select>
          )}
        </Field>
      </header>
      <ErrorBanner error={error ?? alerts.error} />
      {alerts.data === undefined ? (
        <Skeleton rows={2} label="Loading alerts" />
      ) : alerts.data.data.length === 0 ? (
        <EmptyState title={`No ${status} alerts`} />
      ) : (
        <ul class="alert-list">
          {alerts.data.data.map((alert) => (
            <li key={alert.id}>
              <span class="dot dot--low" aria-hidden="true" />
              <span class="alert-what">
                <strong>{alert.sku}</strong> at {alert.location}: {alert.available} available (threshold {alert.threshold})
                {alert.status !== 'resolved' && props.currentOf?.(alert.sku, alert.location) ? (
                  <strong class="alert-now" data-testid="alert-now">
                    {t('stockPage.alertNow', { count: props.currentOf(alert.sku, alert.location)?.available ?? 0 })}
                  </strong>
                ) : null}
                <small>{new Date(alert.createdAt).toLocaleString()}</small>
              </span>
              {alert.status === 'open' ? (
                <button type="button" onClick={() => void act(alert.id, 'acknowledge')} aria-label={`Acknowledge alert for ${alert.sku}`}>
                  Acknowledge
                </button>
              ) : null}
              {alert.status !== 'resolved' ? (
                <button type="button" onClick={() => void act(alert.id, 'resolve')} aria-label={`Resolve alert for ${alert.sku}`}>
                  Resolve
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
