// Brute-force protection for sign-in: attempts are limited per email and per client IP by RateLimiter objects.
import type { BucketPolicy } from '../../durable-objects/rate-limiter/types'
import { ApiError } from '../lib/errors'

const WINDOW_SECONDS = 15 * 60
/** 5 attempts per email and 30 per IP every 15 minutes, refilled continuously. */
const PER_EMAIL: BucketPolicy = { name: 'sign-in-email', capacity: 5, refillPerSecond: 5 / WINDOW_SECONDS }
const PER_IP: BucketPolicy = { name: 'sign-in-ip', capacity: 30, refillPerSecond: 30 / WINDOW_SECONDS }

/** Counts one sign-in attempt; throws 429 `rate_limited` with Retry-After once either budget is spent. */
export async function limitSignIn(env: Env, email: string, ip: string): Promise<void> {
  const [byEmail, byIp] = await Promise.all([
    env.RATE_LIMITER.getByName(`sign-in:email:${email.toLowerCase()}`).take(PER_EMAIL),
    env.RATE_LIMITER.getByName(`sign-in:ip:${ip}`).take(PER_IP),
  ])
  const denied = [byEmail, byIp].find((r) => !r.allowed)
  if (denied) {
    throw new ApiError('rate_limited', 'Too many sign-in attempts; try again later', {
      details: { retryAfterSeconds: denied.retryAfterSeconds },
      headers: { 'Retry-After': String(denied.retryAfterSeconds) },
    })
  }
}
