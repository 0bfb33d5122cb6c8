// The receipt of a point-of-sale sale, laid out for a receipt printer or paper (`@media print` in orders.css hides
// everything else): shop, order number, date, lines, totals, payment, cash tendered and change.
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { formatDateTime, formatNumber } from '../i18n/format'
import { formatMoney } from '../money'
import { METHOD_LABELS, orderNumber } from './order-labels'

/** The receipt of `order`; `tendered` is the cash handed over (null for other methods). */
export function PosReceipt(props: { order: Schemas['Order']; shop: string; tendered: number | null }) {
  const { order, tendered } = props
  const money = (minor: number) => formatMoney(minor, order.currency)
  const payment = order.payments[0]
  return (
    <article class="receipt" aria-label={t('pos.receipt')}>
      <header>
        <strong>{props.shop}</strong>
        <br />
        <span data-testid="receipt-number">{t('pos.receiptNumber', { number: orderNumber(order.number) })}</span>
        <br />
        <small>{formatDateTime(order.createdAt)}</small>
      </header>
      <table>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.id}>
              <td>
                {line.variantName ? `${line.productName} · ${line.variantName}` : line.productName}
                <br />
                <small>
                  {t('pos.receiptLine', { count: line.quantity, quantity: formatNumber(line.quantity), price: money(line.unitPrice) })} · {line.sku}
                </small>
              </td>
              <td class="num">{money(line.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="totals">
        <dt>{t('order.subtotal')}</dt>
        <dd>{money(order.totals.subtotal)}</dd>
        <dt>{order.totals.taxIncluded ? t('order.taxIncluded') : t('order.tax')}</dt>
        <dd>{money(order.totals.tax)}</dd>
        <dt class="total">{t('order.total')}</dt>
        <dd class="total" data-testid="receipt-total">
          {money(order.totals.total)}
        </dd>
        {payment ? (
          <>
            <dt>{t(METHOD_LABELS[payment.method])}</dt>
            <dd>{money(tendered ?? payment.amount)}</dd>
          </>
        ) : null}
        {tendered !== null ? (
          <>
            <dt class="total">{t('pos.change')}</dt>
            <dd class="total" data-testid="receipt-change">
              {money(Math.max(0, tendered - order.totals.total))}
            </dd>
          </>
        ) : null}
      </dl>
      <footer>{t('pos.thanks')}</footer>
    </article>
  )
}
