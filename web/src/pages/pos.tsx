// The point of sale: type or scan a SKU (a barcode scanner types it and presses Enter), set quantities and, when the
// SKU is stocked in several locations, where it comes from; take cash (tendered → change) or a card, and sell through
// `POST /v1/orders` under one Idempotency-Key per sale, so a double click or a retry never sells twice; then the receipt.
import { useRef, useState } from 'preact/hooks'
import { api, idempotencyKey } from '../api/client'
import type { Schemas } from '../api/schema'
import { METHOD_LABELS } from '../components/order-labels'
import { PosReceipt } from '../components/pos-receipt'
import { lookUpSku, saleTotals, taxSettings, type PosLine } from '../components/pos-sale'
import { EmptyState, ErrorBanner, Field, PageHeader, TextField } from '../components/ui'
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { currentShopCurrency, formatMoney, toMinorUnits } from '../money'
import { linkClick } from '../router'
import './orders.css'

type Method = 'cash' | 'card_present'

/** The point-of-sale page; `me` gives the shop's name and tax settings. */
export function PosPage(props: { me: Schemas['Me'] }) {
  const [lines, setLines] = useState<PosLine[]>([])
  const [sku, setSku] = useState('')
  const [quantity, setQuantity] = useState('1')
  const [looking, setLooking] = useState(false)
  const [method, setMethod] = useState<Method>('cash')
  const [tenderedText, setTenderedText] = useState('')
  const [selling, setSelling] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [sold, setSold] = useState<{ order: Schemas['Order']; tendered: number | null } | null>(null)
  const saleKey = useRef<string | null>(null)
  const inFlight = useRef(false)
  const skuInput = useRef<HTMLInputElement>(null)

  const currency = lines[0]?.currency ?? currentShopCurrency()
  const totals = saleTotals(lines, taxSettings(props.me.tenant.settings))
  const tendered = tenderedText.trim() === '' ? null : toMinorUnits(tenderedText, currency)
  const change = tendered === null ? null : tendered - totals.total
  const money = (minor: number) => formatMoney(minor, currency)
  const changeLines = (next: PosLine[]) => {
    setLines(next)
    saleKey.current = null
  }

  const add = async () => {
    const code = sku.trim()
    const count = Math.trunc(Number(quantity))
    if (!code || !Number.isFinite(count) || count < 1) return
    setLooking(true)
    setError(null)
    try {
      const existing = lines.find((line) => line.sku === code)
      if (existing) changeLines(lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + count } : line)))
      else {
        const line = await lookUpSku(code)
        if (lines.length > 0 && line.currency !== currency) throw new Error(t('pos.otherCurrency', { sku: code, currency: line.currency }))
        changeLines([...lines, { ...line, quantity: count }])
      }
      setSku('')
      setQuantity('1')
    } catch (caught) {
      setError(caught)
    } finally {
      setLooking(false)
      skuInput.current?.focus()
    }
  }

  const charge = async () => {
    if (inFlight.current || lines.length === 0) return
    if (method === 'cash' && (tendered === null || tendered < totals.total)) return
    inFlight.current = true
    setSelling(true)
    setError(null)
    saleKey.current ??= idempotencyKey()
    try {
      const order = await api.post('/v1/orders', {
        headers: { 'idempotency-key': saleKey.current },
        body: { lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, ...(line.location ? { location: line.location } : {}) })), payment: { method } },
      })
      setSold({ order, tendered: method === 'cash' ? tendered : null })
    } catch (caught) {
      setError(caught)
    } finally {
      inFlight.current = false
      setSelling(false)
    }
  }

  const newSale = () => {
    setSold(null)
    changeLines([])
    setTenderedText('')
    setError(null)
    requestAnimationFrame(() => skuInput.current?.focus())
  }

  if (sold) {
    return (
      <section class="pos">
        <PageHeader title={t('nav.pos')}>
          <button type="button" onClick={() => window.print()}>
            {t('pos.print')}
          </button>
          <button type="button" class="primary" onClick={newSale}>
            {t('pos.newSale')}
          </button>
        </PageHeader>
        <p class="banner banner--ok no-print" role="status">
          {t('pos.sold')}{' '}
          <a href={`/orders/${sold.order.id}`} onClick={linkClick}>
            {t('pos.openOrder')}
          </a>
        </p>
        <PosReceipt order={sold.order} shop={props.me.tenant.name} tendered={sold.tendered} />
      </section>
    )
  }

  return (
    <section class="pos">
      <PageHeader title={t('nav.pos')} />
      <form
        class="filters pos-scan"
        onSubmit={(event) => {
          event.preventDefault()
          void add()
        }}
      >
        <Field label={t('pos.sku')} hint={t('pos.skuHint')}>
          {(id) => (
            <input id={id} ref={skuInput} value={sku} autoFocus autoComplete="off" spellcheck={false} onInput={(e) => setSku(e.currentTarget.value)} />
          )}
        </Field>
        <TextField label={t('pos.quantity')} type="number" min={1} step={1} inputMode="numeric" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
        <button type="submit" disabled={looking || sku.trim() === ''}>
          {t('pos.add')}
        </button>
      </form>
      <ErrorBanner error={error instanceof Error && error.name === 'Error' ? null : error} />
      {error instanceof Error && error.name === 'Error' ? (
        <p class="banner banner--error" role="alert">
          {error.message}
        </p>
      ) : null}
      {lines.length === 0 ? (
        <EmptyState title={t('pos.empty')}>
          <p>{t('pos.emptyText')}</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="pos-lines">
            <thead>
              <tr>
                <th scope="col">{t('order.col.item')}</th>
                <th scope="col">{t('order.col.location')}</th>
                <th scope="col" class="num">
                  {t('order.col.quantity')}
                </th>
                <th scope="col" class="num">
                  {t('order.col.lineTotal')}
                </th>
                <th scope="col">
                  <span class="visually-hidden">{t('pos.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                <tr key={line.sku} data-sku={line.sku}>
                  <th scope="row" data-label={t('order.col.item')}>
                    <span>
                      {line.name}
                      <br />
                      <small class="muted">
                        {line.sku} · {money(line.unitPrice)}
                      </small>
                    </span>
                  </th>
                  <td data-label={t('order.col.location')}>
                    {line.levels.length > 1 ? (
                      <select
                        aria-label={t('pos.locationOf', { sku: line.sku })}
                        value={line.location}
                        onChange={(e) => changeLines(lines.map((l, i) => (i === index ? { ...l, location: e.currentTarget.value } : l)))}
                      >
                        <option value="">{t('pos.anyLocation')}</option>
                        {line.levels.map((level) => (
                          <option key={level.location} value={level.location}>
                            {t('pos.locationAvailable', { location: level.location, available: formatNumber(level.available) })}
                          </option>
                        ))}
                      </select>
                    ) : (
                      (line.levels[0]?.location ?? '')
                    )}
                  </td>
                  <td class="num" data-label={t('order.col.quantity')}>
                    <input
                      class="qty"
                      type="number"
                      min={1}
                      step={1}
                      aria-label={t('pos.quantityOf', { sku: line.sku })}
                      value={line.quantity}
                      onChange={(e) => {
                        const next = Math.trunc(Number(e.currentTarget.value))
                        if (Number.isFinite(next) && next >= 1) changeLines(lines.map((l, i) => (i === index ? { ...l, quantity: next } : l)))
                      }}
                    />
                  </td>
                  <td class="num" data-label={t('order.col.lineTotal')}>
                    {money(line.unitPrice * line.quantity)}
                  </td>
                  <td>
                    <button type="button" class="link danger-link" aria-label={t('pos.removeNamed', { sku: line.sku })} onClick={() => changeLines(lines.filter((_, i) => i !== index))}>
                      {t('pos.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="pos-pay card"
        aria-label={t('pos.payment')}
        onSubmit={(event) => {
          event.preventDefault()
          void charge()
        }}
      >
        <dl class="totals">
          <dt>{t('order.subtotal')}</dt>
          <dd>{money(totals.subtotal)}</dd>
          <dt>{taxSettings(props.me.tenant.settings).included ? t('order.taxIncluded') : t('order.tax')}</dt>
          <dd>{money(totals.tax)}</dd>
          <dt class="total">{t('order.total')}</dt>
          <dd class="total" data-testid="pos-total">
            {money(totals.total)}
          </dd>
        </dl>
        <Field label={t('orderActions.method')}>
          {(id) => (
            <select id={id} value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
              <option value="cash">{t(METHOD_LABELS.cash)}</option>
              <option value="card_present">{t(METHOD_LABELS.card_present)}</option>
            </select>
          )}
        </Field>
        {method === 'cash' ? (
          <>
            <TextField
              label={t('pos.tendered', { currency })}
              inputMode="decimal"
              value={tenderedText}
              error={tenderedText.trim() !== '' && tendered === null ? t('orderActions.badAmount') : undefined}
              onInput={(e) => setTenderedText(e.currentTarget.value)}
            />
            <p class="change" data-testid="pos-change">
              {change === null ? t('pos.changeUnknown') : change < 0 ? t('pos.short', { amount: money(-change) }) : t('pos.changeDue', { amount: money(change) })}
            </p>
          </>
        ) : null}
        <button type="submit" class="primary big" disabled={selling || lines.length === 0 || (method === 'cash' && (change === null || change < 0))}>
          {selling ? t('pos.charging') : t('pos.charge', { amount: money(totals.total) })}
        </button>
      </form>
    </section>
  )
}
