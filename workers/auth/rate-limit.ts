// Per-key request limits from the tenant's plan, enforced by the key's RateLimiter object, announced in the IETF
// RateLimit headers (draft-ietf-httpapi-ratelimit-headers) on every API-key response.
import type { BucketPolicy, BucketResult } from '../../durable-objects/rate-limiter/types'
import { ApiError } from '../lib/errors'
import type { VerifiedApiKey } from './api-keys'

const SECONDS_PER_MINUTE = 60

/** The plan's per-minute token bucket for one key. */
export function minutePolicy(requestsPerMinute: number): BucketPolicy {
  return { name: 'minute', capacity: requestsPerMinute, refillPerSecond: requestsPerMinute / SECONDS_PER_MINUTE }
}

/** `RateLimit-Policy` and `RateLimit` header values for a bucket outcome. */
export function rateLimitHeaders(policy: BucketPolicy, result: BucketResult): Record<string, string> {
  return {
    'RateLimit-Policy': `"${policy.name}";q=${policy.capacity};w=${SECONDS_PER_MINUTE}`,
    RateLimit: `"${policy.name}";r=${result.remaining};t=${result.resetSeconds}`,
  }
}

/**
 * Takes one request from the key's bucket; throws 429 `rate_limited` (with Retry-After) when it is empty. A publishable
 * key is shared by every shopper of a web page, so its bucket is per key and client IP (`clientIp`).
 */
export async function limitApiKey(env: Env, key: VerifiedApiKey, clientIp?: string): Promise<Record<string, string>> {
  const policy = minutePolicy(key.plan.requestsPerMinute)
  const limiter = env.RATE_LIMITER.getByName(clientIp === undefined ? `key:${key.id}` : `key:${key.id}:ip:${clientIp}`)
  const result = await limiter.take(policy, { tenantId: key.tenantId, resource: 'api_requests', source: `key:${key.id}`, apiKeyId: key.id })
  const headers = rateLimitHeaders(policy, result)
  if (!result.allowed) {
    throw new ApiError('rate_limited', `Rate limit of ${policy.capacity} requests per minute reached for this key`, {
      details: { plan: key.plan.id, limit: policy.capacity, windowSeconds: SECONDS_PER_MINUTE, retryAfterSeconds: result.retryAfterSeconds },
      headers: { ...headers, 'Retry-After': String(result.retryAfterSeconds) },
    })
  }
  return headers
}
