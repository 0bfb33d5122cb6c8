// One order: its lines as sold (snapshots), totals, customer and addresses, payments, refunds, fulfillments and the
// timeline with who did what and when, plus the actions that change it (order-actions.tsx).
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { OrderActions } from '../components/order-actions'
import { OrderPaymentLink } from '../components/order-payment-link'
import { actorLabel, METHOD_LABELS, OrderBadges, orderNumber, timelineLabel } from '../components/order-labels'
import { ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t } from '../i18n'
import { formatDateTime, formatNumber } from '../i18n/format'
import { formatMoney } from '../money'
import { linkClick } from '../router'
import { useResource } from '../use-resource'
import './orders.css'

type Order = Schemas['Order']
type Address = NonNullable<Order['shippingAddress']>

function AddressBlock(props: { title: string; address: Address | null }) {
  const { address } = props
  return (
    <div>
      <h3>{props.title}</h3>
      {address ? (
        <address>
          {address.name}
          <br />
          {address.line1}
          {address.line2 ? (
            <>
              <br />
              {address.line2}
            </>
          ) : null}
          <br />
          {[address.postalCode, address.city, address.region].filter(Boolean).join(', ')}
          <br />
          {address.country}
          {address.phone ? (
            <>
              <br />
              {address.phone}
            </>
          ) : null}
        </address>
      ) : (
        <p class="muted">{t('order.noAddress')}</p>
      )}
    </div>
  )
}

/** The totals block (subtotal, shipping, tax, total, paid, refunded), shared with the receipt. */
export function OrderTotals(props: { order: Pick<Order, 'totals' | 'currency' | 'paidAmount' | 'refundedAmount'> }) {
  const { order } = props
  const money = (minor: number) => formatMoney(minor, order.currency)
  return (
    <dl class="totals">
      <dt>{t('order.subtotal')}</dt>
      <dd>{money(order.totals.subtotal)}</dd>
      <dt>{t('order.shipping')}</dt>
      <dd>{money(order.totals.shipping)}</dd>
      <dt>{order.totals.taxIncluded ? t('order.taxIncluded') : t('order.tax')}</dt>
      <dd>{money(order.totals.tax)}</dd>
      <dt class="total">{t('order.total')}</dt>
      <dd class="total">{money(order.totals.total)}</dd>
      <dt>{t('order.paid')}</dt>
      <dd>{money(order.paidAmount)}</dd>
      {order.refundedAmount > 0 ? (
        <>
          <dt>{t('order.refunded')}</dt>
          <dd>{money(order.refundedAmount)}</dd>
        </>
      ) : null}
    </dl>
  )
}

function lineName(order: Order, lineId: string): string {
  const line = order.lines.find((l) => l.id === lineId)
  return line ? line.sku : lineId
}

function LineList(props: { order: Order; lines: { lineId: string; quantity: number }[] }) {
  return <>{props.lines.map((l) => t('order.linePick', { sku: lineName(props.order, l.lineId), count: l.quantity })).join(' · ')}</>
}

function Lines(props: { order: Order }) {
  const { order } = props
  const money = (minor: number) => formatMoney(minor, order.currency)
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('order.col.item')}</th>
            <th scope="col">{t('order.col.location')}</th>
            <th scope="col" class="num">
              {t('order.col.unitPrice')}
            </th>
            <th scope="col" class="num">
              {t('order.col.quantity')}
            </th>
            <th scope="col" class="num">
              {t('order.col.shipped')}
            </th>
            <th scope="col" class="num">
              {t('order.col.returned')}
            </th>
            <th scope="col" class="num">
              {t('order.col.lineTotal')}
            </th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.id} data-sku={line.sku}>
              <th scope="row" data-label={t('order.col.item')}>
                <span>
                  {line.productId ? (
                    <a href={`/products/${line.productId}`} onClick={linkClick}>
                      {line.productName}
                    </a>
                  ) : (
                    line.productName
                  )}
                  {line.variantName ? ` · ${line.variantName}` : ''}
                  <br />
                  <small class="muted">
                    {line.sku}
                    {Object.entries(line.options).map(([name, value]) => ` · ${name}: ${value}`)}
                  </small>
                </span>
              </th>
              <td data-label={t('order.col.location')}>{line.location}</td>
              <td class="num" data-label={t('order.col.unitPrice')}>
                {money(line.unitPrice)}
              </td>
              <td class="num" data-label={t('order.col.quantity')}>
                {formatNumber(line.quantity)}
              </td>
              <td class="num" data-label={t('order.col.shipped')}>
                {formatNumber(line.fulfilledQuantity)}
              </td>
              <td class="num" data-label={t('order.col.returned')}>
                {formatNumber(line.refundedQuantity)}
              </td>
              <td class="num" data-label={t('order.col.lineTotal')}>
                {money(line.lineTotal)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Money(props: { order: Order }) {
  const { order } = props
  const money = (minor: number) => formatMoney(minor, order.currency)
  return (
    <div class="order-grid">
      <div class="card">
        <h2>{t('order.payments')}</h2>
        {order.payments.length === 0 ? (
          <p class="muted">{t('order.noPayments')}</p>
        ) : (
          <ul class="plain-list">
            {order.payments.map((p) => (
              <li key={p.id}>
                <strong>{money(p.amount)}</strong> {t(METHOD_LABELS[p.method])}
                {p.reference ? ` · ${p.reference}` : ''}
                <br />
                <small class="muted">{t('order.byWhen', { who: actorLabel(p.actor), when: formatDateTime(p.createdAt) })}</small>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="card">
        <h2>{t('order.refunds')}</h2>
        {order.refunds.length === 0 ? (
          <p class="muted">{t('order.noRefunds')}</p>
        ) : (
          <ul class="plain-list">
            {order.refunds.map((r) => (
              <li key={r.id}>
                <strong>{money(r.amount)}</strong> {r.restock ? (r.restockedAt ? t('order.restocked') : t('order.restockPending')) : t('order.notRestocked')}
                {r.lines.length > 0 ? (
                  <>
                    <br />
                    <LineList order={order} lines={r.lines} />
                  </>
                ) : null}
                <br />
                <small class="muted">{t('order.byWhen', { who: actorLabel(r.actor), when: formatDateTime(r.createdAt) })}</small>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="card">
        <h2>{t('order.fulfillments')}</h2>
        {order.fulfillments.length === 0 ? (
          <p class="muted">{t('order.noFulfillments')}</p>
        ) : (
          <ul class="plain-list">
            {order.fulfillments.map((f) => (
              <li key={f.id}>
                <LineList order={order} lines={f.lines} />
                {f.carrier || f.trackingNumber ? (
                  <>
                    <br />
                    {[f.carrier, f.trackingNumber].filter(Boolean).join(' · ')}
                    {f.trackingUrl ? (
                      <>
                        {' '}
                        <a href={f.trackingUrl} target="_blank" rel="noreferrer">
                          {t('order.track')}
                        </a>
                      </>
                    ) : null}
                  </>
                ) : null}
                <br />
                <small class="muted">{t('order.byWhen', { who: actorLabel(f.actor), when: formatDateTime(f.createdAt) })}</small>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

/** The order detail page of `/orders/:id`. */
export function OrderDetailPage(props: { orderId: string }) {
  const order = useResource(() => api.get('/v1/orders/{id}', { path: { id: props.orderId } }), [props.orderId])
  const [fresh, setFresh] = useState<{ order: Order; basis: unknown } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const shown = fresh && fresh.basis === order.data ? fresh.order : order.data

  return (
    <section class="order-detail">
      <p>
        <a href="/orders" onClick={linkClick}>
          {t('order.back')}
        </a>
      </p>
      {shown === undefined ? (
        <>
          <PageHeader title={t('nav.orders')} />
          <ErrorBanner error={order.error} />
          {order.error ? (
            <button type="button" onClick={order.reload}>
              {t('orders.retry')}
            </button>
          ) : (
            <Skeleton rows={6} label={t('order.loading')} />
          )}
        </>
      ) : (
        <>
          <PageHeader title={t('order.title', { number: orderNumber(shown.number) })}>
            <OrderBadges order={shown} />
          </PageHeader>
          <p class="muted">
            {t('order.placed', { when: formatDateTime(shown.createdAt) })} · {shown.channel === 'pos' ? t('orders.channel.pos') : t('orders.channel.online')}
            {shown.holdExpiresAt && shown.paymentStatus !== 'paid' && shown.status === 'open' ? ` · ${t('order.payBy', { when: formatDateTime(shown.holdExpiresAt) })}` : ''}
          </p>
          {notice ? (
            <p class="banner banner--ok" role="status">
              {notice}
            </p>
          ) : null}
          <ErrorBanner error={order.error} />
          <OrderActions
            order={shown}
            onChanged={(answer, done) => {
              setFresh({ order: answer, basis: order.data })
              setNotice(done)
            }}
            onRefused={() => {
              setNotice(null)
              order.reload()
            }}
          />
          <OrderPaymentLink order={shown} />
          <h2>{t('order.lines')}</h2>
          <Lines order={shown} />
          <div class="order-grid">
            <div class="card">
              <h2>{t('order.totals')}</h2>
              <OrderTotals order={shown} />
            </div>
            <div class="card">
              <h2>{t('order.customer')}</h2>
              <p>
                {shown.customerName ?? shown.email ?? <span class="muted">{t('orders.walkIn')}</span>}
                {shown.customerName && shown.email ? (
                  <>
                    <br />
                    <small class="muted">{shown.email}</small>
                  </>
                ) : null}
              </p>
              {shown.shippingMethod ? <p>{t('order.shippingMethod', { name: shown.shippingMethod.name })}</p> : null}
              {shown.notes ? <p class="muted">{shown.notes}</p> : null}
            </div>
            <div class="card addresses">
              <AddressBlock title={t('order.shippingAddress')} address={shown.shippingAddress} />
              <AddressBlock title={t('order.billingAddress')} address={shown.billingAddress ?? shown.shippingAddress} />
            </div>
          </div>
          <Money order={shown} />
          <h2>{t('order.timeline')}</h2>
          <ol class="timeline">
            {[...shown.timeline].reverse().map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <strong>{timelineLabel(entry.type)}</strong>
                {typeof entry.data.amount === 'number' ? ` · ${formatMoney(entry.data.amount, shown.currency)}` : ''}
                <br />
                <small class="muted">{t('order.byWhen', { who: actorLabel(entry.actor), when: formatDateTime(entry.at) })}</small>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}
