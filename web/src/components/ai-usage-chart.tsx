// AI cost and tokens per day this month (`GET /v1/ai/usage`): one inline SVG bar chart for the chosen measure and the
// totals per provider and model; an empty state when no call was recorded.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatDate, formatNumber } from '../i18n/format'
import { useResource } from '../use-resource'
import { BarChart, type Bar } from './bar-chart'
import { EmptyState, ErrorBanner, Field, Skeleton } from './ui'

type Usage = Schemas['AiUsage']
type Row = Usage['rows'][number]
type Measure = 'cost' | 'tokens'
const MEASURES: Record<Measure, MessageKey> = { cost: 'ai.usage.cost', tokens: 'ai.usage.tokens' }

/** An amount in US dollars (the unit of the per-MTok prices): cents as usual, sub-cent amounts with up to six decimals. */
export function formatUsd(amount: number): string {
  const tiny = amount > 0 && amount < 0.01
  return formatNumber(amount, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: tiny ? 6 : 2 })
}

const measureOf = (row: Row, measure: Measure) => (measure === 'cost' ? row.costUsd : row.tokensIn + row.tokensOut)

/** Every day of the range with the sum of `measure` over providers and models (0 when nothing was recorded). */
function dailyBars(usage: Usage, measure: Measure): Bar[] {
  const sums = new Map<string, number>()
  for (const row of usage.rows) sums.set(row.day, (sums.get(row.day) ?? 0) + measureOf(row, measure))
  const bars: Bar[] = []
  for (let day = new Date(`${usage.from}T00:00:00Z`); day.toISOString().slice(0, 10) <= usage.to; day.setUTCDate(day.getUTCDate() + 1)) {
    const label = day.toISOString().slice(0, 10)
    bars.push({ label, value: sums.get(label) ?? 0 })
  }
  return bars
}

interface Total {
  key: string
  provider: string
  model: string
  calls: number
  failures: number
  tokensIn: number
  tokensOut: number
  costUsd: number
}

function totals(rows: Row[]): Total[] {
  const byKey = new Map<string, Total>()
  for (const row of rows) {
    const key = `${row.providerId}\u0000${row.model}`
    const total = byKey.get(key) ?? { key, provider: row.provider, model: row.model, calls: 0, failures: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 }
    total.calls += row.calls
    total.failures += row.failures
    total.tokensIn += row.tokensIn
    total.tokensOut += row.tokensOut
    total.costUsd += row.costUsd
    byKey.set(key, total)
  }
  return [...byKey.values()].sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls)
}

/** The usage section of the AI providers page; `refreshKey` changes make it read again. */
export function AiUsageChart(props: { refreshKey: number }) {
  const usage = useResource(() => api.get('/v1/ai/usage'), [props.refreshKey])
  const [measure, setMeasure] = useState<Measure>('cost')
  if (usage.data === undefined) return usage.error ? <ErrorBanner error={usage.error} /> : <Skeleton rows={4} label={t('ai.usage.loading')} />
  const data = usage.data
  const period = t('ai.usage.period', { from: formatDate(`${data.from}T12:00:00`), to: formatDate(`${data.to}T12:00:00`) })
  if (data.rows.length === 0) {
    return (
      <EmptyState title={t('ai.usage.empty')}>
        <p>{t('ai.usage.emptyText', { period })}</p>
      </EmptyState>
    )
  }
  const rows = totals(data.rows)
  const cost = rows.reduce((sum, row) => sum + row.costUsd, 0)
  const tokens = rows.reduce((sum, row) => sum + row.tokensIn + row.tokensOut, 0)
  return (
    <div class="card ai-usage">
      <ErrorBanner error={usage.error} />
      <p class="muted">{t('ai.usage.summary', { period, cost: formatUsd(cost), count: tokens })}</p>
      <Field label={t('ai.usage.measure')}>
        {(id) => (
          <select id={id} value={measure} onChange={(e) => setMeasure(e.currentTarget.value as Measure)}>
            {(Object.keys(MEASURES) as Measure[]).map((m) => (
              <option key={m} value={m}>
                {t(MEASURES[m])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <BarChart
        bars={dailyBars(data, measure)}
        title={t('ai.usage.perDay', { measure: t(MEASURES[measure]) })}
        formatLabel={(day) => formatDate(`${day}T12:00:00`)}
        formatValue={measure === 'cost' ? formatUsd : (n) => formatNumber(n)}
      />
      <div class="table-wrap">
        <table aria-label={t('ai.usage.totals')}>
          <thead>
            <tr>
              <th>{t('ai.usage.provider')}</th>
              <th>{t('ai.usage.model')}</th>
              <th class="num">{t('ai.usage.calls')}</th>
              <th class="num">{t('ai.usage.failures')}</th>
              <th class="num">{t('ai.usage.tokensIn')}</th>
              <th class="num">{t('ai.usage.tokensOut')}</th>
              <th class="num">{t('ai.usage.cost')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td data-label={t('ai.usage.provider')}>{row.provider}</td>
                <td data-label={t('ai.usage.model')}>{row.model}</td>
                <td class="num" data-label={t('ai.usage.calls')}>
                  {formatNumber(row.calls)}
                </td>
                <td class="num" data-label={t('ai.usage.failures')}>
                  {formatNumber(row.failures)}
                </td>
                <td class="num" data-label={t('ai.usage.tokensIn')}>
                  {formatNumber(row.tokensIn)}
                </td>
                <td class="num" data-label={t('ai.usage.tokensOut')}>
                  {formatNumber(row.tokensOut)}
                </td>
                <td class="num" data-label={t('ai.usage.cost')} data-testid="usage-cost">
                  {formatUsd(row.costUsd)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
