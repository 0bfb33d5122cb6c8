// The dashboard: catalog size and image indexing, stock health from the levels, and searches against the plan quota.
import { api } from '../api/client'
import { ErrorBanner, PageHeader } from '../components/ui'
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { allLevels, PAGE_LIMIT, stockState } from '../stock'
import { useResource } from '../use-resource'

/** Pages through products only this far for the counts; beyond it the figures show a "+". */
const MAX_PRODUCT_PAGES = 10

async function catalogStats() {
  let products = 0
  let ready = 0
  let pending = 0
  let cursor: string | undefined
  for (let page = 0; page < MAX_PRODUCT_PAGES; page++) {
    const result = await api.get('/v1/products', { query: { limit: PAGE_LIMIT, ...(cursor ? { cursor } : {}) } })
    products += result.data.length
    for (const product of result.data) {
      ready += product.images.ready
      pending += product.images.pending
    }
    if (!result.nextCursor) return { products, ready, pending, complete: true }
    cursor = result.nextCursor
  }
  return { products, ready, pending, complete: false }
}

async function stockStats() {
  const { levels, complete } = await allLevels()
  const states = levels.map(stockState)
  return {
    total: levels.length,
    out: states.filter((s) => s === 'out').length,
    low: states.filter((s) => s === 'low').length,
    available: levels.reduce((sum, level) => sum + Math.max(level.available, 0), 0),
    complete,
  }
}

function Stat(props: { label: string; value: number | string | undefined; tone?: 'out' | 'low' | 'ok'; more?: boolean }) {
  return (
    <div class={`stat${props.tone ? ` stat--${props.tone}` : ''}`}>
      <dt>{props.label}</dt>
      <dd>{props.value === undefined ? <span class="skeleton-text" aria-label={t('common.loading')} /> : props.more ? t('dashboard.atLeast', { value: props.value }) : typeof props.value === 'number' ? formatNumber(props.value) : props.value}</dd>
    </div>
  )
}

/** The landing page after sign-in. */
export function DashboardPage() {
  const catalog = useResource(catalogStats, [])
  const stock = useResource(stockStats, [])
  const usage = useResource(() => api.get('/v1/usage'), [])
  const quota = usage.data?.plan.monthlySearches
  const searches = usage.data?.totals.searches ?? 0
  const share = quota ? Math.min(searches / quota, 1) : 0
  return (
    <section>
      <PageHeader title={t('nav.dashboard')} />
      <ErrorBanner error={catalog.error ?? stock.error ?? usage.error} />
      <h2>{t('dashboard.catalog')}</h2>
      <dl class="stats">
        <Stat label={t('dashboard.products')} value={catalog.data?.products} more={catalog.data?.complete === false} />
        <Stat label={t('dashboard.imagesIndexed')} value={catalog.data?.ready} more={catalog.data?.complete === false} />
        <Stat label={t('dashboard.imagesPending')} value={catalog.data?.pending} more={catalog.data?.complete === false} />
      </dl>
      <h2>{t('dashboard.stock')}</h2>
      <dl class="stats">
        <Stat label={t('dashboard.stockLevels')} value={stock.data?.total} more={stock.data?.complete === false} />
        <Stat label={t('dashboard.outOfStock')} value={stock.data?.out} tone="out" />
        <Stat label={t('dashboard.lowStock')} value={stock.data?.low} tone="low" />
        <Stat label={t('dashboard.unitsAvailable')} value={stock.data?.available} tone="ok" />
      </dl>
      <h2>{t('dashboard.searchesThisMonth')}</h2>
      <div class="card quota">
        {usage.data ? (
          <>
            <p>
              {quota === null || quota === undefined
                ? t('dashboard.searchesUnlimited', { count: searches, plan: usage.data.plan.name })
                : t('dashboard.searchesOf', { count: searches, quota, plan: usage.data.plan.name })}
            </p>
            <div class="meter" role="meter" aria-label={t('dashboard.searchesUsed')} aria-valuemin={0} aria-valuemax={quota ?? 0} aria-valuenow={searches}>
              <div class={`meter-fill${share > 0.9 ? ' meter-fill--high' : ''}`} style={{ width: `${share * 100}%` }} />
            </div>
          </>
        ) : (
          <div class="skeleton-row" />
        )}
      </div>
    </section>
  )
}
