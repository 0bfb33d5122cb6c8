// The inventory panel: every stock level with its product and variant, filters (text, category, state), the summary
// figures, +/− and set-absolute changes with a reason, low-stock thresholds per row and in bulk, transfers between
// locations, live updates from other sessions over the realtime feed, a ledger per SKU and the low-stock alerts.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, idempotencyKey } from '../api/client'
import type { Schemas } from '../api/schema'
import { AlertsPanel } from '../components/alerts-panel'
import { CategoryOptions } from '../components/category-options'
import { InventoryStats } from '../components/inventory-stats'
import { LedgerDrawer } from '../components/ledger-drawer'
import { productLine, StockRow, type StockActions } from '../components/stock-row'
import { TransferForm, type TransferInput } from '../components/transfer-form'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { t } from '../i18n'
import { followInventory, shardCountOf, type LiveStatus } from '../live/inventory-socket'
import type { StockLevelMessage } from '../live/messages'
import { allLevels, STOCK_STATE_LABEL, stockState, type Level, type StockState } from '../stock'
import { useResource } from '../use-resource'

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

/** The category and every category below it. */
function subtree(categories: Schemas['Category'][], rootId: string): Set<string> {
  const ids = new Set([rootId])
  for (let grew = true; grew; ) {
    grew = false
    for (const category of categories) {
      if (category.parentId && ids.has(category.parentId) && !ids.has(category.id)) {
        ids.add(category.id)
        grew = true
      }
    }
  }
  return ids
}

/** The inventory page. */
export function InventoryPage() {
  const [levels, setLevels] = useState<Map<string, Level> | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [text, setText] = useState('')
  const [categoryId, setCategoryId] = useState('')
  const [state, setState] = useState<StockState | ''>('')
  const [reason, setReason] = useState('')
  const [live, setLive] = useState<LiveStatus>('connecting')
  const [flashing, setFlashing] = useState<Set<string>>(new Set())
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [bulkThreshold, setBulkThreshold] = useState('')
  const [notice, setNotice] = useState('')
  const [ledgerSku, setLedgerSku] = useState<string | null>(null)
  const [alertsKey, setAlertsKey] = useState(0)
  const categories = useResource(() => api.get('/v1/categories'), [])

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

  /** Answers carry bare levels: keep the product names the page already has. */
  const apply = (answer: { levels: Schemas['StockLevel'][] }) =>
    setLevels((previous) => {
      const next = new Map(previous ?? [])
      for (const level of answer.levels) next.set(levelKey(level), { ...next.get(levelKey(level)), ...level })
      return next
    })
  const guarded = async (work: () => Promise<{ levels: Schemas['StockLevel'][] }>) => {
    setError(null)
    try {
      apply(await work())
    } catch (caught) {
      setError(caught)
    }
  }
  const why = (fallback: string) => reason.trim() || fallback
  const actions: StockActions = {
    adjust: (level, delta) =>
      guarded(() =>
        api.post('/v1/inventory/adjust', { headers: { 'idempotency-key': idempotencyKey() }, body: { reason: why('admin adjustment'), lines: [{ sku: level.sku, location: level.location, delta }] } }),
      ),
    set: (level, onHand) =>
      guarded(() => api.post('/v1/inventory/set', { headers: { 'idempotency-key': idempotencyKey() }, body: { reason: why('admin count'), lines: [{ sku: level.sku, location: level.location, onHand }] } })),
    threshold: (level, lowStockThreshold) =>
      guarded(() => api.patch('/v1/inventory/{sku}', { path: { sku: level.sku }, headers: { 'idempotency-key': idempotencyKey() }, body: { location: level.location, lowStockThreshold } })),
    openLedger: setLedgerSku,
  }
  const transfer = (input: TransferInput) => guarded(() => api.post('/v1/inventory/transfer', { headers: { 'idempotency-key': idempotencyKey() }, body: { lines: [input] } }))

  const applyBulkThreshold = async () => {
    const value = bulkThreshold.trim() === '' ? null : Number(bulkThreshold)
    if (value !== null && (!Number.isInteger(value) || value < 0)) return
    const chosen = [...(levels?.values() ?? [])].filter((level) => selected.has(levelKey(level)))
    for (const level of chosen) await actions.threshold(level, value)
    setNotice(t('stockPage.bulkThresholdDone', { count: chosen.length }))
    setSelected(new Set())
  }

  const inCategory = useMemo(() => (categoryId ? subtree(categories.data?.data ?? [], categoryId) : null), [categoryId, categories.data])
  const all = [...(levels?.values() ?? [])]
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase()
    return all
      .filter(
        (level) =>
          (needle === '' || [level.sku, level.location, productLine(level)].some((value) => value.toLowerCase().includes(needle))) &&
          (inCategory === null || (level.product?.categoryId ? inCategory.has(level.product.categoryId) : false)) &&
          (state === '' || stockState(level) === state),
      )
      .sort((a, b) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location))
  }, [levels, text, state, inCategory])
  const allShownSelected = shown.length > 0 && shown.every((level) => selected.has(levelKey(level)))

  return (
    <section>
      <PageHeader title={t('stockPage.title')}>
        <span class={`live live--${live}`} role="status">
          {live === 'live' ? t('stockPage.live') : live === 'connecting' ? t('stockPage.connecting') : t('stockPage.offline')}
        </span>
      </PageHeader>
      {levels === null ? null : <InventoryStats levels={shown} />}
      <div class="filters">
        <Field label={t('stockPage.filterText')}>{(id) => <input id={id} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />}</Field>
        <Field label={t('stockPage.filterCategory')}>
          {(id) => (
            <select id={id} value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
              <option value="">{t('stockPage.allCategories')}</option>
              <CategoryOptions categories={categories.data?.data ?? []} />
            </select>
          )}
        </Field>
        <Field label={t('stockPage.filterState')}>
          {(id) => (
            <select id={id} value={state} onChange={(e) => setState(e.currentTarget.value as StockState | '')}>
              <option value="">{t('stockPage.allStates')}</option>
              <option value="out">{t(STOCK_STATE_LABEL.out)}</option>
              <option value="low">{t(STOCK_STATE_LABEL.low)}</option>
              <option value="ok">{t(STOCK_STATE_LABEL.ok)}</option>
            </select>
          )}
        </Field>
        <TextField label={t('stockPage.reason')} hint={t('stockPage.reasonHint')} value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} />
      </div>
      <TransferForm skus={[...new Set(all.map((level) => level.sku))]} locations={[...new Set(all.map((level) => level.location))]} onTransfer={transfer} />
      {selected.size > 0 ? (
        <form
          class="bulk-bar card"
          onSubmit={(event) => {
            event.preventDefault()
            void applyBulkThreshold()
          }}
        >
          <strong>{t('stockPage.selected', { count: selected.size })}</strong>
          <TextField label={t('stockPage.bulkThreshold')} type="number" min={0} step={1} value={bulkThreshold} onInput={(e) => setBulkThreshold(e.currentTarget.value)} />
          <button type="submit" class="primary">
            {t('stockPage.bulkThresholdApply')}
          </button>
        </form>
      ) : null}
      {notice ? (
        <p class="banner banner--ok" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBanner error={error} />
      {levels === null ? (
        <Skeleton rows={6} label={t('stockPage.loading')} />
      ) : shown.length === 0 ? (
        <EmptyState title={levels.size === 0 ? t('stockPage.empty') : t('stockPage.emptyFiltered')}>{levels.size === 0 ? <p>{t('stockPage.emptyHint')}</p> : null}</EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="stock-table">
            <thead>
              <tr>
                <th scope="col" class="select-cell">
                  <input
                    type="checkbox"
                    checked={allShownSelected}
                    aria-label={t('stockPage.selectAll')}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(shown.map(levelKey)) : new Set())}
                  />
                </th>
                <th scope="col">{t('stockPage.level')}</th>
                <th scope="col">{t('stockPage.sku')}</th>
                <th scope="col" class="num">
                  {t('stockPage.onHand')}
                </th>
                <th scope="col" class="num">
                  {t('stockPage.reserved')}
                </th>
                <th scope="col" class="num">
                  {t('stockPage.available')}
                </th>
                <th scope="col" class="num">
                  {t('stockPage.lowAt')}
                </th>
                <th scope="col">{t('stockPage.change')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((level) => (
                <StockRow
                  key={levelKey(level)}
                  level={level}
                  actions={actions}
                  flash={flashing.has(levelKey(level))}
                  selected={selected.has(levelKey(level))}
                  onSelect={(on) => setSelected((previous) => new Set(on ? [...previous, levelKey(level)] : [...previous].filter((key) => key !== levelKey(level))))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AlertsPanel refreshKey={alertsKey} currentOf={(sku, location) => levels?.get(levelKey({ sku, location }))} />
      {ledgerSku ? <LedgerDrawer sku={ledgerSku} onClose={() => setLedgerSku(null)} /> : null}
    </section>
  )
}
