// Webhook endpoints (owners and admins): list with state and events, create (the signing secret shown once), edit,
// turn on and off, rotate the secret (the new one shown once), send a test event, delete, and each one's delivery log.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { SecretOnce, WebhookForm, type EndpointDraft } from '../components/webhook-form'
import { WebhookLog } from '../components/webhook-log'
import { t } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { eventLabel } from '../event-labels'

type Endpoint = Schemas['WebhookEndpoint']

function stateOf(e: Endpoint): string {
  if (e.enabled) return t('hooks.state.enabled')
  if (e.disabledReason === 'gone') return t('hooks.state.gone')
  if (e.disabledReason === 'failing') return t('hooks.state.failing')
  return t('hooks.state.disabled')
}

function EndpointRow(props: { endpoint: Endpoint; onChanged: () => void; onSecret: (url: string, secret: string) => void }) {
  const e = props.endpoint
  const [editing, setEditing] = useState(false)
  const [logOpen, setLogOpen] = useState(false)
  const [notice, setNotice] = useState('')
  const { error, act } = useAction(props.onChanged)
  const path = { id: e.id }
  const save = async (draft: EndpointDraft) => {
    await api.patch('/v1/webhooks/endpoints/{id}', { path, body: draft })
    setEditing(false)
    props.onChanged()
  }
  const rotate = async () => {
    if (!confirm(t('hooks.rotateConfirm', { url: e.url }))) return
    await act(async () => props.onSecret(e.url, (await api.post('/v1/webhooks/endpoints/{id}/rotate-secret', { path })).secret))
  }
  const test = async () => {
    setNotice('')
    if (await act(() => api.post('/v1/webhooks/endpoints/{id}/test', { path }))) setNotice(t('hooks.testSent'))
  }
  const remove = async () => {
    if (confirm(t('hooks.deleteConfirm', { url: e.url }))) await act(() => api.delete('/v1/webhooks/endpoints/{id}', { path }))
  }
  if (editing) return <WebhookForm initial={e} onSubmit={save} onCancel={() => setEditing(false)} />
  return (
    <li class="card webhook-row" data-endpoint={e.id}>
      <div>
        <strong class="webhook-url">{e.url}</strong> <span class={`badge${e.enabled ? '' : ' badge--off'}`}>{stateOf(e)}</span>
        {e.description ? <p>{e.description}</p> : null}
        <small class="muted">{e.eventTypes.includes('*') ? t('hooks.eventsAll') : e.eventTypes.map(eventLabel).join(', ')}</small>
        {e.previousSecretExpiresAt ? <small class="muted"> · {t('hooks.previousUntil', { date: formatDateTime(e.previousSecretExpiresAt) })}</small> : null}
      </div>
      <ErrorBanner error={error} />
      {notice ? <span role="status">{notice}</span> : null}
      <div class="form-actions">
        <button type="button" onClick={() => setEditing(true)}>
          {t('hooks.edit')}
        </button>
        <button type="button" onClick={() => void test()} disabled={!e.enabled}>
          {t('hooks.test')}
        </button>
        <button type="button" onClick={() => void rotate()}>
          {t('hooks.rotate')}
        </button>
        <button type="button" onClick={() => setLogOpen(!logOpen)} aria-expanded={logOpen}>
          {logOpen ? t('hooks.hideLog') : t('hooks.log')}
        </button>
        <button type="button" class="danger" onClick={() => void remove()}>
          {t('hooks.delete')}
        </button>
      </div>
      {logOpen ? <WebhookLog endpointId={e.id} /> : null}
    </li>
  )
}

/** The webhooks page (owners and admins). */
export function WebhooksPage() {
  const endpoints = useResource(() => api.get('/v1/webhooks/endpoints', { query: { limit: 100 } }), [])
  const [adding, setAdding] = useState(false)
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null)
  const create = async (draft: EndpointDraft) => {
    const created = await api.post('/v1/webhooks/endpoints', { body: draft })
    setAdding(false)
    setSecret({ url: created.url, secret: created.secret })
    endpoints.reload()
  }
  return (
    <section>
      <PageHeader title={t('nav.webhooks')}>
        {adding ? null : (
          <button type="button" class="primary" onClick={() => setAdding(true)}>
            {t('hooks.add')}
          </button>
        )}
      </PageHeader>
      <p class="muted">{t('hooks.intro')}</p>
      {secret ? <SecretOnce url={secret.url} secret={secret.secret} onDone={() => setSecret(null)} /> : null}
      {adding ? <WebhookForm onSubmit={create} onCancel={() => setAdding(false)} /> : null}
      <ErrorBanner error={endpoints.error} />
      {!endpoints.data ? (
        <Skeleton rows={3} />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState title={t('hooks.empty')} />
      ) : (
        <ul class="cards">
          {endpoints.data.data.map((e) => (
            <EndpointRow key={e.id} endpoint={e} onChanged={endpoints.reload} onSecret={(url, s) => setSecret({ url, secret: s })} />
          ))}
        </ul>
      )}
    </section>
  )
}
