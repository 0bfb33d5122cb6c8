// One stock level in the inventory table: its indicator, figures, +/− buttons, a set-absolute form and the ledger link.
import { useState } from 'preact/hooks'
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { stockState, STOCK_STATE_LABEL, type Level } from '../stock'

/** What a row asks the page to do; each call is one click and gets its own Idempotency-Key. */
export interface StockActions {
  adjust: (level: Level, delta: number) => Promise<void>
  set: (level: Level, onHand: number) => Promise<void>
  openLedger: (sku: string) => void
}

/** A table row (a card on phones); `flash` marks a row that just changed live. */
export function StockRow(props: { level: Level; actions: StockActions; flash: boolean }) {
  const { level, actions } = props
  const [target, setTarget] = useState('')
  const [busy, setBusy] = useState(false)
  const state = stockState(level)
  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    await work().finally(() => setBusy(false))
  }
  const who = level.location === 'main' ? level.sku : t('stock.skuAt', { sku: level.sku, location: level.location })
  return (
    <tr class={props.flash ? 'flash' : undefined} data-sku={level.sku}>
      <td data-label={t('stock.level')}>
        <span class="state-label">
          <span class={`dot dot--${state}`} aria-hidden="true" />
          {t(STOCK_STATE_LABEL[state])}
        </span>
      </td>
      <th scope="row" data-label={t('variants.sku')}>
        {level.sku}
        {level.location === 'main' ? null : <small> @ {level.location}</small>}
      </th>
      <td data-label={t('stock.onHand')} class="num" data-testid="on-hand">
        {formatNumber(level.onHand)}
      </td>
      <td data-label={t('stock.reserved')} class="num">
        {formatNumber(level.reserved)}
      </td>
      <td data-label={t('stock.available')} class="num" data-testid="available">
        {formatNumber(level.available)}
      </td>
      <td data-label={t('stock.lowAt')} class="num">
        {level.lowStockThreshold === null ? '—' : formatNumber(level.lowStockThreshold)}
      </td>
      <td data-label={t('stock.change')} class="stock-actions">
        <button type="button" class="square" disabled={busy || level.onHand <= 0} aria-label={t('stock.removeOne', { who })} onClick={() => void run(() => actions.adjust(level, -1))}>
          −
        </button>
        <button type="button" class="square" disabled={busy} aria-label={t('stock.addOne', { who })} onClick={() => void run(() => actions.adjust(level, 1))}>
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
            {t('stock.setFor', { who })}
          </label>
          <input id={`set-${level.sku}-${level.location}`} type="number" min={0} step={1} inputMode="numeric" placeholder={t('stock.count')} value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
          <button type="submit" disabled={busy} aria-label={t('stock.setFor', { who })}>
            {t('stock.set')}
          </button>
        </form>
        <button type="button" class="link" onClick={() => actions.openLedger(level.sku)} aria-label={t('stock.ledgerOf', { who })}>
          {t('stock.ledger')}
        </button>
      </td>
    </tr>
  )
}
