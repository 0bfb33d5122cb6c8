// Shared view of AI provider failures (ARCHITECTURE.md): one object per tenant (`tenant:<id>`) and one for the platform
// defaults (`platform`), holding a circuit breaker per provider, its stats and history, and the batch of call records
// on their way to Postgres. Its alarm flushes the batch and probes open providers so they recover without traffic.
//
// Breaker state, history and the call batch are durable (SQLite); the rolling window and the latency sample are in
// memory, so an evicted object starts its error-rate window afresh (consecutive failures still count).
import { DurableObject } from 'cloudflare:workers'
import { createDatabase } from '../../workers/db/client'
import { platformProviders, providersFor, type OptionalAiSecrets } from '../../workers/ai/providers'
import { probe } from '../../workers/ai/upstream'
import { UpstreamError, type CallReport, type ProviderConfig, type UsageRecord } from '../../workers/ai/types'
import { admit, breakerConfig, closedBreaker, onFailure, onSuccess, type Breaker, type BreakerConfig, type BreakerState } from './breaker'
import { insertUsage, USAGE_BATCH_ROWS } from './flush'

/** Call records reach Postgres at most this long after the call. */
export const USAGE_FLUSH_DELAY_MS = 2_000
/** Latencies kept per provider for the p50. */
const LATENCY_SAMPLE = 100
/** State changes kept per provider. */
const HISTORY_KEEP = 20
/** Weight of the newest sample in the latency and TTFT averages. */
const EWMA_ALPHA = 0.2

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS breakers (id TEXT PRIMARY KEY, state TEXT NOT NULL, open_until INTEGER NOT NULL, openings INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL, forced TEXT, probe_since INTEGER, ewma_latency REAL, ewma_ttft REAL, last_error TEXT, last_error_at INTEGER);
  CREATE TABLE IF NOT EXISTS history (provider_id TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS usage_batch (id TEXT PRIMARY KEY, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`

/** A provider the gateway may call now, in order; `probe` when this call is the half-open trial. */
export interface Admission {
  id: string
  probe: boolean
}

/** The plan for one call: who may be tried, and when the first skipped provider reopens. */
export interface CallPlan {
  admitted: Admission[]
  retryAfterMs: number | null
}

/** One state change. */
export interface StateChange {
  at: string
  state: BreakerState
  reason: string
}

/** What `GET /v1/ai/providers` shows per provider. */
export interface ProviderHealthView {
  state: BreakerState
  forced: 'open' | 'closed' | null
  openUntil: string | null
  successRate: number | null
  p50Ms: number | null
  latencyEwmaMs: number | null
  ttftMs: number | null
  lastError: { message: string; at: string } | null
  history: StateChange[]
}

interface Live {
  breaker: Breaker
  ewmaLatency: number | null
  ewmaTtft: number | null
  lastError: string | null
  lastErrorAt: number | null
  window: { at: number; ok: boolean }[]
  latencies: number[]
}

interface BreakerRow extends Record<string, SqlStorageValue> {
  id: string
  state: string
  open_until: number
  openings: number
  consecutive_failures: number
  forced: string | null
  probe_since: number | null
  ewma_latency: number | null
  ewma_ttft: number | null
  last_error: string | null
  last_error_at: number | null
}

const ewma = (previous: number | null, sample: number) => (previous === null ? sample : previous + EWMA_ALPHA * (sample - previous))

/** The breakers of one provider set (a tenant's, or the platform defaults). */
export class ProviderHealth extends DurableObject<Env> {
  private readonly sql: SqlStorage
  private readonly config: BreakerConfig
  private readonly live = new Map<string, Live>()
  private alarmAt: number | null = null
  /** The scope last written to `meta`, so a call writes it only when it changes (a write holds the answer until durable). */
  private knownScope: string | null = null

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.config = breakerConfig((env as Env & OptionalAiSecrets).AI_BREAKER_CONFIG)
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(SCHEMA)
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  /** Which of `ids` (in order) a call may try now; `scope` (`platform` or a tenant id) lets the alarm find the providers to probe. */
  plan(scope: string, ids: string[]): CallPlan {
    if (this.knownScope !== scope) {
      this.knownScope ??= this.scope() ?? null
      if (this.knownScope !== scope) this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('scope', ?)", scope)
      this.knownScope = scope
    }
    const now = Date.now()
    const admitted: Admission[] = []
    let reopen: number | null = null
    for (const id of ids) {
      const live = this.load(id)
      const before = live.breaker.state
      const decision = admit(live.breaker, this.config, now)
      if (decision.changed) this.save(id, live)
      if (before !== live.breaker.state) this.record(id, live.breaker.state, 'cooldown over')
      if (decision.allowed) admitted.push({ id, probe: decision.probe })
      else if (live.breaker.forced !== 'open') {
        const at = live.breaker.state === 'open' ? live.breaker.openUntil : now + this.config.probeTimeoutMs
        reopen = reopen === null ? at : Math.min(reopen, at)
      }
    }
    return { admitted, retryAfterMs: reopen === null ? null : Math.max(0, reopen - now) }
  }

  /** Records the outcome of one call to `id` (and its usage record, batched for Postgres); returns the breaker state after it. */
  report(id: string, report: CallReport): BreakerState {
    const now = Date.now()
    const live = this.load(id)
    const b = live.breaker
    if (report.result === 'success') {
      live.window.push({ at: now, ok: true })
      live.ewmaLatency = ewma(live.ewmaLatency, report.latencyMs)
      if (report.ttftMs !== undefined) live.ewmaTtft = ewma(live.ewmaTtft, report.ttftMs)
      live.latencies.push(report.latencyMs)
      if (live.latencies.length > LATENCY_SAMPLE) live.latencies.shift()
      if (onSuccess(b)) this.record(id, 'closed', report.probe ? 'probe succeeded' : 'call succeeded')
    } else if (report.result === 'failure') {
      live.window.push({ at: now, ok: false })
      live.lastError = report.error ?? 'failed'
      live.lastErrorAt = now
      const counts = this.windowCounts(live, now)
      const opened = onFailure(b, this.config, now, counts, report.retryAfterMs, Math.random())
      if (opened) {
        this.record(id, 'open', opened)
        this.scheduleAlarm(b.openUntil)
      }
    } else if (report.probe && b.state === 'half_open') {
      b.probeSince = null
    }
    this.save(id, live)
    if (report.usage) {
      this.sql.exec('INSERT OR IGNORE INTO usage_batch (id, record) VALUES (?, ?)', report.usage.id, JSON.stringify(report.usage))
      this.scheduleAlarm(now + USAGE_FLUSH_DELAY_MS)
    }
    return b.forced ?? b.state
  }

  /** Health of each of `ids`, for the providers list and the admin page. */
  health(ids: string[]): Record<string, ProviderHealthView> {
    const now = Date.now()
    const out: Record<string, ProviderHealthView> = {}
    for (const id of ids) {
      const live = this.load(id)
      const b = live.breaker
      const counts = this.windowCounts(live, now)
      const sorted = [...live.latencies].sort((x, y) => x - y)
      const history = this.sql
        .exec<{ at: number; state: string; reason: string }>('SELECT at, state, reason FROM history WHERE provider_id = ? ORDER BY at DESC, rowid DESC LIMIT ?', id, HISTORY_KEEP)
        .toArray()
        .map((h) => ({ at: new Date(h.at).toISOString(), state: h.state as BreakerState, reason: h.reason }))
      const state = b.forced ?? (b.state === 'open' && now >= b.openUntil ? 'half_open' : b.state)
      out[id] = {
        state,
        forced: b.forced,
        openUntil: state === 'open' && b.forced === null ? new Date(b.openUntil).toISOString() : null,
        successRate: counts.calls === 0 ? null : (counts.calls - counts.failures) / counts.calls,
        p50Ms: sorted.length === 0 ? null : (sorted[Math.floor((sorted.length - 1) / 2)] ?? null),
        latencyEwmaMs: live.ewmaLatency === null ? null : Math.round(live.ewmaLatency),
        ttftMs: live.ewmaTtft === null ? null : Math.round(live.ewmaTtft),
        lastError: live.lastError && live.lastErrorAt ? { message: live.lastError, at: new Date(live.lastErrorAt).toISOString() } : null,
        history,
      }
    }
    return out
  }

  /** Forces a provider open or closed (`null` returns it to the breaker's own judgement). */
  force(id: string, forced: 'open' | 'closed' | null): void {
    const live = this.load(id)
    live.breaker.forced = forced
    if (forced === null && live.breaker.state !== 'closed') this.scheduleAlarm(Math.max(Date.now(), live.breaker.openUntil))
    this.save(id, live)
    this.record(id, forced ?? live.breaker.state, forced ? `forced ${forced} by an admin` : 'released by an admin')
  }

  /** Forgets a deleted provider. */
  forget(id: string): void {
    this.live.delete(id)
    this.sql.exec('DELETE FROM breakers WHERE id = ?', id)
    this.sql.exec('DELETE FROM history WHERE provider_id = ?', id)
  }

  /** Flushes the call batch to Postgres, then probes open providers whose cooldown is over. */
  override async alarm(): Promise<void> {
    this.alarmAt = null
    try {
      await this.flush()
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'ai usage flush failed', error: String(error) }))
      this.scheduleAlarm(Date.now() + USAGE_FLUSH_DELAY_MS * 5)
    }
    await this.probeOpen()
    const pending = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM usage_batch').one().n
    if (pending > 0) this.scheduleAlarm(Date.now() + USAGE_FLUSH_DELAY_MS)
  }

  private async flush(): Promise<void> {
    for (;;) {
      const rows = this.sql.exec<{ id: string; record: string }>('SELECT id, record FROM usage_batch LIMIT ?', USAGE_BATCH_ROWS).toArray()
      if (rows.length === 0) return
      await insertUsage(this.env, rows.map((r) => JSON.parse(r.record) as UsageRecord))
      for (const r of rows) this.sql.exec('DELETE FROM usage_batch WHERE id = ?', r.id)
    }
  }

  private async probeOpen(): Promise<void> {
    const now = Date.now()
    const due = this.sql.exec<{ id: string }>("SELECT id FROM breakers WHERE state = 'open' AND forced IS NULL AND open_until <= ?", now).toArray()
    const later = this.sql.exec<{ at: number | null }>("SELECT min(open_until) AS at FROM breakers WHERE state = 'open' AND forced IS NULL AND open_until > ?", now).one().at
    if (later !== null) this.scheduleAlarm(later)
    if (due.length === 0) return
    const providers = await this.providers()
    for (const { id } of due) {
      const provider = providers.find((p) => p.id === id)
      if (!provider) continue
      const decision = this.plan(this.scope() ?? 'platform', [id])
      if (!decision.admitted[0]?.probe) continue
      const started = Date.now()
      try {
        const latencyMs = await probe(provider, provider.firstTokenTimeoutMs)
        this.report(id, { result: 'success', probe: true, latencyMs })
      } catch (error) {
        const failure = error instanceof UpstreamError ? error : new UpstreamError('connection', 'probe failed')
        this.report(id, {
          result: failure.callerFault ? 'neutral' : 'failure',
          probe: true,
          latencyMs: Date.now() - started,
          error: `probe: ${failure.message}`,
          retryAfterMs: failure.retryAfterMs,
        })
      }
    }
  }

  private scope(): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'scope'").toArray()[0]?.value
  }

  private async providers(): Promise<ProviderConfig[]> {
    const scope = this.scope()
    if (!scope || scope === 'platform') return platformProviders(this.env as Env & OptionalAiSecrets)
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      return (await providersFor(this.env, client.db, scope)).providers
    } finally {
      await client.close()
    }
  }

  private windowCounts(live: Live, now: number): { calls: number; failures: number } {
    while (live.window.length > 0 && (live.window[0]?.at ?? now) < now - this.config.windowMs) live.window.shift()
    return { calls: live.window.length, failures: live.window.filter((o) => !o.ok).length }
  }

  private load(id: string): Live {
    const cached = this.live.get(id)
    if (cached) return cached
    const row = this.sql.exec<BreakerRow>('SELECT * FROM breakers WHERE id = ?', id).toArray()[0]
    const live: Live = row
      ? {
          breaker: {
            state: row.state as BreakerState,
            openUntil: row.open_until,
            openings: row.openings,
            consecutiveFailures: row.consecutive_failures,
            forced: row.forced === 'open' || row.forced === 'closed' ? row.forced : null,
            probeSince: row.probe_since,
          },
          ewmaLatency: row.ewma_latency,
          ewmaTtft: row.ewma_ttft,
          lastError: row.last_error,
          lastErrorAt: row.last_error_at,
          window: [],
          latencies: [],
        }
      : { breaker: closedBreaker(), ewmaLatency: null, ewmaTtft: null, lastError: null, lastErrorAt: null, window: [], latencies: [] }
    this.live.set(id, live)
    return live
  }

  private save(id: string, live: Live): void {
    const b = live.breaker
    this.sql.exec(
      'INSERT OR REPLACE INTO breakers (id, state, open_until, openings, consecutive_failures, forced, probe_since, ewma_latency, ewma_ttft, last_error, last_error_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      id,
      b.state,
      b.openUntil,
      b.openings,
      b.consecutiveFailures,
      b.forced,
      b.probeSince,
      live.ewmaLatency,
      live.ewmaTtft,
      live.lastError,
      live.lastErrorAt,
    )
  }

  private record(id: string, state: BreakerState, reason: string): void {
    this.sql.exec('INSERT INTO history (provider_id, at, state, reason) VALUES (?, ?, ?, ?)', id, Date.now(), state, reason)
    this.sql.exec(
      'DELETE FROM history WHERE provider_id = ? AND rowid NOT IN (SELECT rowid FROM history WHERE provider_id = ? ORDER BY at DESC, rowid DESC LIMIT ?)',
      id,
      id,
      HISTORY_KEEP,
    )
  }

  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    void this.ctx.storage.setAlarm(at)
  }
}
