// Active carts: who holds stock right now, how many units, for how much and for how long (a live countdown); the list
// refreshes while the tab is visible, and a cart leaves it when it is checked out or its time runs out.
import { useEffect, useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t } from '../i18n'
import { formatNumber, formatRelative } from '../i18n/format'
import { formatMoney } from '../money'
import { linkClick } from '../router'
import { useResource } from '../use-resource'
import { useVisibleInterval } from '../use-visible-interval'
import './customers/customers.css'

type ActiveCart = Schemas['ActiveCart']

/** How often the list is read again while the page is visible. */
const REFRESH_MS = 10_000
const PAGE_SIZE = 200

/** "12:05" or "1:02:05" until `expiresAt`; null once it passed. */
function timeLeft(expiresAt: string, now: number): string | null {
  const seconds = Math.floor((Date.parse(expiresAt) - now) / 1000)
  if (seconds <= 0) return null
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Ticks once a second, for the countdowns. */
function useNow(): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}

function CartRow(props: { cart: ActiveCart; now: number }) {
  const { cart, now } = props
  const left = timeLeft(cart.expiresAt, now)
  const who = cart.customerName ?? cart.email
  return (
    <tr data-cart-id={cart.id}>
      <td data-label={t('carts.cart')}>
        <code class="cart-id">{cart.id}</code> <small class="muted">{t('carts.lines', { count: cart.linesCount })}</small>
      </td>
      <td data-label={t('carts.customer')}>
        {cart.customerId && who ? (
          <a href={`/customers/${cart.customerId}`} onClick={linkClick}>
            {who}
          </a>
        ) : (
          (who ?? <span class="muted">{t('carts.anonymous')}</span>)
        )}
        {cart.customerName && cart.email ? <small class="muted"> {cart.email}</small> : null}
      </td>
      <td data-label={t('carts.units')} class="num">
        {formatNumber(cart.unitsReserved)}
      </td>
      <td data-label={t('carts.subtotal')} class="num">
        {formatMoney(cart.subtotal, cart.currency)}
      </td>
      <td data-label={t('carts.timeLeft')} class="num" data-testid="time-left">
        <time dateTime={cart.expiresAt}>{left ?? t('carts.expiring')}</time>
      </td>
      <td data-label={t('carts.lastActivity')}>{formatRelative(cart.updatedAt, new Date(now))}</td>
    </tr>
  )
}

/** The active carts page. */
export function CartsPage() {
  const carts = useResource(() => api.get('/v1/carts', { query: { limit: PAGE_SIZE } }), [])
  useVisibleInterval(carts.reload, REFRESH_MS)
  const now = useNow()
  const rows = carts.data?.data ?? []
  return (
    <section>
      <PageHeader title={t('carts.title')} />
      <p class="muted">{t('carts.intro')}</p>
      <ErrorBanner error={carts.error} />
      {carts.data === undefined ? (
        carts.error ? null : <Skeleton rows={4} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('carts.empty')}>
          <p>{t('carts.emptyText')}</p>
        </EmptyState>
      ) : (
        <div class="table-wrap" aria-busy={carts.loading}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('carts.cart')}</th>
                <th scope="col">{t('carts.customer')}</th>
                <th scope="col" class="num">
                  {t('carts.units')}
                </th>
                <th scope="col" class="num">
                  {t('carts.subtotal')}
                </th>
                <th scope="col" class="num">
                  {t('carts.timeLeft')}
                </th>
                <th scope="col">{t('carts.lastActivity')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((cart) => (
                <CartRow key={cart.id} cart={cart} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
