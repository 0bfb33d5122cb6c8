// Metered usage of this month: totals against the plan's quotas and a daily chart per resource.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { BarChart, type Bar } from '../components/bar-chart'
import { ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate, formatNumber } from '../i18n/format'
import { useResource } from '../use-resource'

type Usage = Schemas['Usage']
type Resource = Usage['daily'][number]['resource']
const RESOURCES: { resource: Resource; label: MessageKey; quota: (plan: Usage['plan']) => number | null }[] = [
  { resource: 'api_requests', label: 'usage.apiRequests', quota: () => null },
  { resource: 'searches', label: 'usage.searches', quota: (plan) => plan.monthlySearches },
  { resource: 'embeddings', label: 'usage.embeddings', quota: (plan) => plan.monthlyEmbeddings },
  { resource: 'chat_messages', label: 'usage.chatMessages', quota: (plan) => plan.monthlyChatMessages },
]

/** Every day from `from` to `to` with that day's count of `resource` (0 when nothing was counted). */
function dailyBars(usage: Usage, resource: Resource): Bar[] {
  const counts = new Map(usage.daily.filter((d) => d.resource === resource).map((d) => [d.day, d.count]))
  const bars: Bar[] = []
  for (let day = new Date(`${usage.from}T00:00:00Z`); day.toISOString().slice(0, 10) <= usage.to; day.setUTCDate(day.getUTCDate() + 1)) {
    const label = day.toISOString().slice(0, 10)
    bars.push({ label, value: counts.get(label) ?? 0 })
  }
  return bars
}

/** The usage page. */
export function UsagePage() {
  const usage = useResource(() => api.get('/v1/usage'), [])
  const [resource, setResource] = useState<Resource>('api_requests')
  const chosen = RESOURCES.find((r) => r.resource === resource)
  return (
    <section>
      <PageHeader title={t('nav.usage')} />
      <ErrorBanner error={usage.error} />
      {usage.data === undefined ? (
        <Skeleton rows={5} label={t('usage.loading')} />
      ) : (
        <>
          <p class="muted">
            {t('usage.period', {
              from: formatDate(`${usage.data.from}T12:00:00`),
              to: formatDate(`${usage.data.to}T12:00:00`),
              plan: usage.data.plan.name,
              rate: formatNumber(usage.data.plan.requestsPerMinute),
            })}
            {usage.data.plan.requestsPerDay !== null ? ` · ${t('usage.dailyCap', { daily: formatNumber(usage.data.plan.requestsPerDay) })}` : null}
          </p>
          <dl class="stats">
            {RESOURCES.map(({ resource: r, label, quota }) => {
              const limit = usage.data ? quota(usage.data.plan) : null
              return (
                <div class="stat" key={r}>
                  <dt>{t(label)}</dt>
                  <dd>
                    {formatNumber(usage.data?.totals[r] ?? 0)}
                    {limit !== null ? <small> / {formatNumber(limit)}</small> : null}
                  </dd>
                </div>
              )
            })}
          </dl>
          <div class="card">
            <Field label={t('usage.chart')}>
              {(id) => (
                <select id={id} value={resource} onChange={(e) => setResource(e.currentTarget.value as Resource)}>
                  {RESOURCES.map((r) => (
                    <option key={r.resource} value={r.resource}>
                      {t(r.label)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <BarChart bars={dailyBars(usage.data, resource)} title={t('usage.perDay', { resource: t(chosen?.label ?? 'usage.apiRequests') })} formatLabel={(day) => formatDate(`${day}T12:00:00`)} />
          </div>
        </>
      )}
    </section>
  )
}
