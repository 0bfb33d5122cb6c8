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
      <PageHeader title="Inventory">
        <span class={`live live--${live}`} role="status">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline, retrying'}
        </span>
      </PageHeader>
      <div class="filters">
        <Field label="Filter by SKU or location">{(id) => <input id={id} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />}</Field>
        <Field label="Stock level">
          {(id) => (
            <select id={id} value={state} onChange={(e) => setState(e.currentTarget.value as StockState | '')}>
              <option value="">All levels</option>
              <option value="out">Out of stock</option>
              <option value="low">Low</option>
              <option value="ok">In stock</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorBanner error={error} />
      {levels === null ? (
        <Skeleton rows={6} label="Loading stock levels" />
      ) : shown.length === 0 ? (
        <EmptyState title={levels.size === 0 ? 'No stock levels yet' : 'No levels match these filters'}>
          {levels.size === 0 ? <p>Create a product with variants: their SKUs appear here, ready to count.</p> : null}
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="stock-table">
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">SKU</th>
                <th scope="col" class="num">On hand</th>
                <th scope="col" class="num">Reserved</th>
                <th scope="col" class="num">Available</th>
                <th scope="col" class="num">Low at</th>
                <th scope="col">Change</th>
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
