// The webhook endpoint form (create and edit): URL, description, the event picker (all, or chosen types) and, when
// editing, whether it is on; and the one-time view of a signing secret with a copy button.
import { useState } from 'preact/hooks'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { eventLabel } from '../event-labels'
import { ErrorBanner, TextField } from './ui'

type EventType = Exclude<Schemas['WebhookEndpointInput']['eventTypes'][number], '*'>
/** Every event type an endpoint can take, in catalogue order. */
export const WEBHOOK_EVENT_TYPES: readonly EventType[] = [
  'product.created', 'product.updated', 'product.deleted', 'image.indexed', 'image.failed', 'import.completed', 'stock.low', 'stock.out',
  'stock.restocked', 'reservation.expired', 'order.created', 'order.paid', 'order.fulfilled', 'order.cancelled', 'order.refunded',
  'customer.created', 'cart.expired', 'subscription.updated', 'payment.failed', 'chat.handoff_requested',
]

/** What the form submits. */
export type EndpointDraft = Schemas['WebhookEndpointInput']

/** Create or edit form; `initial` present means editing. */
export function WebhookForm(props: { initial?: Schemas['WebhookEndpoint']; onSubmit: (draft: EndpointDraft) => Promise<void>; onCancel: () => void }) {
  const initial = props.initial
  const [url, setUrl] = useState(initial?.url ?? '')
  const [description, setDescription] = useState(initial?.description ?? '')
  const [all, setAll] = useState(initial ? initial.eventTypes.includes('*') : true)
  const [types, setTypes] = useState<EventType[]>(initial ? (initial.eventTypes.filter((x) => x !== '*') as EventType[]) : [])
  const [enabled, setEnabled] = useState(initial?.enabled ?? true)
  const [error, setError] = useState<unknown>(null)
  const issues = fieldErrors(error)
  const title = initial ? t('hooks.form.editTitle') : t('hooks.form.addTitle')
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await props.onSubmit({ url, description: description.trim() || null, eventTypes: all ? ['*'] : types, enabled })
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <form class="card" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <ErrorBanner error={error} />
      <TextField label={t('hooks.form.url')} type="url" required value={url} error={issues.url} onInput={(e) => setUrl(e.currentTarget.value)} />
      <TextField label={t('hooks.form.description')} value={description} error={issues.description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <fieldset>
        <legend>{t('hooks.form.events')}</legend>
        <label class="checkbox">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> {t('hooks.form.allEvents')}
        </label>
        {all ? null : (
          <div class="event-picker">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} class="checkbox">
                <input
                  type="checkbox"
                  checked={types.includes(type)}
                  onChange={(e) => setTypes(e.currentTarget.checked ? [...types, type] : types.filter((x) => x !== type))}
                />{' '}
                {eventLabel(type)} <code>{type}</code>
              </label>
            ))}
          </div>
        )}
        {issues.eventTypes ? <small class="field-error">{issues.eventTypes}</small> : null}
      </fieldset>
      {initial ? (
        <label class="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> {t('hooks.form.enabled')}
        </label>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="primary">
          {initial ? t('hooks.form.save') : t('hooks.form.create')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('hooks.form.cancel')}
        </button>
      </div>
    </form>
  )
}

/** A signing secret shown once. */
export function SecretOnce(props: { url: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="card created-key" role="region" aria-label={t('hooks.secret.title', { url: props.url })}>
      <p>
        <strong>{t('hooks.secret.title', { url: props.url })}</strong> {t('hooks.secret.once')}
      </p>
      <code class="secret" data-testid="webhook-secret">
        {props.secret}
      </code>
      <div class="form-actions">
        <button type="button" class="primary" onClick={() => void navigator.clipboard.writeText(props.secret).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? t('hooks.secret.copied') : t('hooks.secret.copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('hooks.secret.done')}
        </button>
      </div>
    </div>
  )
}
