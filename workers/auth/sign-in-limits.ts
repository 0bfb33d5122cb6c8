// Brute-force and abuse limits of the unauthenticated auth routes, kept in RateLimiter objects: sign-in has a cap per
// client IP and a progressive delay per account; registration has a cap per client IP. See client-ip.ts for the IP rule.
import type { BackoffPolicy, BucketPolicy } from '../../durable-objects/rate-limiter/types'
import { ApiError } from '../lib/errors'

const SIGN_IN_WINDOW_SECONDS = 15 * 60
/** Sign-in attempts per client IP every 15 minutes (refilled continuously) when SIGN_INS_PER_IP_PER_15_MINUTES is unset. */
export const DEFAULT_SIGN_INS_PER_IP_PER_15_MINUTES = 30

/**
 * Per account: 5 attempts without a success are free, then each further attempt waits 2 s, 4 s, 8 s ... at most 5
 * minutes. A success resets it, so whoever guesses wrong can delay the owner by at most 5 minutes, never lock them out.
 */
export const SIGN_IN_BACKOFF: BackoffPolicy = {
  name: 'sign-in',
  freeAttempts: 5,
  baseDelaySeconds: 2,
  maxDelaySeconds: 5 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
}

/** Registrations per client IP and hour when REGISTRATIONS_PER_IP_PER_HOUR is unset or not a positive integer. */
export const DEFAULT_REGISTRATIONS_PER_IP_PER_HOUR = 20
const HOUR_SECONDS = 60 * 60

function tooMany(what: string, retryAfterSeconds: number): ApiError {
  return new ApiError('rate_limited', `Too many ${what}; try again later`, {
    details: { retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  })
}

const accountLimiter = (env: Env, email: string) => env.RATE_LIMITER.getByName(`sign-in:account:${email.trim().toLowerCase()}`)

/**
 * Starts one sign-in attempt for `email` from `client` (a key from `clientKey`); throws 429 `rate_limited` with
 * Retry-After when the client IP's budget is spent or the account's delay has not run out. Call
 * {@link signInSucceeded} after a correct password.
 */
export async function limitSignIn(env: Env, email: string, client: string): Promise<void> {
  const capacity = positiveIntegerOr(env.SIGN_INS_PER_IP_PER_15_MINUTES, DEFAULT_SIGN_INS_PER_IP_PER_15_MINUTES)
  const perIp: BucketPolicy = { name: 'sign-in-ip', capacity, refillPerSecond: capacity / SIGN_IN_WINDOW_SECONDS }
  const byIp = await env.RATE_LIMITER.getByName(`sign-in:ip:${client}`).take(perIp)
  if (!byIp.allowed) throw tooMany('sign-in attempts', byIp.retryAfterSeconds)
  const byAccount = await accountLimiter(env, email).beginAttempt(SIGN_IN_BACKOFF)
  if (!byAccount.allowed) throw tooMany('sign-in attempts for this account', byAccount.retryAfterSeconds)
}

/** Clears the account's progressive delay after a successful sign-in. */
export async function signInSucceeded(env: Env, email: string): Promise<void> {
  await accountLimiter(env, email).resetAttempts(SIGN_IN_BACKOFF.name)
}

/** A Worker var as a positive integer, or `fallback` when it is unset or not one. */
function positiveIntegerOr(value: string | undefined, fallback: number): number {
  const configured = Number(value)
  return Number.isInteger(configured) && configured > 0 ? configured : fallback
}

/** REGISTRATIONS_PER_IP_PER_HOUR as a positive integer, or the default. */
export function registrationsPerHour(env: Env): number {
  return positiveIntegerOr(env.REGISTRATIONS_PER_IP_PER_HOUR, DEFAULT_REGISTRATIONS_PER_IP_PER_HOUR)
}

/** Counts one registration attempt from `client`; throws 429 `rate_limited` with Retry-After past the hourly cap. */
export async function limitRegistration(env: Env, client: string): Promise<void> {
  const capacity = registrationsPerHour(env)
  const policy: BucketPolicy = { name: 'register-ip', capacity, refillPerSecond: capacity / HOUR_SECONDS }
  const result = await env.RATE_LIMITER.getByName(`register:ip:${client}`).take(policy)
  if (!result.allowed) throw tooMany('registrations from this address', result.retryAfterSeconds)
}
