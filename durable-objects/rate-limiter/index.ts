// Exact per-key request buckets and per-tenant monthly quotas; the platform's rate-limit binding counts per location
// and cannot enforce plans (ARCHITECTURE.md). Usage is metered here and flushed to Postgres in batches by the alarm.
//
// A Worker isolate takes an API key's tokens in leases (workers/auth/key-lease.ts): one call for many requests, each
// grant at most a share of what is left, unspent tokens given back.
//
// Buckets live in memory: a per-minute bucket's state is irrelevant after a minute, and an object is only evicted after
// longer idleness than that, so persisting it would cost a durable write per request for nothing. A daily cap counts
// in memory too, seeded after a restart from the day's usage in SQLite. Request counts are
// also kept in memory and written to SQLite by the alarm (within USAGE_FLUSH_DELAY_MS); a crash loses at most that
// window of request metering. Quotas, which must never be overspent, are written durably on every consumption.
import { DurableObject } from 'cloudflare:workers'
import type { UsageResource } from '../../workers/db/schema/activity'
import { BACKOFF_SCHEMA, beginAttempt, resetBackoff } from './backoff'
import { secondsToUtcMidnight, utcDay } from './clock'
import { flushUsage } from './flush'
import type { BackoffPolicy, BackoffResult, BucketPolicy, BucketResult, QuotaCharge, QuotaLease, QuotaResult, TokenLease, TokenReturn, UsageMeter } from './types'

/** Usage is written to Postgres at most this long after it was counted. */
export const USAGE_FLUSH_DELAY_MS = 5_000
/** A lease takes at most this fraction (1/n) of the quota left, so leases held by many rooms cannot strand the rest. */
export const LEASE_SHARE = 4
/** Longest wait between retries of a failed flush. */
const MAX_FLUSH_BACKOFF_MS = 5 * 60_000

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS quotas (resource TEXT NOT NULL, period TEXT NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (resource, period));
  CREATE TABLE IF NOT EXISTS usage (tenant_id TEXT NOT NULL, day TEXT NOT NULL, resource TEXT NOT NULL, source TEXT NOT NULL,
    count INTEGER NOT NULL, flushed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, day, resource, source));
  CREATE TABLE IF NOT EXISTS key_use (key_id TEXT PRIMARY KEY, last_used_ms INTEGER NOT NULL, flushed_ms INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`

const meterKey = (meter: UsageMeter, day: string) => `${meter.tenantId}|${day}|${meter.resource}|${meter.source}`

/** Tokens a lease of `wanted` may take out of `left`: none below one, else at most 1/LEASE_SHARE of it, at least one. */
const leaseShare = (left: number, wanted: number) => (left < 1 ? 0 : Math.min(Math.max(1, Math.floor(wanted)), Math.max(1, Math.floor(left / LEASE_SHARE))))

const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7)

function nextMonthStart(ms: number): string {
  const d = new Date(ms)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString()
}

/** One instance per API key (`key:<id>`), tenant (`tenant:<id>`) or sign-in and registration subject (`sign-in:...`, `register:...`). */
export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>()
  private readonly pendingCounts = new Map<string, { meter: UsageMeter; day: string; count: number }>()
  private readonly pendingKeyUse = new Map<string, number>()
  /** Today's request count per meter, for daily caps (`dayCountsDay` is the UTC day they belong to). */
  private readonly dayCounts = new Map<string, { count: number }>()
  private dayCountsDay = ''
  private flushScheduled = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(SCHEMA)
      this.sql.exec(BACKOFF_SCHEMA)
    })
  }

  /**
   * Takes one token from the bucket `policy.name`; when `meter` is given, an allowed request is counted as usage, and
   * `dailyLimit` caps what that meter may count per UTC day (refused requests take no token and count nothing).
   */
  take(policy: BucketPolicy, meter?: UsageMeter, dailyLimit?: number | null): BucketResult {
    return this.leaseTokens(policy, 1, meter, dailyLimit)
  }

  /**
   * Takes up to `wanted` tokens at once (see {@link take}), all counted as used, for a caller that spends them itself:
   * at most 1/LEASE_SHARE of what the bucket and the day have left (at least 1), so grants shrink to single tokens near
   * a limit and leases held by several callers never add up to more than the limit. `returned` first gives back what
   * the caller's previous lease did not spend.
   */
  leaseTokens(policy: BucketPolicy, wanted: number, meter?: UsageMeter, dailyLimit?: number | null, returned?: TokenReturn): TokenLease {
    const now = Date.now()
    if (returned) this.giveBack(policy, returned, now, meter)
    const available = this.refilled(policy, now)
    const counted = meter && typeof dailyLimit === 'number' ? this.countedToday(meter, now) : undefined
    const dayLeft = counted === undefined ? Number.POSITIVE_INFINITY : (dailyLimit ?? 0) - counted.count
    const granted = Math.min(leaseShare(available, wanted), leaseShare(dayLeft, wanted))
    const allowed = granted > 0
    const dayOpen = dayLeft >= 1
    const tokens = available - granted
    this.buckets.set(policy.name, { tokens, updatedMs: now })
    const countedOn = utcDay(now)
    if (allowed && meter) {
      this.countUsage(meter, countedOn, granted)
      if (counted) counted.count += granted
      if (meter.apiKeyId) this.pendingKeyUse.set(meter.apiKeyId, now)
      this.scheduleFlush(now)
    }
    const untilMidnight = secondsToUtcMidnight(now)
    const dayResult = counted && typeof dailyLimit === 'number' ? { allowed: dayOpen, limit: dailyLimit, remaining: Math.max(0, dailyLimit - counted.count), resetSeconds: untilMidnight } : undefined
    return {
      allowed,
      granted,
      countedOn,
      limit: policy.capacity,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((policy.capacity - tokens) / policy.refillPerSecond),
      retryAfterSeconds: allowed ? 0 : dayOpen ? Math.max(1, Math.ceil((1 - tokens) / policy.refillPerSecond)) : untilMidnight,
      ...(dayResult ? { day: dayResult } : {}),
    }
  }

  /** Gives back the unspent tokens of a lease whose holder has no further use for them. */
  returnTokens(policy: BucketPolicy, returned: TokenReturn, meter?: UsageMeter): void {
    const now = Date.now()
    this.giveBack(policy, returned, now, meter)
    this.scheduleFlush(now)
  }

  /** The bucket's tokens at `now`, refilled since its last use and capped at its capacity. */
  private refilled(policy: BucketPolicy, now: number): number {
    const bucket = this.buckets.get(policy.name)
    if (!bucket) return policy.capacity
    return Math.min(policy.capacity, bucket.tokens + (Math.max(0, now - bucket.updatedMs) / 1000) * policy.refillPerSecond)
  }

  /** Puts unspent tokens back (capped at the capacity, which is what the bucket would hold had they never left) and uncounts them. */
  private giveBack(policy: BucketPolicy, returned: TokenReturn, now: number, meter?: UsageMeter): void {
    if (returned.unused <= 0) return
    this.buckets.set(policy.name, { tokens: Math.min(policy.capacity, this.refilled(policy, now) + returned.unused), updatedMs: now })
    if (!meter) return
    this.countUsage(meter, returned.countedOn, -returned.unused)
    const counted = this.dayCountsDay === returned.countedOn ? this.dayCounts.get(meterKey(meter, returned.countedOn)) : undefined
    if (counted) counted.count = Math.max(0, counted.count - returned.unused)
  }

  /** Adds `amount` (negative for a return) to the meter's pending count of `day`, written to SQLite by the alarm. */
  private countUsage(meter: UsageMeter, day: string, amount: number): void {
    const key = meterKey(meter, day)
    const pending = this.pendingCounts.get(key)
    if (pending) pending.count += amount
    else this.pendingCounts.set(key, { meter, day, count: amount })
  }

  /** Today's count for `meter`, kept in memory and seeded once per day from what SQLite and the pending batch hold. */
  private countedToday(meter: UsageMeter, now: number): { count: number } {
    const day = utcDay(now)
    if (this.dayCountsDay !== day) {
      this.dayCounts.clear()
      this.dayCountsDay = day
    }
    const key = meterKey(meter, day)
    let counted = this.dayCounts.get(key)
    if (!counted) {
      const stored = this.sql
        .exec<{ count: number }>('SELECT count FROM usage WHERE tenant_id = ? AND day = ? AND resource = ? AND source = ?', meter.tenantId, day, meter.resource, meter.source)
        .toArray()[0]?.count ?? 0
      counted = { count: stored + (this.pendingCounts.get(key)?.count ?? 0) }
      this.dayCounts.set(key, counted)
    }
    return counted
  }

  /** Starts one attempt under a progressive delay (see backoff.ts); refused with the wait while the delay runs. */
  beginAttempt(policy: BackoffPolicy): BackoffResult {
    return beginAttempt(this.sql, policy, Date.now())
  }

  /** Forgets the attempts counted under `name`, after one succeeded. */
  resetAttempts(name: string): void {
    resetBackoff(this.sql, name)
  }

  /** Consumes `amount` of this month's quota of `resource`, all or nothing; `limit` null means unlimited (still metered). */
  consumeQuota(tenantId: string, resource: UsageResource, limit: number | null, amount = 1): QuotaResult {
    return this.chargeQuota(tenantId, resource, limit, (remaining) => (remaining === null || amount <= remaining ? amount : 0))
  }

  /**
   * Grants a lease of up to `wanted` units of this month's quota of `resource`, counted as used at once (quota and the
   * day's usage): all of them when unlimited, else at most 1/LEASE_SHARE of what is left (at least 1), so grants shrink
   * to single units near the limit and the count stays exact; refused when nothing is left.
   */
  leaseQuota(tenantId: string, resource: UsageResource, limit: number | null, wanted: number): QuotaLease {
    const units = Math.max(1, Math.floor(wanted))
    return this.chargeQuota(tenantId, resource, limit, (remaining) => (remaining === null ? units : leaseShare(remaining, units)))
  }

  /** Counts the units `grant` allows out of what is left (null: unlimited) in one durable write; 0 refuses. */
  private chargeQuota(tenantId: string, resource: UsageResource, limit: number | null, grant: (remaining: number | null) => number): QuotaLease {
    const now = Date.now()
    const period = utcMonth(now)
    const used = this.sql.exec<{ used: number }>('SELECT used FROM quotas WHERE resource = ? AND period = ?', resource, period).toArray()[0]?.used ?? 0
    const granted = Math.max(0, grant(limit === null ? null : limit - used))
    const allowed = granted > 0
    const after = used + granted
    if (allowed) {
      this.sql.exec('INSERT OR REPLACE INTO quotas (resource, period, used) VALUES (?, ?, ?)', resource, period, after)
      this.addUsage({ tenantId, resource, source: 'quota' }, utcDay(now), granted)
      this.scheduleFlush(now)
    }
    return { allowed, granted, resource, limit, used: after, remaining: limit === null ? null : limit - after, resetAt: nextMonthStart(now), charged: { period, day: utcDay(now) } }
  }

  /** Gives back `amount` consumed at `charged` when the work it paid for was not done: the quota and the day's usage. */
  refundQuota(tenantId: string, resource: UsageResource, charged: QuotaCharge, amount = 1): void {
    this.sql.exec('UPDATE quotas SET used = max(0, used - ?) WHERE resource = ? AND period = ?', amount, resource, charged.period)
    this.sql.exec("UPDATE usage SET count = max(0, count - ?) WHERE tenant_id = ? AND day = ? AND resource = ? AND source = 'quota'", amount, tenantId, charged.day, resource)
    this.scheduleFlush(Date.now())
  }

  /** Writes pending usage and key activity to Postgres; a failure keeps everything for the next attempt. */
  override async alarm(): Promise<void> {
    this.flushScheduled = false
    this.persistPending()
    try {
      await flushUsage(this.sql, this.env)
      this.sql.exec("DELETE FROM meta WHERE key = 'flush_failures'")
      if (this.hasPendingUsage()) this.scheduleFlush(Date.now())
    } catch (error) {
      const failures = (this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = 'flush_failures'").toArray()[0]?.value ?? 0) + 1
      this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('flush_failures', ?)", failures)
      const backoff = Math.min(MAX_FLUSH_BACKOFF_MS, USAGE_FLUSH_DELAY_MS * 2 ** failures)
      console.error(JSON.stringify({ level: 'error', msg: 'usage flush failed', failures, retryInMs: backoff, error: String(error) }))
      this.flushScheduled = true
      await this.ctx.storage.setAlarm(Date.now() + backoff)
    }
  }

  private addUsage(meter: UsageMeter, day: string, amount: number): void {
    this.sql.exec(
      `INSERT INTO usage (tenant_id, day, resource, source, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, day, resource, source) DO UPDATE SET count = count + excluded.count`,
      meter.tenantId,
      day,
      meter.resource,
      meter.source,
      amount,
    )
  }

  /** Moves the in-memory request counts into SQLite, where the flush picks them up. */
  private persistPending(): void {
    for (const { meter, day, count } of this.pendingCounts.values()) this.addUsage(meter, day, count)
    this.pendingCounts.clear()
    for (const [keyId, lastUsedMs] of this.pendingKeyUse) {
      this.sql.exec(
        'INSERT INTO key_use (key_id, last_used_ms) VALUES (?, ?) ON CONFLICT (key_id) DO UPDATE SET last_used_ms = max(last_used_ms, excluded.last_used_ms)',
        keyId,
        lastUsedMs,
      )
    }
    this.pendingKeyUse.clear()
  }

  private hasPendingUsage(): boolean {
    const pending = this.sql.exec<{ n: number }>(
      'SELECT (SELECT count(*) FROM usage WHERE count <> flushed) + (SELECT count(*) FROM key_use WHERE last_used_ms > flushed_ms) AS n',
    )
    return (pending.one().n ?? 0) > 0
  }

  private scheduleFlush(now: number): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    void this.ctx.storage.setAlarm(now + USAGE_FLUSH_DELAY_MS)
  }
}
