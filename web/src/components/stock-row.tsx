// One stock level in the inventory table: its indicator, figures, +/− buttons, a set-absolute form and the ledger link.
import { useState } from 'preact/hooks'
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
  const who = `${level.sku}${level.location === 'main' ? '' : ` at ${level.location}`}`
  return (
    <tr class={props.flash ? 'flash' : undefined} data-sku={level.sku}>
      <td data-label="Level">
        <span class="state-label">
          <span class={`dot dot--${state}`} aria-hidden="true" />
          {STOCK_STATE_LABEL[state]}
        </span>
      </td>
      <th scope="row" data-label="SKU">
        {level.sku}
        {level.location === 'main' ? null : <small> @ {level.location}</small>}
      </th>
      <td data-label="On hand" class="num" data-testid="on-hand">
        {level.onHand}
      </td>
      <td data-label="Reserved" class="num">
        {level.reserved}
      </td>
      <td data-label="Available" class="num" data-testid="available">
        {level.available}
      </td>
      <td data-label="Low at" class="num">
        {level.lowStockThreshold ?? '—'}
      </td>
      <td data-label="Change" class="stock-actions">
        <button type="button" class="square" disabled={busy || level.onHand <= 0} aria-label={`Remove one ${who}`} onClick={() => void run(() => actions.adjust(level, -1))}>
          −
        </button>
        <button type="button" class="square" disabled={busy} aria-label={`Add one ${who}`} onClick={() => void run(() => actions.adjust(level, 1))}>
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
            Set on hand for {who}
          </label>
          <input id={`set-${level.sku}-${level.location}`} type="number" min={0} step={1} inputMode="numeric" placeholder="Count" value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
          <button type="submit" disabled={busy} aria-label={`Set on hand for ${who}`}>
            Set
          </button>
        </form>
        <button type="button" class="link" onClick={() => actions.openLedger(level.sku)} aria-label={`Ledger of ${who}`}>
          Ledger
        </button>
      </td>
    </tr>
  )
}
