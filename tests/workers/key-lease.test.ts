// API-key rate limits answered from the isolate's token lease: few limiter calls for a busy key, limits and metering exact.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RateLimiter } from '../../durable-objects/rate-limiter'
import { KEY_LEASE_TTL_MS } from '../../workers/auth/key-lease'
import { api, createKey, onOwnPlan, signUp, unique, type Account } from './helpers'

/** A bucket that refills too slowly to matter within a test, so its counts are exact. */
const slowPolicy = (capacity: number) => ({ name: 'minute', capacity, refillPerSecond: 1e-6 })

async function meteredRequests(owner: Account): Promise<number> {
  const { body } = await api<{ totals: Record<string, number> }>('/v1/usage', { token: owner.accessToken })
  return body.totals.api_requests ?? 0
}

const minuteRemaining = (res: Response) => Number(res.headers.get('ratelimit')?.match(/"minute";r=(\d+)/)?.[1])

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the RateLimiter grants leases', () => {
  it('never grants more than a quarter of what is left, so all leases together stop exactly at the capacity', async () => {
    const limiter = env.RATE_LIMITER.getByName(unique('lease'))
    const grants: number[] = []
    for (;;) {
      const lease = await limiter.leaseTokens(slowPolicy(100), 32)
      if (!lease.allowed) {
        expect(lease.granted).toBe(0)
        expect(lease.retryAfterSeconds).toBeGreaterThan(0)
        break
      }
      grants.push(lease.granted)
    }
    expect(grants[0]).toBe(25)
    expect(grants.every((granted, i) => i === 0 || granted <= (grants[i - 1] ?? 0))).toBe(true)
    expect(grants.reduce((sum, granted) => sum + granted, 0)).toBe(100)
  })

  it('takes back unspent tokens and uncounts them from the day they were counted in', async () => {
    const owner = await signUp()
    const limiter = env.RATE_LIMITER.getByName(unique('lease'))
    const meter = { tenantId: owner.tenant.id, resource: 'api_requests' as const, source: unique('key') }
    const first = await limiter.leaseTokens(slowPolicy(40), 32, meter, 1000)
    expect(first).toMatchObject({ allowed: true, granted: 10, remaining: 30, day: { remaining: 990 } })
    const second = await limiter.leaseTokens(slowPolicy(40), 32, meter, 1000, { unused: 7, countedOn: first.countedOn })
    // 7 of the first 10 came back: 37 left, of which a quarter (9) is granted.
    expect(second).toMatchObject({ allowed: true, granted: 9, remaining: 28, day: { remaining: 988 } })
    await limiter.returnTokens(slowPolicy(40), { unused: 9, countedOn: second.countedOn }, meter)

    expect(await runDurableObjectAlarm(limiter)).toBe(true)
    expect(await meteredRequests(owner)).toBe(3)
  })
})

describe('API-key requests through the lease', () => {
  it('serves a busy key with few limiter calls, counts down by one per request, and meters exactly once the lease ends', async () => {
    const owner = await signUp()
    const { id, key } = await createKey(owner, ['read'])
    const leases = vi.spyOn(RateLimiter.prototype, 'leaseTokens')
    const remaining: number[] = []
    for (let i = 0; i < 30; i++) {
      const { res } = await api('/v1/tenant', { apiKey: key })
      expect(res.status).toBe(200)
      remaining.push(minuteRemaining(res))
    }
    expect(leases.mock.calls.length).toBeGreaterThanOrEqual(2)
    expect(leases.mock.calls.length).toBeLessThanOrEqual(8)
    // A starter key refills one token a second, so a count may stay put once; it never jumps.
    remaining.slice(1).forEach((r, i) => expect((remaining[i] ?? 0) - r).toBeOneOf([0, 1]))
    expect(remaining[0]).toBe(59)

    // The last lease's unspent tokens go back when it ends; then the day's count is exactly the 30 requests.
    const limiter = env.RATE_LIMITER.getByName(`key:${id}`)
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(limiter)
        expect(await meteredRequests(owner)).toBe(30)
      },
      { timeout: KEY_LEASE_TTL_MS + 10_000, interval: 250 },
    )
  })

  it('lets a burst through up to the daily cap and not one request more', async () => {
    const owner = await signUp()
    await onOwnPlan(owner, 'Fifty a day', { requestsPerDay: 50 })
    const { key } = await createKey(owner, ['read'])
    const calls = await Promise.all(Array.from({ length: 80 }, () => api<{ error?: { code: string } }>('/v1/tenant', { apiKey: key })))
    expect(calls.filter((call) => call.res.status === 200)).toHaveLength(50)
    const refused = calls.filter((call) => call.res.status === 429)
    expect(refused).toHaveLength(30)
    for (const call of refused) expect(call.body.error?.code).toBe('rate_limited')
    expect((await api('/v1/tenant', { apiKey: key })).res.status).toBe(429)
  })
})
