// Payments settings: connect the shop's own Stripe account (onboarding on Stripe's hosted pages, owners) and see whether
// it can take card payments and receive payouts, and what Stripe still needs.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t } from '../i18n'
import { useResource } from '../use-resource'

/** The payments settings page; `canManage` (owners) shows the connect button. */
export function PaymentsPage(props: { canManage: boolean }) {
  const account = useResource(() => api.get('/v1/payments/connect'), [])
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const connect = async () => {
    setBusy(true)
    setError(null)
    try {
      const link = await api.post('/v1/payments/connect')
      window.location.assign(link.url)
    } catch (caught) {
      setError(caught)
      setBusy(false)
    }
  }

  const data = account.data
  const flag = (on: boolean) => (on ? t('payments.enabled') : t('payments.disabled'))
  return (
    <section>
      <PageHeader title={t('nav.payments')} />
      <p class="muted">{t('payments.intro')}</p>
      <ErrorBanner error={error ?? account.error} />
      {data === undefined ? (
        account.error ? null : <Skeleton rows={3} label={t('payments.loading')} />
      ) : (
        <div class="card">
          {data.accountId === null ? (
            <p>{t('payments.notConnected')}</p>
          ) : (
            <dl class="stats">
              <div class="stat">
                <dt>{t('payments.charges')}</dt>
                <dd data-testid="charges">{flag(data.chargesEnabled)}</dd>
              </div>
              <div class="stat">
                <dt>{t('payments.payouts')}</dt>
                <dd>{flag(data.payoutsEnabled)}</dd>
              </div>
            </dl>
          )}
          {data.requirementsDue.length > 0 ? <p class="muted">{t('payments.requirements', { items: data.requirementsDue.join(', ') })}</p> : null}
          {props.canManage && !(data.chargesEnabled && data.requirementsDue.length === 0) ? (
            <button type="button" disabled={busy} onClick={connect}>
              {data.accountId === null ? t('payments.connect') : t('payments.resume')}
            </button>
          ) : null}
        </div>
      )}
    </section>
  )
}
