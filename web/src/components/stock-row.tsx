// One stock level in the inventory table: selection, its indicator, SKU with product and variant names, figures, an
// editable low-stock threshold, +/− buttons, a set-absolute form and the ledger link.
import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { STOCK_STATE_LABEL, stockState, type Level } from '../stock'

/** What a row asks the page to do; each call is one click and gets its own Idempotency-Key. */
export interface StockActions {
  adjust: (level: Level, delta: number) => Promise<void>
  set: (level: Level, onHand: number) => Promise<void>
  threshold: (level: Level, threshold: number | null) => Promise<void>
  openLedger: (sku: string) => void
}

/** The product and variant a SKU belongs to, as one line. */
export function productLine(level: Level): string {
  const product = level.product
  if (!product) return t('stockPage.noProduct')
  const variant = product.variantName ?? Object.values(product.options).join(' / ')
  return variant ? t('stockPage.productVariant', { product: product.productName, variant }) : product.productName
}

function ThresholdInput(props: { level: Level; who: string; onSave: (threshold: number | null) => Promise<void> }) {
  const stored = props.level.lowStockThreshold === null ? '' : String(props.level.lowStockThreshold)
  const [value, setValue] = useState(stored)
  useEffect(() => setValue(stored), [stored])
  const save = () => {
    const text = value.trim()
    const next = text === '' ? null : Number(text)
    if (next !== null && (!Number.isInteger(next) || next < 0)) return setValue(stored)
    if (next === props.level.lowStockThreshold) return
    void props.onSave(next)
  }
  return (
    <input
      class="threshold-input"
      type="number"
      min={0}
      step={1}
      inputMode="numeric"
      value={value}
      placeholder="—"
      aria-label={t('stockPage.thresholdOf', { who: props.who })}
      onInput={(e) => setValue(e.currentTarget.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault()
          save()
        }
      }}
    />
  )
}

/** A table row (a card on phones); `flash` marks a row that just changed live. */
export function StockRow(props: { level: Level; actions: StockActions; flash: boolean; selected: boolean; onSelect: (on: boolean) => void }) {
  const { level, actions } = props
  const [target, setTarget] = useState('')
  const [busy, setBusy] = useState(false)
  const state = stockState(level)
  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    await work().finally(() => setBusy(false))
  }
  const who = level.location === 'main' ? level.sku : t('stockPage.skuAt', { sku: level.sku, location: level.location })
  return (
    <tr class={props.flash ? 'flash' : undefined} data-sku={level.sku} data-location={level.location}>
      <td class="select-cell">
        <input type="checkbox" checked={props.selected} aria-label={t('stockPage.select', { who })} onChange={(e) => props.onSelect(e.currentTarget.checked)} />
      </td>
      <td data-label={t('stockPage.level')}>
        <span class="state-label">
          <span class={`dot dot--${state}`} aria-hidden="true" />
          {t(STOCK_STATE_LABEL[state])}
        </span>
      </td>
      <th scope="row" data-label={t('stockPage.sku')}>
        {level.sku}
        {level.location === 'main' ? null : <small> @ {level.location}</small>}
        <small class="product-line">{productLine(level)}</small>
      </th>
      <td data-label={t('stockPage.onHand')} class="num" data-testid="on-hand">
        {formatNumber(level.onHand)}
      </td>
      <td data-label={t('stockPage.reserved')} class="num">
        {formatNumber(level.reserved)}
      </td>
      <td data-label={t('stockPage.available')} class="num" data-testid="available">
        {formatNumber(level.available)}
      </td>
      <td data-label={t('stockPage.lowAt')} class="num">
        <ThresholdInput level={level} who={who} onSave={(threshold) => run(() => actions.threshold(level, threshold))} />
      </td>
      <td data-label={t('stockPage.change')} class="stock-actions">
        <button type="button" class="square" disabled={busy || level.onHand <= 0} aria-label={t('stockPage.removeOne', { who })} onClick={() => void run(() => actions.adjust(level, -1))}>
          −
        </button>
        <button type="button" class="square" disabled={busy} aria-label={t('stockPage.addOne', { who })} onClick={() => void run(() => actions.adjust(level, 1))}>
          +
        </button>
        <form
          class="set-form"
          onSubmit={(event) => {
            event.preventDefault()
            const onHand = Number(target)
            if (target === '' || !Number.isInteger(onHand) || onHand < 0) return
            void run(() => actions.set(level, onHand)).then(() => setTarget(''))
          }}
        >
          <label class="visually-hidden" for={`set-${level.sku}-${level.location}`}>
            {t('stockPage.setFor', { who })}
          </label>
          <input
            id={`set-${level.sku}-${level.location}`}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            placeholder={t('stockPage.count')}
            value={target}
            onInput={(e) => setTarget(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy} aria-label={t('stockPage.setFor', { who })}>
            {t('stockPage.set')}
          </button>
        </form>
        <button type="button" class="link" onClick={() => actions.openLedger(level.sku)} aria-label={t('stockPage.ledgerOf', { who })}>
          {t('stockPage.ledger')}
        </button>
      </td>
    </tr>
  )
}
