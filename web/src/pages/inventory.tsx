// The inventory panel: every stock level with filters, +/− and set-absolute changes, live updates from other sessions
// over the realtime feed, a ledger per SKU and the low-stock alerts.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, idempotencyKey } from '../api/client'
import { AlertsPanel } from '../components/alerts-panel'
import { LedgerDrawer } from '../components/ledger-drawer'
import { StockRow, type StockActions } from '../components/stock-row'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { followInventory, shardCountOf, type LiveStatus } from '../live/inventory-socket'
import type { StockLevelMessage } from '../live/messages'
import { t } from '../i18n'
import { allLevels, stockState, type Level, type StockState } from '../stock'

const FLASH_MS = 1500
const levelKey = (level: { sku: string; location: string }) => `${level.sku}@${level.location}`

function merge(levels: Map<string, Level>, updates: StockLevelMessage[], at: number): Map<string, Level> {
  const next = new Map(levels)
  for (const update of updates) {
    const current = next.get(levelKey(update))
    next.set(levelKey(update), { lowStockThreshold: null, allowBackorder: false, ...current, ...update, updatedAt: new Date(at).toISOString() })
  }
  return next
}

/** The inventory page. */
export function InventoryPage() {
  const [levels, setLevels] = useState<Map<string, Level> | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [text, setText] = useState('')
  const [state, setState] = useState<StockState | ''>('')
  const [live, setLive] = useState<LiveStatus>('connecting')
  const [flashing, setFlashing] = useState<Set<string>>(new Set())
  const [ledgerSku, setLedgerSku] = useState<string | null>(null)
  const [alertsKey, setAlertsKey] = useState(0)

  const flash = (keys: string[]) => {
    setFlashing((previous) => new Set([...previous, ...keys]))
    setTimeout(() => setFlashing((previous) => new Set([...previous].filter((key) => !keys.includes(key)))), FLASH_MS)
  }

  useEffect(() => {
    let stop = () => {}
    let cancelled = false
    Promise.all([allLevels(), api.get('/v1/tenant')])
      .then(([loaded, tenant]) => {
        if (cancelled) return
        setLevels((previous) => new Map([...loaded.levels.map((level): [string, Level] => [levelKey(level), level]), ...(previous ?? [])]))
        stop = followInventory(
          shardCountOf(tenant.settings),
          (message) => {
            if (message.type === 'stock.low') return setAlertsKey((n) => n + 1)
            const updates = message.type === 'stock.snapshot' ? message.levels : message.changes
            setLevels((previous) => merge(previous ?? new Map(), updates, message.at))
            if (message.type === 'stock.changed') flash(updates.map(levelKey))
          },
          setLive,
        )
      })
      .catch((caught: unknown) => !cancelled && setError(caught))
    return () => {
      cancelled = true
      stop()
    }
  }, [])

  const apply = (answer: { levels: Level[] }) => setLevels((previous) => new Map([...(previous ?? []), ...answer.levels.map((level): [string, Level] => [levelKey(level), level])]))
  const guarded = async (work: () => Promise<{ levels: Level[] }>) => {
    setError(null)
    try {
      apply(await work())
    } catch (caught) {
      setError(caught)
    }
  }
  const actions: StockActions = {
    adjust: (level, delta) =>
      guarded(() => api.post('/v1/inventory/adjust', { headers: { 'idempotency-key': idempotencyKey() }, body: { reason: 'admin adjustment', lines: [{ sku: level.sku, location: level.location, delta }] } })),
    set: (level, onHand) =>
      guarded(() => api.post('/v1/inventory/set', { headers: { 'idempotency-key': idempotencyKey() }, body: { reason: 'admin count', lines: [{ sku: level.sku, location: level.location, onHand }] } })),
    openLedger: setLedgerSku,
  }

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase()
    return [...(levels?.values() ?? [])]
      .filter((level) => (needle === '' || level.sku.toLowerCase().includes(needle) || level.location.toLowerCase().includes(needle)) && (state === '' || stockState(level) === state))
      .sort((a, b) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location))
  }, [levels, text, state])

  return (
    <section>
      <PageHeader title={t('nav.inventory')}>
        <span class={`live live--${live}`} role="status">
          {live === 'live' ? t('stock.live') : live === 'connecting' ? t('stock.connecting') : t('stock.offline')}
        </span>
      </PageHeader>
      <div class="filters">
        <Field label={t('stock.filter')}>{(id) => <input id={id} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />}</Field>
        <Field label={t('stock.stockLevel')}>
          {(id) => (
            <select id={id} value={state} onChange={(e) => setState(e.currentTarget.value as StockState | '')}>
              <option value="">{t('stock.allLevels')}</option>
              <option value="out">{t('stock.state.out')}</option>
              <option value="low">{t('stock.state.low')}</option>
              <option value="ok">{t('stock.state.ok')}</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorBanner error={error} />
      {levels === null ? (
        <Skeleton rows={6} label={t('stock.loading')} />
      ) : shown.length === 0 ? (
        <EmptyState title={levels.size === 0 ? t('stock.empty') : t('stock.noMatch')}>
          {levels.size === 0 ? <p>{t('stock.emptyText')}</p> : null}
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="stock-table">
            <thead>
              <tr>
                <th scope="col">{t('stock.level')}</th>
                <th scope="col">{t('variants.sku')}</th>
                <th scope="col" class="num">{t('stock.onHand')}</th>
                <th scope="col" class="num">{t('stock.reserved')}</th>
                <th scope="col" class="num">{t('stock.available')}</th>
                <th scope="col" class="num">{t('stock.lowAt')}</th>
                <th scope="col">{t('stock.change')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((level) => (
                <StockRow key={levelKey(level)} level={level} actions={actions} flash={flashing.has(levelKey(level))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AlertsPanel refreshKey={alertsKey} />
      {ledgerSku ? <LedgerDrawer sku={ledgerSku} onClose={() => setLedgerSku(null)} /> : null}
    </section>
  )
}
