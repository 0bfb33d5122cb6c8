// The order's online payment link: a Stripe Checkout Session on the shop's account for what the order still owes, to
// send to the customer; and the notice of a disputed card payment.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { ErrorBanner } from './ui'

type Order = Schemas['Order']
type Session = Schemas['OrderCheckoutSession']

/** The payment link card of an open order that owes money, and the dispute banner of a disputed one. */
export function OrderPaymentLink(props: { order: Order }) {
  const { order } = props
  const [session, setSession] = useState<Session | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const owes = order.status === 'open' && order.totals.total > order.paidAmount

  const create = async () => {
    setBusy(true)
    setError(null)
    try {
      setSession(await api.post('/v1/orders/{id}/checkout-session', { path: { id: order.id }, body: {} }))
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {order.disputedAt ? (
        <p class="banner banner--error" role="alert" data-testid="order-disputed">
          {t('order.disputed', { when: formatDateTime(order.disputedAt) })}
        </p>
      ) : null}
      {owes ? (
        <div class="card">
          <h2>{t('order.paymentLink')}</h2>
          <ErrorBanner error={error} />
          {session ? (
            <p>
              <input type="text" readOnly value={session.url} aria-label={t('order.paymentLink')} onFocus={(e) => e.currentTarget.select()} />{' '}
              <span class="muted">{t('order.paymentLinkExpires', { when: formatDateTime(session.expiresAt) })}</span>
            </p>
          ) : (
            <button type="button" disabled={busy} onClick={create}>
              {t('order.paymentLinkCreate')}
            </button>
          )}
        </div>
      ) : null}
    </>
  )
}
