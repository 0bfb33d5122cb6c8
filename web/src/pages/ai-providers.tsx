// The AI providers page (admins): the fallback order with drag-and-drop and move buttons (saved optimistically, rolled
// back with a translated error when refused), add/edit with a test call, each provider's live breaker state refreshed
// while the tab is visible, forcing a breaker with a confirmation, and cost and tokens per day.
import { useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Schemas } from '../api/schema'
import { ProviderForm } from '../components/ai-provider-form'
import { ProviderRow, type BreakerChoice, type RowActions } from '../components/ai-provider-row'
import { AiUsageChart } from '../components/ai-usage-chart'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { useResource } from '../use-resource'
import { useVisibleInterval } from '../use-visible-interval'
import './ai-providers.css'

type Provider = Schemas['AiProvider']

/** How often the breaker states are read again while the tab is visible. */
const HEALTH_REFRESH_MS = 4_000
/** How often the usage chart is read again (records reach Postgres within seconds, in batches). */
const USAGE_REFRESH_MS = 30_000

const CONFIRM: Record<BreakerChoice, MessageKey> = { open: 'ai.breaker.confirmOpen', closed: 'ai.breaker.confirmClose', auto: 'ai.breaker.confirmAuto' }
const DONE: Record<BreakerChoice, MessageKey> = { open: 'ai.breaker.doneOpen', closed: 'ai.breaker.doneClose', auto: 'ai.breaker.doneAuto' }

/** An order being saved (`pending`) or saved and shown until the next read of the list (`basis` is the data it replaced). */
interface Override {
  items: Provider[]
  pending: boolean
  basis: unknown
}

/** `ids` moved so that `dragged` takes the place of `target`. */
export function dropOrder(ids: string[], dragged: string, target: string): string[] {
  const at = ids.indexOf(target)
  if (dragged === target || at < 0 || !ids.includes(dragged)) return ids
  const rest = ids.filter((id) => id !== dragged)
  rest.splice(at, 0, dragged)
  return rest
}

/** Focuses a move button of `id` after the list re-rendered (the other direction when that one is now disabled). */
function refocus(id: string, direction: 'up' | 'down'): void {
  requestAnimationFrame(() => {
    const wanted = document.querySelector<HTMLButtonElement>(`[data-move="${id}:${direction}"]`)
    const other = document.querySelector<HTMLButtonElement>(`[data-move="${id}:${direction === 'up' ? 'down' : 'up'}"]`)
    ;(wanted && !wanted.disabled ? wanted : other)?.focus()
  })
}

/** The AI providers page. */
export function AiProvidersPage() {
  const providers = useResource(() => api.get('/v1/ai/providers'), [])
  const [override, setOverride] = useState<Override | null>(null)
  const [adding, setAdding] = useState(false)
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [orderError, setOrderError] = useState<unknown>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [dragged, setDragged] = useState<string | null>(null)
  const [usageKey, setUsageKey] = useState(0)
  const latest = useRef(providers.data)
  latest.current = providers.data

  useVisibleInterval(providers.reload, HEALTH_REFRESH_MS, override?.pending === true)
  useVisibleInterval(() => setUsageKey((k) => k + 1), USAGE_REFRESH_MS)

  const shown = override && (override.pending || override.basis === providers.data) ? override.items : providers.data?.items

  const reorder = async (ids: string[], moved: Provider) => {
    const current = shown ?? []
    const byId = new Map(current.map((p) => [p.id, p]))
    setOverride({ items: ids.flatMap((id) => byId.get(id) ?? []), pending: true, basis: providers.data })
    setOrderError(null)
    setNotice(null)
    try {
      const saved = await api.put('/v1/ai/providers/order', { body: { ids } })
      const items = saved.items.map((p) => {
        const health = p.health ?? byId.get(p.id)?.health
        return health ? { ...p, health } : p
      })
      setOverride({ items, pending: false, basis: latest.current })
      setNotice(t('ai.list.moved', { name: moved.name, position: ids.indexOf(moved.id) + 1 }))
      providers.reload()
    } catch (caught) {
      setOverride(null)
      setOrderError(caught)
    }
  }

  const run = async (work: () => Promise<unknown>, done: string) => {
    setError(null)
    setOrderError(null)
    setNotice(null)
    try {
      await work()
      setNotice(done)
    } catch (caught) {
      setError(caught)
    } finally {
      providers.reload()
    }
  }

  const actions: RowActions = {
    move: (id, by) => {
      const ids = (shown ?? []).map((p) => p.id)
      const from = ids.indexOf(id)
      const to = from + by
      const provider = shown?.[from]
      if (from < 0 || to < 0 || to >= ids.length || !provider) return
      ids.splice(from, 1)
      ids.splice(to, 0, id)
      void reorder(ids, provider)
      refocus(id, by < 0 ? 'up' : 'down')
    },
    dragStart: setDragged,
    dropOn: (target) => {
      const provider = shown?.find((p) => p.id === dragged)
      setDragged(null)
      if (!provider || !shown) return
      const ids = shown.map((p) => p.id)
      const next = dropOrder(ids, provider.id, target)
      if (next.join() !== ids.join()) void reorder(next, provider)
    },
    edit: (id) => {
      setEditing(id)
      setAdding(false)
    },
    saved: (provider) => {
      setEditing(null)
      setAdding(false)
      setError(null)
      setNotice(t('ai.saved', { name: provider.name }))
      providers.reload()
    },
    remove: (provider) => {
      if (!confirm(t('ai.list.confirmDelete', { name: provider.name }))) return
      void run(() => api.delete('/v1/ai/providers/{id}', { path: { id: provider.id } }), t('ai.list.deleted', { name: provider.name }))
    },
    breaker: (provider, choice) => {
      if (!confirm(t(CONFIRM[choice], { name: provider.name }))) return
      void run(() => api.put('/v1/ai/providers/{id}/breaker', { path: { id: provider.id }, body: { state: choice } }), t(DONE[choice], { name: provider.name }))
    },
  }

  return (
    <section class="ai-providers">
      <PageHeader title={t('nav.ai')}>
        {adding ? null : (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setAdding(true)
              setEditing(null)
            }}
          >
            {t('ai.add')}
          </button>
        )}
      </PageHeader>
      <p class="muted">{t('ai.intro')}</p>
      <ErrorBanner error={error ?? providers.error} />
      {orderError ? (
        <p class="banner banner--error" role="alert" data-testid="order-error">
          {t('ai.list.orderFailed', { reason: errorMessage(orderError) })}
        </p>
      ) : null}
      {notice ? (
        <p class="banner banner--ok" role="status">
          {notice}
        </p>
      ) : null}
      {adding ? <ProviderForm provider={null} onSaved={actions.saved} onCancel={() => setAdding(false)} /> : null}
      <h2>{t('ai.list.title')}</h2>
      {shown === undefined ? (
        providers.error ? (
          <button type="button" onClick={providers.reload}>
            {t('ai.retry')}
          </button>
        ) : (
          <Skeleton rows={3} label={t('ai.list.loading')} />
        )
      ) : shown.length === 0 ? (
        <EmptyState title={t('ai.list.empty')}>
          <p>{t('ai.list.emptyText')}</p>
        </EmptyState>
      ) : (
        <>
          <p class="muted">{t('ai.list.hint')}</p>
          <ol class="provider-list" aria-label={t('ai.list.title')} onDragEnd={() => setDragged(null)}>
            {shown.map((provider, index) => (
              <ProviderRow key={provider.id} provider={provider} index={index} count={shown.length} editing={editing === provider.id} dragging={dragged === provider.id} actions={actions} />
            ))}
          </ol>
        </>
      )}
      <h2>{t('ai.usage.title')}</h2>
      <AiUsageChart refreshKey={usageKey} />
    </section>
  )
}
