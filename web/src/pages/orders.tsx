// The orders list: the filters of `GET /v1/orders` (status, payment, fulfillment, created between, search), newest
// first with a keyset "load more", money in each order's currency, status badges and the CSV export of the same filters.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import {
  downloadOrdersCsv,
  FULFILLMENT_LABELS,
  FULFILLMENT_STATUSES,
  OrderBadges,
  orderNumber,
  ORDER_STATUSES,
  PAYMENT_LABELS,
  PAYMENT_STATUSES,
  STATUS_LABELS,
  type FulfillmentStatus,
  type OrderStatus,
  type PaymentStatus,
} from '../components/order-labels'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { t } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { formatMoney } from '../money'
import { linkClick, navigate } from '../router'
import { useResource } from '../use-resource'
import './orders.css'

type Summary = Schemas['OrderSummary']

/** Orders read per page. */
const PAGE_SIZE = 50

interface Filters {
  status: OrderStatus | ''
  paymentStatus: PaymentStatus | ''
  fulfillmentStatus: FulfillmentStatus | ''
  from: string
  to: string
  q: string
}

const NO_FILTERS: Filters = { status: '', paymentStatus: '', fulfillmentStatus: '', from: '', to: '', q: '' }

/** A yyyy-mm-dd day of the person's calendar as an instant: its start, or the start of the next day (exclusive end). */
function dayStart(day: string, next = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const date = new Date(`${day}T00:00:00`)
  if (next) date.setDate(date.getDate() + 1)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** The API query of the filters (empty values left out). */
function queryOf(filters: Filters) {
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.paymentStatus ? { paymentStatus: filters.paymentStatus } : {}),
    ...(filters.fulfillmentStatus ? { fulfillmentStatus: filters.fulfillmentStatus } : {}),
    ...(dayStart(filters.from) ? { createdFrom: dayStart(filters.from) } : {}),
    ...(dayStart(filters.to, true) ? { createdTo: dayStart(filters.to, true) } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
  }
}

/** The orders page. */
export function OrdersPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS)
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [more, setMore] = useState<{ rows: Summary[]; cursor: string | null } | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const first = useResource(() => api.get('/v1/orders', { query: { ...queryOf(filters), limit: PAGE_SIZE } }), [filters])

  const apply = (next: Filters) => {
    setDraft(next)
    setFilters(next)
    setMore(null)
  }
  const rows = [...(first.data?.data ?? []), ...(more?.rows ?? [])]
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null)
  const loadMore = async () => {
    if (!cursor) return
    setLoadingMore(true)
    setError(null)
    try {
      const page = await api.get('/v1/orders', { query: { ...queryOf(filters), limit: PAGE_SIZE, cursor } })
      setMore({ rows: [...(more?.rows ?? []), ...page.data], cursor: page.nextCursor })
    } catch (caught) {
      setError(caught)
    } finally {
      setLoadingMore(false)
    }
  }
  const exportCsv = async () => {
    setError(null)
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(queryOf(filters))) if (value) query.set(name, value)
    await downloadOrdersCsv(query).catch(setError)
  }
  const select = <K extends 'status' | 'paymentStatus' | 'fulfillmentStatus'>(name: K, value: string) => apply({ ...draft, [name]: value as Filters[K] })
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS)

  return (
    <section class="orders">
      <PageHeader title={t('nav.orders')}>
        <button type="button" onClick={() => void exportCsv()}>
          {t('orders.export')}
        </button>
        <a class="button primary" href="/pos" onClick={linkClick}>
          {t('nav.pos')}
        </a>
      </PageHeader>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          apply(draft)
        }}
      >
        <Field label={t('orders.search')}>
          {(id) => <input id={id} type="search" value={draft.q} placeholder={t('orders.searchPlaceholder')} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />}
        </Field>
        <Field label={t('orders.filter.status')}>
          {(id) => (
            <select id={id} value={draft.status} onChange={(e) => select('status', e.currentTarget.value)}>
              <option value="">{t('orders.filter.any')}</option>
              {ORDER_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(STATUS_LABELS[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('orders.filter.payment')}>
          {(id) => (
            <select id={id} value={draft.paymentStatus} onChange={(e) => select('paymentStatus', e.currentTarget.value)}>
              <option value="">{t('orders.filter.any')}</option>
              {PAYMENT_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(PAYMENT_LABELS[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('orders.filter.fulfillment')}>
          {(id) => (
            <select id={id} value={draft.fulfillmentStatus} onChange={(e) => select('fulfillmentStatus', e.currentTarget.value)}>
              <option value="">{t('orders.filter.any')}</option>
              {FULFILLMENT_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(FULFILLMENT_LABELS[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('orders.filter.from')}>{(id) => <input id={id} type="date" value={draft.from} onChange={(e) => apply({ ...draft, from: e.currentTarget.value })} />}</Field>
        <Field label={t('orders.filter.to')}>{(id) => <input id={id} type="date" value={draft.to} onChange={(e) => apply({ ...draft, to: e.currentTarget.value })} />}</Field>
        <button type="submit">{t('orders.searchButton')}</button>
        {filtered ? (
          <button type="button" class="link" onClick={() => apply(NO_FILTERS)}>
            {t('orders.filter.clear')}
          </button>
        ) : null}
      </form>
      <ErrorBanner error={error ?? first.error} />
      {first.data === undefined || (first.loading && more === null && rows.length === 0) ? (
        first.error ? (
          <button type="button" onClick={first.reload}>
            {t('orders.retry')}
          </button>
        ) : (
          <Skeleton rows={5} label={t('orders.loading')} />
        )
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? t('orders.emptyFiltered') : t('orders.empty')}>{filtered ? null : <p>{t('orders.emptyText')}</p>}</EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="order-table">
              <thead>
                <tr>
                  <th scope="col">{t('orders.col.number')}</th>
                  <th scope="col">{t('orders.col.date')}</th>
                  <th scope="col">{t('orders.col.customer')}</th>
                  <th scope="col">{t('orders.col.status')}</th>
                  <th scope="col" class="num">
                    {t('orders.col.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((order) => (
                  <tr key={order.id} class="clickable" onClick={() => navigate(`/orders/${order.id}`)}>
                    <th scope="row" data-label={t('orders.col.number')}>
                      <a
                        href={`/orders/${order.id}`}
                        onClick={(event) => {
                          event.stopPropagation()
                          linkClick(event)
                        }}
                      >
                        {orderNumber(order.number)}
                      </a>
                      {order.channel === 'pos' ? <small class="muted"> {t('orders.channel.pos')}</small> : null}
                    </th>
                    <td data-label={t('orders.col.date')}>{formatDateTime(order.createdAt)}</td>
                    <td data-label={t('orders.col.customer')}>{order.customerName ?? order.email ?? <span class="muted">{t('orders.walkIn')}</span>}</td>
                    <td data-label={t('orders.col.status')}>
                      <OrderBadges order={order} />
                    </td>
                    <td class="num" data-label={t('orders.col.total')}>
                      {formatMoney(order.totals.total, order.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor ? (
            <div class="pager">
              <button type="button" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? t('orders.loadingMore') : t('orders.loadMore')}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  )
}
