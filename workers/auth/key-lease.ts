// Answers an API key's rate limit from memory: the isolate leases tokens from the key's RateLimiter object, one RPC for
// many requests of a busy key, and spends them itself. The object never grants more than a share of what is left, so
// the limits stay exact; unspent tokens go back when the lease ends, so metering does too.
import { utcDayEnd } from '../../durable-objects/rate-limiter/clock'
import type { RateLimiter } from '../../durable-objects/rate-limiter'
import type { BucketPolicy, BucketResult, TokenLease, TokenReturn, UsageMeter } from '../../durable-objects/rate-limiter/types'

/** The most tokens one lease asks for. */
export const KEY_LEASE_MAX_TOKENS = 32
/** How long a lease's tokens may be spent; then what is left goes back to the object. */
export const KEY_LEASE_TTL_MS = 1_000
/** Past this many leases held, ended ones are forgotten when a new one is taken (publishable keys lease per client IP). */
const MAX_HELD_LEASES = 10_000

/** One limiter's tokens in this isolate, with the object's answer at the grant for the RateLimit headers. */
interface HeldLease {
  policy: BucketPolicy
  dailyLimit: number | null
  grant: TokenLease
  tokens: number
  spent: number
  /** When the day the grant was counted in ends (UTC midnight): the lease ends then at the latest. */
  dayEndsAt: number
  expiresAt: number
}

/** Which limiter to take from, under which policy, and how the request may keep work alive after its response. */
export interface LeasedLimit {
  limiter: DurableObjectStub<RateLimiter>
  name: string
  policy: BucketPolicy
  meter: UsageMeter
  dailyLimit: number | null
  waitUntil(promise: Promise<unknown>): void
}

const held = new Map<string, HeldLease>()
const renewing = new Map<string, Promise<BucketResult>>()

const samePolicy = (lease: HeldLease, limit: LeasedLimit) =>
  lease.policy.capacity === limit.policy.capacity && lease.policy.refillPerSecond === limit.policy.refillPerSecond && lease.dailyLimit === limit.dailyLimit

function spendable(lease: HeldLease | undefined, limit: LeasedLimit, now: number): lease is HeldLease {
  return lease !== undefined && lease.tokens > 0 && now < lease.expiresAt && samePolicy(lease, limit)
}

/** The RateLimit view after spending one token: what the object had left at the grant plus what this lease still holds. */
function spend(lease: HeldLease, now: number): BucketResult {
  lease.tokens -= 1
  lease.spent += 1
  const { grant, policy } = lease
  const remaining = grant.remaining + lease.tokens
  return {
    allowed: true,
    limit: grant.limit,
    remaining,
    resetSeconds: Math.ceil((policy.capacity - remaining) / policy.refillPerSecond),
    retryAfterSeconds: 0,
    ...(grant.day ? { day: { ...grant.day, remaining: grant.day.remaining + lease.tokens, resetSeconds: Math.max(1, Math.ceil((lease.dayEndsAt - now) / 1000)) } } : {}),
  }
}

/** Doubles a lease a busy key spent before it ended; otherwise asks for what the last one served. */
function nextSize(previous: HeldLease | undefined, now: number): number {
  if (!previous) return 1
  return previous.tokens === 0 && now < previous.expiresAt ? Math.min(KEY_LEASE_MAX_TOKENS, previous.grant.granted * 2) : Math.max(1, previous.spent)
}

/** Takes what an ended lease did not spend, so exactly one of the renewal and the expiry timer gives it back. */
function takeUnused(lease: HeldLease | undefined): TokenReturn | undefined {
  if (!lease || lease.tokens === 0) return undefined
  const unused = { unused: lease.tokens, countedOn: lease.grant.countedOn }
  lease.tokens = 0
  return unused
}

function forgetEnded(now: number): void {
  if (held.size < MAX_HELD_LEASES) return
  for (const [name, lease] of held) if (lease.tokens === 0 && now >= lease.expiresAt) held.delete(name)
}

/** Gives back, once the lease ends, whatever it did not spend and no renewal took back first. */
async function returnWhenEnded(limit: LeasedLimit, lease: HeldLease): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, lease.expiresAt - Date.now())))
  const unused = takeUnused(lease)
  if (!unused) return
  try {
    await limit.limiter.returnTokens(limit.policy, unused, limit.meter)
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'rate-limit tokens not returned', limiter: limit.name, unused: unused.unused, error: String(error) }))
  }
}

/** One RPC: returns the previous lease's unspent tokens, takes a new lease and spends its first token for this request. */
async function renew(limit: LeasedLimit, previous: HeldLease | undefined, now: number): Promise<BucketResult> {
  const wanted = nextSize(previous, now)
  const returned = takeUnused(previous)
  const grant = await limit.limiter.leaseTokens(limit.policy, wanted, limit.meter, limit.dailyLimit, returned)
  if (!grant.allowed) {
    held.delete(limit.name)
    return grant
  }
  forgetEnded(now)
  const dayEndsAt = utcDayEnd(grant.countedOn)
  const lease: HeldLease = { policy: limit.policy, dailyLimit: limit.dailyLimit, grant, tokens: grant.granted, spent: 0, dayEndsAt, expiresAt: Math.min(Date.now() + KEY_LEASE_TTL_MS, dayEndsAt) }
  held.set(limit.name, lease)
  if (grant.granted > 1) limit.waitUntil(returnWhenEnded(limit, lease))
  return spend(lease, Date.now())
}

/**
 * Takes one request's token for `limit`: from this isolate's lease when it holds one, else with one RPC that all
 * concurrent requests of the key wait for. A refusal is always the object's answer (shared by the requests that waited
 * for it), never a guess from memory.
 */
export async function takeLeasedToken(limit: LeasedLimit): Promise<BucketResult> {
  for (;;) {
    const now = Date.now()
    const lease = held.get(limit.name)
    if (spendable(lease, limit, now)) return spend(lease, now)
    const pending = renewing.get(limit.name)
    if (pending) {
      const answer = await pending.catch(() => undefined)
      if (answer && !answer.allowed) return answer
      continue
    }
    const renewal = renew(limit, lease, now).finally(() => renewing.delete(limit.name))
    renewing.set(limit.name, renewal)
    return renewal
  }
}
