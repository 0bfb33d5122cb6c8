// Moving available stock of one SKU from one location to another (POST /v1/inventory/transfer), e.g. from the
// warehouse to a shop; the destination may be a new location.
import { useId, useState } from 'preact/hooks'
import { t } from '../i18n'
import { ErrorBanner, Field, TextField } from './ui'

/** What the form sends; the page calls the API so the answer's levels update the table. */
export interface TransferInput {
  sku: string
  from: string
  to: string
  quantity: number
}

/** The transfer card; `skus` and `locations` feed the suggestions. */
export function TransferForm(props: { skus: string[]; locations: string[]; onTransfer: (input: TransferInput) => Promise<unknown> }) {
  const listId = useId()
  const locationsId = useId()
  const [sku, setSku] = useState('')
  const [from, setFrom] = useState('main')
  const [to, setTo] = useState('')
  const [quantity, setQuantity] = useState('1')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState('')
  const amount = Number(quantity)
  const ready = sku.trim() !== '' && to.trim() !== '' && from.trim() !== to.trim() && Number.isInteger(amount) && amount > 0

  return (
    <details class="card transfer">
      <summary>{t('stockPage.transfer')}</summary>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault()
          if (!ready) return
          setBusy(true)
          setError(null)
          setDone('')
          props
            .onTransfer({ sku: sku.trim(), from: from.trim(), to: to.trim(), quantity: amount })
            .then(() => setDone(t('stockPage.transferDone', { count: amount, sku: sku.trim(), from: from.trim(), to: to.trim() })), setError)
            .finally(() => setBusy(false))
        }}
      >
        <Field label={t('stockPage.transferSku')}>{(id) => <input id={id} list={listId} value={sku} required onInput={(e) => setSku(e.currentTarget.value)} />}</Field>
        <datalist id={listId}>
          {props.skus.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
        <datalist id={locationsId}>
          {props.locations.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
        <TextField label={t('stockPage.transferFrom')} list={locationsId} value={from} required onInput={(e) => setFrom(e.currentTarget.value)} />
        <TextField label={t('stockPage.transferTo')} list={locationsId} value={to} required onInput={(e) => setTo(e.currentTarget.value)} />
        <TextField label={t('stockPage.transferQuantity')} type="number" min={1} step={1} value={quantity} required onInput={(e) => setQuantity(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy || !ready}>
          {t('stockPage.transferSubmit')}
        </button>
      </form>
      {done ? (
        <p class="banner banner--ok" role="status">
          {done}
        </p>
      ) : null}
      <ErrorBanner error={error} />
    </details>
  )
}
