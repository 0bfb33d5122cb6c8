// Metered usage of this month: totals against the plan's quotas and a daily chart per resource.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { BarChart, type Bar } from '../components/bar-chart'
import { ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { useResource } from '../use-resource'

type Usage = Schemas['Usage']
type Resource = Usage['daily'][number]['resource']
const RESOURCES: { resource: Resource; label: string; quota: (plan: Usage['plan']) => number | null }[] = [
  { resource: 'api_requests', label: 'API requests', quota: () => null },
  { resource: 'searches', label: 'Searches', quota: (plan) => plan.monthlySearches },
  { resource: 'embeddings', label: 'Embeddings', quota: (plan) => plan.monthlyEmbeddings },
  { resource: 'chat_messages', label: 'Chat messages', quota: (plan) => plan.monthlyChatMessages },
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
      <PageHeader title="Usage" />
      <ErrorBanner error={usage.error} />
      {usage.data === undefined ? (
        <Skeleton rows={5} label="Loading usage" />
      ) : (
        <>
          <p class="muted">
            {usage.data.from} to {usage.data.to} · {usage.data.plan.name} plan, {usage.data.plan.requestsPerMinute.toLocaleString()} requests per minute per key
          </p>
          <dl class="stats">
            {RESOURCES.map(({ resource: r, label, quota }) => {
              const limit = usage.data ? quota(usage.data.plan) : null
              return (
                <div class="stat" key={r}>
                  <dt>{label}</dt>
                  <dd>
                    {(usage.data?.totals[r] ?? 0).toLocaleString()}
                    {limit !== null ? <small> / {limit.toLocaleString()}</small> : null}
                  </dd>
                </div>
              )
            })}
          </dl>
          <div class="card">
            <Field label="Chart">
              {(id) => (
                <select id={id} value={resource} onChange={(e) => setResource(e.currentTarget.value as Resource)}>
                  {RESOURCES.map((r) => (
                    <option key={r.resource} value={r.resource}>
                      {r.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <BarChart bars={dailyBars(usage.data, resource)} title={`${chosen?.label ?? resource} per day`} />
          </div>
        </>
      )}
    </section>
  )
}
