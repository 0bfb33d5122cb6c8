// Per-key request limits from the tenant's plan (per minute, and per UTC day where the plan sets one), enforced by the
// key's RateLimiter object through the isolate's token lease, announced in the IETF RateLimit headers
// (draft-ietf-httpapi-ratelimit-headers) on every API-key response.
import type { BucketPolicy, BucketResult } from '../../durable-objects/rate-limiter/types'
import { ApiError } from '../lib/errors'
import type { VerifiedApiKey } from './api-keys'
import { takeLeasedToken } from './key-lease'

const SECONDS_PER_MINUTE = 60

/** The plan's per-minute token bucket for one key. */
export function minutePolicy(requestsPerMinute: number): BucketPolicy {
  return { name: 'minute', capacity: requestsPerMinute, refillPerSecond: requestsPerMinute / SECONDS_PER_MINUTE }
}

const SECONDS_PER_DAY = 86_400

/** `RateLimit-Policy` and `RateLimit` header values for a bucket outcome, with the daily cap as a second policy when one applies. */
export function rateLimitHeaders(policy: BucketPolicy, result: BucketResult): Record<string, string> {
  const policies = [`"${policy.name}";q=${policy.capacity};w=${SECONDS_PER_MINUTE}`]
  const states = [`"${policy.name}";r=${result.remaining};t=${result.resetSeconds}`]
  if (result.day) {
    policies.push(`"day";q=${result.day.limit};w=${SECONDS_PER_DAY}`)
    states.push(`"day";r=${result.day.remaining};t=${result.day.resetSeconds}`)
  }
  return { 'RateLimit-Policy': policies.join(', '), RateLimit: states.join(', ') }
}

/**
 * Takes one request from the key's per-minute bucket and its plan's per-day cap (through this isolate's token lease,
 * key-lease.ts); throws 429 `rate_limited` (with Retry-After) when either is spent. A publishable key is shared by every
 * shopper of a web page, so its limits are per key and client IP (`clientIp`).
 */
export async function limitApiKey(env: Env, key: VerifiedApiKey, waitUntil: (promise: Promise<unknown>) => void, clientIp?: string): Promise<Record<string, string>> {
  const policy = minutePolicy(key.plan.requestsPerMinute)
  const name = clientIp === undefined ? `key:${key.id}` : `key:${key.id}:ip:${clientIp}`
  const result = await takeLeasedToken({
    limiter: env.RATE_LIMITER.getByName(name),
    name,
    policy,
    meter: { tenantId: key.tenantId, resource: 'api_requests', source: `key:${key.id}`, apiKeyId: key.id },
    dailyLimit: key.plan.requestsPerDay,
    waitUntil,
  })
  const headers = rateLimitHeaders(policy, result)
  if (!result.allowed) {
    const daily = result.day && !result.day.allowed
    const limit = daily ? (result.day?.limit ?? 0) : policy.capacity
    throw new ApiError('rate_limited', daily ? `Daily limit of ${limit} requests reached for this key; it starts again at midnight UTC` : `Rate limit of ${limit} requests per minute reached for this key`, {
      details: { plan: key.plan.id, limit, windowSeconds: daily ? SECONDS_PER_DAY : SECONDS_PER_MINUTE, retryAfterSeconds: result.retryAfterSeconds },
      headers: { ...headers, 'Retry-After': String(result.retryAfterSeconds) },
    })
  }
  return headers
}
