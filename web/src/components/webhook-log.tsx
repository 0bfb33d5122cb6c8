// One endpoint's delivery log: messages newest first filtered by status and event type, each with its attempts on
// demand and a retry button.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { eventLabel } from '../event-labels'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { EmptyState, ErrorBanner, Skeleton } from './ui'
import { WEBHOOK_EVENT_TYPES } from './webhook-form'

type Message = Schemas['WebhookMessage']
const STATUS_LABEL: Record<Message['status'], MessageKey> = { pending: 'hooks.log.pending', delivered: 'hooks.log.delivered', failed: 'hooks.log.failed' }

function Attempts(props: { endpointId: string; messageId: string }) {
  const detail = useResource(() => api.get('/v1/webhooks/endpoints/{id}/messages/{messageId}', { path: { id: props.endpointId, messageId: props.messageId } }), [props.messageId])
  if (!detail.data) return detail.error ? <ErrorBanner error={detail.error} /> : <Skeleton rows={1} />
  return (
    <ol class="attempts">
      {detail.data.attemptLog.map((a) => (
        <li key={a.id}>
          {t('hooks.log.attemptLine', { when: formatDateTime(a.attemptedAt), status: a.responseStatus === null ? t('hooks.log.noStatus') : String(a.responseStatus), ms: a.latencyMs })}
        </li>
      ))}
    </ol>
  )
}

/** The log of `endpointId`. */
export function WebhookLog(props: { endpointId: string }) {
  const [status, setStatus] = useState<'' | Message['status']>('')
  const [eventType, setEventType] = useState('')
  const [open, setOpen] = useState<string | null>(null)
  const [notice, setNotice] = useState('')
  const log = useResource(
    () => api.get('/v1/webhooks/endpoints/{id}/messages', { path: { id: props.endpointId }, query: { limit: 50, ...(status ? { status } : {}), ...(eventType ? { eventType } : {}) } }),
    [props.endpointId, status, eventType],
  )
  const { error, act } = useAction(log.reload)
  const retry = async (m: Message) => {
    setNotice('')
    if (await act(() => api.post('/v1/webhooks/endpoints/{id}/messages/{messageId}/retry', { path: { id: props.endpointId, messageId: m.id } }))) setNotice(t('hooks.log.retried'))
  }
  return (
    <section class="webhook-log" aria-label={t('hooks.log')}>
      <div class="toolbar">
        <label>
          {t('hooks.log.status')}{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as '' | Message['status'])}>
            <option value="">{t('hooks.log.any')}</option>
            {(['pending', 'delivered', 'failed'] as const).map((s) => (
              <option key={s} value={s}>
                {t(STATUS_LABEL[s])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('hooks.log.eventType')}{' '}
          <select value={eventType} onChange={(e) => setEventType(e.currentTarget.value)}>
            <option value="">{t('hooks.log.any')}</option>
            {['webhook.test', ...WEBHOOK_EVENT_TYPES].map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        {notice ? <span role="status">{notice}</span> : null}
      </div>
      <ErrorBanner error={error ?? log.error} />
      {!log.data ? (
        <Skeleton rows={2} />
      ) : log.data.data.length === 0 ? (
        <EmptyState title={t('hooks.log.empty')} />
      ) : (
        <ul class="log-list">
          {log.data.data.map((m) => (
            <li key={m.id} class={`log-row log-row--${m.status}`} data-status={m.status}>
              <span>
                <code>{m.eventType}</code> {m.eventType === 'webhook.test' ? null : <span class="muted">{eventLabel(m.eventType)}</span>}
              </span>
              <span class="badge">{t(STATUS_LABEL[m.status])}</span>
              <span class="muted">
                {t('hooks.log.attempts', { count: m.attempts })} · {formatDateTime(m.createdAt)}
              </span>
              <button type="button" onClick={() => setOpen(open === m.id ? null : m.id)} aria-expanded={open === m.id}>
                {t('hooks.log.details')}
              </button>
              <button type="button" onClick={() => void retry(m)}>
                {t('hooks.log.retry')}
              </button>
              {open === m.id ? <Attempts endpointId={props.endpointId} messageId={m.id} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
