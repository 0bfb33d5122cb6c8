// The RateLimiter object's RPC vocabulary, shared by the object and the Worker code that calls it.
import type { UsageResource } from '../../workers/db/schema/activity'

/** A token bucket: `capacity` requests at once, refilled continuously at `refillPerSecond`. */
export interface BucketPolicy {
  /** Name in the RateLimit headers, e.g. "minute". */
  name: string
  capacity: number
  refillPerSecond: number
}

/** Outcome of the per-UTC-day cap, when one applies. */
export interface DayResult {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until the next UTC midnight, when the count starts again. */
  resetSeconds: number
}

/** Outcome of taking one token. */
export interface BucketResult {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until the bucket is full again. */
  resetSeconds: number
  /** Seconds until one token is available (or, past the daily cap, until midnight UTC); 0 when allowed. */
  retryAfterSeconds: number
  /** The daily cap's outcome, when the call gave one. */
  day?: DayResult
}

/** Outcome of a token lease: `granted` tokens (0 when refused) taken from the bucket and counted as used on `countedOn`. */
export interface TokenLease extends BucketResult {
  granted: number
  /** The UTC day (`YYYY-MM-DD`) the granted tokens were counted in. */
  countedOn: string
}

/** Tokens of an earlier lease that were not spent, given back to the bucket and uncounted from the day they were counted in. */
export interface TokenReturn {
  unused: number
  countedOn: string
}

/** What a counted request is metered as, in the tenant's daily usage. */
export interface UsageMeter {
  tenantId: string
  resource: UsageResource
  /** Who counted, e.g. `key:<id>`; each source writes its own absolute counts. */
  source: string
  /** When set, the key's `last_used_at` is kept current (without a write per request). */
  apiKeyId?: string
}

/** The month (`YYYY-MM`) and day (`YYYY-MM-DD`, UTC) a quota consumption was counted in. */
export interface QuotaCharge {
  period: string
  day: string
}

/** Outcome of consuming a monthly quota. */
export interface QuotaResult {
  allowed: boolean
  resource: UsageResource
  /** null: unlimited. */
  limit: number | null
  used: number
  remaining: number | null
  /** Start of the next period (UTC month), ISO 8601. */
  resetAt: string
  /** Where an allowed consumption was counted, so a refund returns it to the same month and day. */
  charged: QuotaCharge
}

/** Outcome of a quota lease: the units granted (0 when refused), all counted as used where `charged` says. */
export interface QuotaLease extends QuotaResult {
  granted: number
}

/** Progressive delay: `freeAttempts` attempts without a success are free, then each further one waits a doubling delay. */
export interface BackoffPolicy {
  /** Subject name inside the object, e.g. "sign-in". */
  name: string
  freeAttempts: number
  /** Wait after the last free attempt; doubled after each further attempt. */
  baseDelaySeconds: number
  /** The longest wait ever imposed. */
  maxDelaySeconds: number
  /** Attempts older than this (since the last one) are forgotten. */
  forgetAfterSeconds: number
}

/** Outcome of starting one attempt under a {@link BackoffPolicy}. */
export interface BackoffResult {
  allowed: boolean
  /** Attempts since the last success, this one included when allowed. */
  attempts: number
  /** Seconds until the next attempt may start; 0 when allowed. */
  retryAfterSeconds: number
}
