// The changes an admin makes to an order, each a small form confirmed before it is sent: record a payment (amount
// prefilled with the balance), cancel, fulfil chosen lines and quantities with tracking, and refund (amount, lines,
// restock). A refused change shows the API's error translated; the page reloads the order either way.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { formatMoney, toMajorText, toMinorUnits } from '../money'
import { METHOD_LABELS, orderNumber, PAYMENT_METHODS, type PaymentMethod } from './order-labels'
import { ErrorBanner, Field, TextField } from './ui'

type Order = Schemas['Order']
type Line = Order['lines'][number]
type Form = 'payment' | 'fulfil' | 'refund' | null

/** What the order still owes, what can go back, and which actions make sense now. */
export function orderFigures(order: Order) {
  const balance = Math.max(0, order.totals.total - order.paidAmount)
  const refundable = Math.max(0, order.paidAmount - order.refundedAmount)
  const paidInFull = order.paymentStatus === 'paid' || order.paymentStatus === 'partially_refunded'
  return {
    balance,
    refundable,
    canPay: order.status === 'open' && balance > 0,
    canCancel: order.status === 'open' && refundable === 0,
    canFulfil: order.status !== 'cancelled' && paidInFull && order.lines.some((line) => line.quantity - line.fulfilledQuantity > 0),
    canRefund: refundable > 0,
  }
}

/** Quantities typed per line, limited to 0…max. */
function QuantityInputs(props: { lines: Line[]; max: (line: Line) => number; values: Record<string, string>; onChange: (values: Record<string, string>) => void; label: string }) {
  return (
    <fieldset class="line-picks">
      <legend>{props.label}</legend>
      {props.lines
        .filter((line) => props.max(line) > 0)
        .map((line) => (
          <TextField
            key={line.id}
            label={t('orderActions.lineQuantity', { name: line.variantName ? `${line.productName} · ${line.variantName}` : line.productName, sku: line.sku, max: props.max(line) })}
            type="number"
            min={0}
            max={props.max(line)}
            step={1}
            inputMode="numeric"
            value={props.values[line.id] ?? ''}
            data-line={line.sku}
            onInput={(e) => props.onChange({ ...props.values, [line.id]: e.currentTarget.value })}
          />
        ))}
    </fieldset>
  )
}

function picked(lines: Line[], values: Record<string, string>, max: (line: Line) => number): { lineId: string; quantity: number }[] {
  return lines.flatMap((line) => {
    const quantity = Math.min(max(line), Math.trunc(Number(values[line.id] ?? '0')))
    return Number.isFinite(quantity) && quantity > 0 ? [{ lineId: line.id, quantity }] : []
  })
}

const unfulfilled = (line: Line) => line.quantity - line.fulfilledQuantity
const unrefunded = (line: Line) => line.quantity - line.refundedQuantity

/** The action buttons and the open form of one order; `onChanged` receives the order the API answered, `onRefused` re-reads it. */
export function OrderActions(props: { order: Order; onChanged: (order: Order, notice: string) => void; onRefused: () => void }) {
  const { order } = props
  const figures = orderFigures(order)
  const [form, setForm] = useState<Form>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [method, setMethod] = useState<PaymentMethod>('cash')
  const [amount, setAmount] = useState('')
  const [reference, setReference] = useState('')
  const [quantities, setQuantities] = useState<Record<string, string>>({})
  const [carrier, setCarrier] = useState('')
  const [tracking, setTracking] = useState('')
  const [trackingUrl, setTrackingUrl] = useState('')
  const [restock, setRestock] = useState(true)
  const number = orderNumber(order.number)
  const money = (minor: number) => formatMoney(minor, order.currency)
  const fields = fieldErrors(error)

  const open = (next: Form) => {
    setForm(next)
    setError(null)
    setProblem(null)
    setQuantities({})
    if (next === 'payment') setAmount(toMajorText(figures.balance, order.currency))
    if (next === 'refund') setAmount(toMajorText(figures.refundable, order.currency))
  }
  const run = async (confirmText: string, work: () => Promise<Order>, done: string) => {
    if (!confirm(confirmText)) return
    setBusy(true)
    setError(null)
    setProblem(null)
    try {
      const answer = await work()
      setForm(null)
      props.onChanged(answer, done)
    } catch (caught) {
      setError(caught)
      props.onRefused()
    } finally {
      setBusy(false)
    }
  }
  const parsedAmount = toMinorUnits(amount, order.currency)
  const amountError = amount !== '' && parsedAmount === null ? t('orderActions.badAmount') : fields.amount

  const submitPayment = () => {
    if (parsedAmount === null || parsedAmount <= 0) return
    void run(
      t('orderActions.confirmPayment', { amount: money(parsedAmount), method: t(METHOD_LABELS[method]), number }),
      () => api.post('/v1/orders/{id}/payments', { path: { id: order.id }, body: { method, amount: parsedAmount, ...(reference.trim() ? { reference: reference.trim() } : {}) } }),
      t('orderActions.paid', { amount: money(parsedAmount) }),
    )
  }
  const submitFulfil = () => {
    const lines = picked(order.lines, quantities, unfulfilled)
    if (lines.length === 0) return setProblem(t('orderActions.pickLines'))
    const units = lines.reduce((sum, line) => sum + line.quantity, 0)
    void run(
      t('orderActions.confirmFulfil', { count: units, number }),
      () =>
        api.post('/v1/orders/{id}/fulfillments', {
          path: { id: order.id },
          body: { lines, ...(carrier.trim() ? { carrier: carrier.trim() } : {}), ...(tracking.trim() ? { trackingNumber: tracking.trim() } : {}), ...(trackingUrl.trim() ? { trackingUrl: trackingUrl.trim() } : {}) },
        }),
      t('orderActions.fulfilled', { count: units }),
    )
  }
  const submitRefund = () => {
    if (parsedAmount === null || parsedAmount <= 0) return
    const lines = picked(order.lines, quantities, unrefunded)
    const confirmKey = restock && lines.length > 0 ? 'orderActions.confirmRefundRestock' : 'orderActions.confirmRefund'
    void run(
      t(confirmKey, { amount: money(parsedAmount), number }),
      () => api.post('/v1/orders/{id}/refunds', { path: { id: order.id }, body: { amount: parsedAmount, restock: restock && lines.length > 0, ...(lines.length > 0 ? { lines } : {}) } }),
      t('orderActions.refunded', { amount: money(parsedAmount) }),
    )
  }
  const cancel = () =>
    void run(t('orderActions.confirmCancel', { number }), () => api.post('/v1/orders/{id}/cancel', { path: { id: order.id }, body: {} }), t('orderActions.cancelled', { number }))

  if (!figures.canPay && !figures.canCancel && !figures.canFulfil && !figures.canRefund) return null
  return (
    <div class="order-actions card">
      <div class="form-actions">
        {figures.canPay ? (
          <button type="button" class={form === 'payment' ? 'primary' : ''} aria-expanded={form === 'payment'} onClick={() => open(form === 'payment' ? null : 'payment')}>
            {t('orderActions.recordPayment')}
          </button>
        ) : null}
        {figures.canFulfil ? (
          <button type="button" class={form === 'fulfil' ? 'primary' : ''} aria-expanded={form === 'fulfil'} onClick={() => open(form === 'fulfil' ? null : 'fulfil')}>
            {t('orderActions.fulfil')}
          </button>
        ) : null}
        {figures.canRefund ? (
          <button type="button" class={form === 'refund' ? 'primary' : ''} aria-expanded={form === 'refund'} onClick={() => open(form === 'refund' ? null : 'refund')}>
            {t('orderActions.refund')}
          </button>
        ) : null}
        {figures.canCancel ? (
          <button type="button" class="danger" disabled={busy} onClick={cancel}>
            {t('orderActions.cancel')}
          </button>
        ) : null}
      </div>
      <ErrorBanner error={error} />
      {problem ? (
        <p class="banner banner--error" role="alert">
          {problem}
        </p>
      ) : null}
      {form === 'payment' ? (
        <form
          class="inline-form"
          aria-label={t('orderActions.recordPayment')}
          onSubmit={(e) => {
            e.preventDefault()
            submitPayment()
          }}
        >
          <p class="muted">{t('orderActions.balance', { amount: money(figures.balance) })}</p>
          <Field label={t('orderActions.method')}>
            {(id) => (
              <select id={id} value={method} onChange={(e) => setMethod(e.currentTarget.value as PaymentMethod)}>
                {PAYMENT_METHODS.map((value) => (
                  <option key={value} value={value}>
                    {t(METHOD_LABELS[value])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField label={t('orderActions.amount', { currency: order.currency })} inputMode="decimal" required value={amount} error={amountError} onInput={(e) => setAmount(e.currentTarget.value)} />
          <TextField label={t('orderActions.reference')} value={reference} error={fields.reference} onInput={(e) => setReference(e.currentTarget.value)} />
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy || parsedAmount === null || parsedAmount <= 0}>
              {t('orderActions.savePayment')}
            </button>
          </div>
        </form>
      ) : null}
      {form === 'fulfil' ? (
        <form
          class="inline-form"
          aria-label={t('orderActions.fulfil')}
          onSubmit={(e) => {
            e.preventDefault()
            submitFulfil()
          }}
        >
          <QuantityInputs lines={order.lines} max={unfulfilled} values={quantities} onChange={setQuantities} label={t('orderActions.linesToShip')} />
          <button type="button" class="link" onClick={() => setQuantities(Object.fromEntries(order.lines.map((line) => [line.id, String(unfulfilled(line))])))}>
            {t('orderActions.allRemaining')}
          </button>
          <div class="grid-2">
            <TextField label={t('orderActions.carrier')} value={carrier} error={fields.carrier} onInput={(e) => setCarrier(e.currentTarget.value)} />
            <TextField label={t('orderActions.trackingNumber')} value={tracking} error={fields.trackingNumber} onInput={(e) => setTracking(e.currentTarget.value)} />
          </div>
          <TextField label={t('orderActions.trackingUrl')} type="url" value={trackingUrl} error={fields.trackingUrl} onInput={(e) => setTrackingUrl(e.currentTarget.value)} />
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('orderActions.saveFulfil')}
            </button>
          </div>
        </form>
      ) : null}
      {form === 'refund' ? (
        <form
          class="inline-form"
          aria-label={t('orderActions.refund')}
          onSubmit={(e) => {
            e.preventDefault()
            submitRefund()
          }}
        >
          <p class="muted">{t('orderActions.refundable', { amount: money(figures.refundable) })}</p>
          <TextField label={t('orderActions.amount', { currency: order.currency })} inputMode="decimal" required value={amount} error={amountError} onInput={(e) => setAmount(e.currentTarget.value)} />
          <QuantityInputs lines={order.lines} max={unrefunded} values={quantities} onChange={setQuantities} label={t('orderActions.linesReturned')} />
          <label class="check">
            <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.currentTarget.checked)} /> {t('orderActions.restock')}
          </label>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy || parsedAmount === null || parsedAmount <= 0}>
              {t('orderActions.saveRefund')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  )
}
