// The ledger of one SKU in a side drawer: every movement, newest first, with who made it and why.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { formatDateTime, formatNumber } from '../i18n/format'
import { EmptyState, ErrorBanner, Skeleton } from './ui'

type Entry = Schemas['StockLedgerEntry']
const PAGE_SIZE = 50

/** A modal drawer for `sku`; `onClose` runs when it is dismissed (Escape, the close button or the backdrop). */
export function LedgerDrawer(props: { sku: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  const load = async (after: string | null) => {
    try {
      const page = await api.get('/v1/inventory/{sku}/ledger', { path: { sku: props.sku }, query: { limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) } })
      setEntries((previous) => [...(after ? (previous ?? []) : []), ...page.data])
      setCursor(page.nextCursor)
    } catch (caught) {
      setError(caught)
    }
  }

  useEffect(() => {
    dialog.current?.showModal()
    void load(null)
  }, [props.sku])

  return (
    <dialog ref={dialog} class="drawer" aria-labelledby="ledger-title" onClose={props.onClose} onClick={(e) => e.target === dialog.current && dialog.current?.close()}>
      <div class="drawer-body">
        <header class="drawer-header">
          <h2 id="ledger-title">{t('stock.ledgerOf', { who: props.sku })}</h2>
          <button type="button" onClick={() => dialog.current?.close()}>
            {t('ledger.close')}
          </button>
        </header>
        <ErrorBanner error={error} />
        {entries === null ? (
          <Skeleton rows={6} label={t('ledger.loading')} />
        ) : entries.length === 0 ? (
          <EmptyState title={t('ledger.empty')} />
        ) : (
          <ol class="ledger">
            {entries.map((entry) => (
              <li key={entry.id}>
                <span class={`delta ${entry.delta < 0 ? 'delta--down' : 'delta--up'}`}>
                  {formatNumber(entry.delta, { signDisplay: 'exceptZero' })}
                </span>
                <span class="ledger-what">
                  {t('ledger.what', { reason: entry.reason, onHand: entry.onHand, available: entry.available })}
                  <small>{t('ledger.meta', { at: formatDateTime(entry.at), location: entry.location, actor: entry.actorLabel ?? entry.actor })}</small>
                </span>
              </li>
            ))}
          </ol>
        )}
        {cursor ? (
          <button type="button" onClick={() => void load(cursor)}>
            {t('ledger.older')}
          </button>
        ) : null}
      </div>
    </dialog>
  )
}
