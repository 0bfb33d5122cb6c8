// The tenant's plan: what applies now, the subscription and its renewal, the past-due banner with the grace period's
// end, usage against the plan's limits, upgrade and manage buttons (owners; Stripe's hosted pages) and recent invoices.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate, formatNumber } from '../i18n/format'
import { formatMoney } from '../money'
import { useResource } from '../use-resource'

type Usage = Schemas['Usage']
const LIMITS: { label: MessageKey; used: (u: Usage) => number; limit: (u: Usage) => number | null }[] = [
  { label: 'usage.searches', used: (u) => u.totals.searches ?? 0, limit: (u) => u.plan.monthlySearches },
  { label: 'usage.embeddings', used: (u) => u.totals.embeddings ?? 0, limit: (u) => u.plan.monthlyEmbeddings },
  { label: 'usage.chatMessages', used: (u) => u.totals.chat_messages ?? 0, limit: (u) => u.plan.monthlyChatMessages },
]

/** Sends the browser to a Stripe-hosted page the API answered. */
function go(answer: { url: string }): void {
  window.location.assign(answer.url)
}

/** The billing page; `canManage` (owners) shows the upgrade and manage buttons. */
export function BillingPage(props: { canManage: boolean }) {
  const billing = useResource(() => api.get('/v1/billing'), [])
  const usage = useResource(() => api.get('/v1/usage'), [])
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const act = async (call: () => Promise<{ url: string }>) => {
    setBusy(true)
    setError(null)
    try {
      go(await call())
    } catch (caught) {
      setError(caught)
      setBusy(false)
    }
  }

  const data = billing.data
  const sub = data?.subscription ?? null
  return (
    <section>
      <PageHeader title={t('nav.billing')} />
      <ErrorBanner error={error ?? billing.error} />
      {data === undefined ? (
        billing.error ? null : <Skeleton rows={5} label={t('billing.loading')} />
      ) : (
        <>
          {data.pastDue && data.downgradeAt ? (
            <p class="banner banner--error" role="alert" data-testid="past-due">
              {t('billing.pastDue', { when: formatDate(data.downgradeAt) })}
            </p>
          ) : null}
          <div class="card">
            <h2>{t('billing.plan', { plan: data.plan.name })}</h2>
            {sub ? (
              <p class="muted">
                {t('billing.status', { status: sub.status })}
                {sub.currentPeriodEnd ? ` · ${t(sub.cancelAtPeriodEnd ? 'billing.endsAt' : 'billing.renews', { when: formatDate(sub.currentPeriodEnd) })}` : ''}
              </p>
            ) : null}
            {props.canManage ? (
              <p class="actions">
                {sub && ['active', 'trialing', 'past_due'].includes(sub.status) ? (
                  <button type="button" disabled={busy} onClick={() => act(() => api.post('/v1/billing/portal'))}>
                    {t('billing.manage')}
                  </button>
                ) : (
                  data.plans
                    .filter((p) => p.id !== data.plan.id)
                    .flatMap((p) =>
                      p.intervals.map((interval) => (
                        <button key={`${p.id}-${interval}`} type="button" disabled={busy} onClick={() => act(() => api.post('/v1/billing/checkout', { body: { plan: p.id, interval } }))}>
                          {interval === 'year' ? t('billing.yearly', { plan: p.name }) : t('billing.upgrade', { plan: p.name })}
                        </button>
                      )),
                    )
                )}
              </p>
            ) : (
              <p class="muted">{t('billing.ownersOnly')}</p>
            )}
          </div>
          {usage.data ? (
            <div class="card">
              <h2>{t('billing.usage')}</h2>
              <dl class="stats">
                {LIMITS.map(({ label, used, limit }) => {
                  const u = usage.data as Usage
                  const max = limit(u)
                  return (
                    <div class="stat" key={label}>
                      <dt>{t(label)}</dt>
                      <dd>{max === null ? t('billing.unlimited', { used: formatNumber(used(u)) }) : t('billing.usageOf', { used: formatNumber(used(u)), limit: formatNumber(max) })}</dd>
                    </div>
                  )
                })}
              </dl>
            </div>
          ) : null}
          <div class="card">
            <h2>{t('billing.invoices')}</h2>
            {data.invoices.length === 0 ? (
              <p class="muted">{t('billing.noInvoices')}</p>
            ) : (
              <table>
                <tbody>
                  {data.invoices.map((invoice) => (
                    <tr key={invoice.id}>
                      <td>{formatDate(invoice.createdAt)}</td>
                      <td>{formatMoney(invoice.amountDue, invoice.currency.toUpperCase())}</td>
                      <td>{invoice.status}</td>
                      <td>
                        {invoice.url ? (
                          <a href={invoice.url} target="_blank" rel="noopener noreferrer">
                            {t('billing.invoice')}
                          </a>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </section>
  )
}
