// The circuit breaker's rules, apart from storage: when a provider opens, for how long, and when it may be tried again.

/** Tuning of every breaker; AI_BREAKER_CONFIG (JSON) overrides any field. */
export interface BreakerConfig {
  /** Consecutive failures that open a closed breaker. */
  consecutiveFailures: number
  /** Error rate in the rolling window that opens it, once the window holds `minimumVolume` calls. */
  errorRate: number
  minimumVolume: number
  windowMs: number
  /** First cooldown; each further opening without a recovery doubles it, up to `maxCooldownMs`. */
  cooldownMs: number
  maxCooldownMs: number
  /** Up to this fraction is added at random to a cooldown, so many breakers do not probe in step. */
  jitter: number
  /** A half-open probe that has not reported within this long is presumed lost, and another may go. */
  probeTimeoutMs: number
}

export const DEFAULT_BREAKER: BreakerConfig = {
  consecutiveFailures: 5,
  errorRate: 0.5,
  minimumVolume: 20,
  windowMs: 60_000,
  cooldownMs: 10_000,
  maxCooldownMs: 5 * 60_000,
  jitter: 0.2,
  probeTimeoutMs: 30_000,
}

/** Reads AI_BREAKER_CONFIG over the defaults; unknown or bad fields are ignored. */
export function breakerConfig(raw: string | undefined): BreakerConfig {
  if (!raw) return DEFAULT_BREAKER
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>
    const merged: BreakerConfig = { ...DEFAULT_BREAKER }
    for (const key of Object.keys(DEFAULT_BREAKER) as (keyof BreakerConfig)[]) {
      const value = parsed[key]
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value
    }
    return merged
  } catch {
    return DEFAULT_BREAKER
  }
}

export type BreakerState = 'closed' | 'open' | 'half_open'

/** The persisted state of one provider's breaker. */
export interface Breaker {
  state: BreakerState
  openUntil: number
  openings: number
  consecutiveFailures: number
  forced: 'open' | 'closed' | null
  probeSince: number | null
}

/** A fresh, closed breaker. */
export function closedBreaker(): Breaker {
  return { state: 'closed', openUntil: 0, openings: 0, consecutiveFailures: 0, forced: null, probeSince: null }
}

/** Cooldown of the `openings`-th consecutive opening, with jitter from `random` (0..1). */
export function cooldownMs(config: BreakerConfig, openings: number, random: number): number {
  const base = Math.min(config.maxCooldownMs, config.cooldownMs * 2 ** Math.max(0, openings - 1))
  return Math.round(base * (1 + config.jitter * random))
}

/** Whether a call may go to this provider now, moving open → half-open when the cooldown is over. */
export function admit(b: Breaker, config: BreakerConfig, now: number): { allowed: boolean; probe: boolean; changed: boolean } {
  if (b.forced === 'open') return { allowed: false, probe: false, changed: false }
  if (b.forced === 'closed') return { allowed: true, probe: false, changed: false }
  let changed = false
  if (b.state === 'open' && now >= b.openUntil) {
    b.state = 'half_open'
    b.probeSince = null
    changed = true
  }
  if (b.state === 'closed') return { allowed: true, probe: false, changed }
  if (b.state === 'half_open' && (b.probeSince === null || now - b.probeSince > config.probeTimeoutMs)) {
    b.probeSince = now
    return { allowed: true, probe: true, changed: true }
  }
  return { allowed: false, probe: false, changed }
}

/** Outcomes of one rolling window: how many calls and how many failed. */
export interface WindowCounts {
  calls: number
  failures: number
}

/** Applies a failure; returns the reason when it opened the breaker. */
export function onFailure(b: Breaker, config: BreakerConfig, now: number, window: WindowCounts, retryAfterMs: number | undefined, random: number): string | undefined {
  b.consecutiveFailures += 1
  const open = (reason: string, until: number) => {
    b.state = 'open'
    b.openings += 1
    b.openUntil = until
    b.probeSince = null
    return reason
  }
  if (retryAfterMs !== undefined && retryAfterMs > 0) return open('rate limited (Retry-After)', now + Math.min(retryAfterMs, config.maxCooldownMs))
  if (b.state === 'open') return undefined
  if (b.state === 'half_open') return open('probe failed', now + cooldownMs(config, b.openings + 1, random))
  if (b.consecutiveFailures >= config.consecutiveFailures) return open(`${b.consecutiveFailures} consecutive failures`, now + cooldownMs(config, b.openings + 1, random))
  if (window.calls >= config.minimumVolume && window.failures / window.calls >= config.errorRate) {
    return open(`error rate ${Math.round((100 * window.failures) / window.calls)} % over ${window.calls} calls`, now + cooldownMs(config, b.openings + 1, random))
  }
  return undefined
}

/** Applies a success; returns true when it closed the breaker (a half-open probe succeeded; a late success while open changes nothing). */
export function onSuccess(b: Breaker): boolean {
  b.consecutiveFailures = 0
  if (b.state !== 'half_open') return false
  b.state = 'closed'
  b.openings = 0
  b.openUntil = 0
  b.probeSince = null
  return true
}
