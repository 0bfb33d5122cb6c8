// The live breaker state of one AI provider: closed / open with a countdown / half-open (or forced), success rate,
// latencies, the last error and the latest state changes, with the breaker's free-text reasons translated.
import { useEffect, useState } from 'preact/hooks'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatNumber, formatRelative } from '../i18n/format'

type Health = Schemas['ProviderHealth']
type State = Health['state']

const STATE_LABEL: Record<State, MessageKey> = { closed: 'ai.state.closed', open: 'ai.state.open', half_open: 'ai.state.half_open' }
const FORCED_LABEL: Record<'open' | 'closed', MessageKey> = { open: 'ai.state.forcedOpen', closed: 'ai.state.forcedClosed' }
/** How many state changes a provider shows. */
const HISTORY_SHOWN = 3

/** The breaker's reasons are English sentences, not codes: the known ones are translated, anything else is shown as sent. */
const REASONS: Record<string, MessageKey> = {
  'cooldown over': 'ai.reason.cooldownOver',
  'probe succeeded': 'ai.reason.probeSucceeded',
  'call succeeded': 'ai.reason.callSucceeded',
  'probe failed': 'ai.reason.probeFailed',
  'rate limited (Retry-After)': 'ai.reason.rateLimited',
  'forced open by an admin': 'ai.reason.forcedOpen',
  'forced closed by an admin': 'ai.reason.forcedClosed',
  'released by an admin': 'ai.reason.released',
}

/** A breaker reason in the UI's language. */
export function reasonText(reason: string): string {
  const known = REASONS[reason]
  if (known) return t(known)
  const consecutive = /^(\d+) consecutive failures$/.exec(reason)
  if (consecutive) return t('ai.reason.consecutiveFailures', { count: Number(consecutive[1]) })
  const rate = /^error rate (\d+) % over (\d+) calls$/.exec(reason)
  if (rate) return t('ai.reason.errorRate', { percent: formatNumber(Number(rate[1]) / 100, { style: 'percent' }), count: Number(rate[2]) })
  return reason
}

/** Seconds left until `until`, re-rendered every second. */
function Countdown(props: { until: string }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const seconds = Math.max(0, Math.ceil((Date.parse(props.until) - now) / 1000))
  return (
    <span class="countdown" data-testid="countdown" data-seconds={seconds}>
      {seconds > 0 ? t('ai.health.halfOpenIn', { count: seconds }) : t('ai.health.probeDue')}
    </span>
  )
}

const ms = (value: number | null) => (value === null ? '—' : t('ai.health.ms', { ms: Math.round(value) }))

/** The state badge of a provider (forced states say so). */
export function StateBadge(props: { health: Health | undefined }) {
  const health = props.health
  if (!health) return <span class="badge">{t('ai.state.unknown')}</span>
  const label = health.forced ? FORCED_LABEL[health.forced] : STATE_LABEL[health.state]
  return (
    <span class={`badge breaker breaker--${health.state}`} data-testid="breaker-state" data-state={health.state}>
      {t(label)}
    </span>
  )
}

/** Health figures and recent changes of one provider. */
export function ProviderHealthView(props: { health: Health | undefined }) {
  const health = props.health
  if (!health) return null
  return (
    <div class="provider-health">
      <p class="breaker-line">
        <StateBadge health={health} />{' '}
        {health.state === 'open' && health.openUntil ? <Countdown until={health.openUntil} /> : null}
        {health.forced === 'open' ? <small class="muted">{t('ai.health.forcedOpenHint')}</small> : null}
        {health.forced === 'closed' ? <small class="muted">{t('ai.health.forcedClosedHint')}</small> : null}
        {health.state === 'half_open' && !health.forced ? <small class="muted">{t('ai.health.halfOpenHint')}</small> : null}
      </p>
      <dl class="health-figures">
        <div>
          <dt>{t('ai.health.successRate')}</dt>
          <dd>{health.successRate === null ? '—' : formatNumber(health.successRate, { style: 'percent', maximumFractionDigits: 1 })}</dd>
        </div>
        <div>
          <dt>{t('ai.health.p50')}</dt>
          <dd>{ms(health.p50Ms)}</dd>
        </div>
        <div>
          <dt>{t('ai.health.ttft')}</dt>
          <dd>{ms(health.ttftMs)}</dd>
        </div>
      </dl>
      {health.lastError ? (
        <p class="last-error">
          <strong>{t('ai.health.lastError', { when: formatRelative(health.lastError.at) })}</strong> <span>{health.lastError.message}</span>
        </p>
      ) : null}
      {health.history.length > 0 ? (
        <details class="breaker-history">
          <summary>{t('ai.health.history')}</summary>
          <ul>
            {health.history.slice(0, HISTORY_SHOWN).map((change) => (
              <li key={`${change.at}-${change.state}-${change.reason}`}>
                {t('ai.health.change', { state: t(STATE_LABEL[change.state]), reason: reasonText(change.reason), when: formatRelative(change.at) })}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  )
}
