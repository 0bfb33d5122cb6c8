// API keys end to end: shown once, stored hashed, accepted in both headers, scoped, revoked, expired, rate limited.
import { env, evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { addMember, api, createKey, onOwnPlan, signUp } from './helpers'

describe('API keys', () => {
  it('shows the key once, lists it without the key, and stores only a hash', async () => {
    const owner = await signUp()
    const created = await api<{ id: string; key: string; prefix: string; scopes: string[] }>('/v1/api-keys', {
      token: owner.accessToken,
      body: { name: 'storefront', scopes: ['read'] },
    })
    expect(created.res.status).toBe(201)
    expect(created.body.key).toMatch(/^vk_live_[A-Za-z0-9_-]{43}$/)
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true)

    const listed = await api<{ data: Record<string, unknown>[] }>('/v1/api-keys', { token: owner.accessToken })
    expect(listed.body.data).toHaveLength(1)
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, name: 'storefront', scopes: ['read'] })
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key)

    const client = createDatabase({ url: env.DATABASE_URL })
    const stored = await client.db.execute(sql`select key_hash from api_keys where id = ${created.body.id}`)
    await client.close()
    expect(stored.rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('authenticates with X-API-Key or Authorization: Bearer and sends RateLimit headers', async () => {
    const owner = await signUp()
    const { key } = await createKey(owner, ['read'])
    for (const call of [{ apiKey: key }, { token: key }]) {
      const { res, body } = await api('/v1/tenant', call)
      expect(res.status).toBe(200)
      expect(body).toMatchObject({ id: owner.tenant.id, plan: 'starter' })
      expect(res.headers.get('ratelimit-policy')).toBe('"minute";q=60;w=60, "day";q=10000;w=86400')
      expect(res.headers.get('ratelimit')).toMatch(/^"minute";r=\d+;t=\d+, "day";r=\d+;t=\d+$/)
    }
    const me = await api('/v1/auth/me', { token: owner.accessToken })
    expect(me.res.headers.get('ratelimit')).toBeNull()
  })

  it('answers a read key on an admin route with 403, and a member on an admin route too', async () => {
    const owner = await signUp()
    const { key } = await createKey(owner, ['read'])
    const byKey = await api('/v1/api-keys', { apiKey: key, body: { name: 'x', scopes: ['admin'] } })
    expect(byKey.res.status).toBe(403)
    expect(byKey.body).toMatchObject({ error: { code: 'forbidden', details: { required: 'admin' } } })
    const member = await addMember(owner, 'member')
    expect((await api('/v1/tenant', { token: member.accessToken, method: 'PATCH', body: { name: 'Renamed' } })).res.status).toBe(403)
    const viewer = await addMember(owner, 'viewer')
    expect((await api('/v1/tenant', { token: viewer.accessToken })).res.status).toBe(200)
  })

  it('rejects revoked, expired, unknown and malformed keys with 401', async () => {
    const owner = await signUp()
    const revoked = await createKey(owner, ['read'])
    expect((await api('/v1/tenant', { apiKey: revoked.key })).res.status).toBe(200)
    expect((await api(`/v1/api-keys/${revoked.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api('/v1/tenant', { apiKey: revoked.key })).res.status).toBe(401)
    expect((await api(`/v1/api-keys/${revoked.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)

    const expiring = await createKey(owner, ['read'], { expiresAt: new Date(Date.now() + 1500).toISOString() })
    expect((await api('/v1/tenant', { apiKey: expiring.key })).res.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1600))
    expect((await api('/v1/tenant', { apiKey: expiring.key })).res.status).toBe(401)

    for (const key of [`${revoked.key.slice(0, -2)}xx`, 'vk_live_', 'vk_live_short', 'nonsense']) {
      const { res, body } = await api('/v1/tenant', { apiKey: key })
      expect(res.status).toBe(401)
      expect(body).toMatchObject({ error: { code: 'unauthorized' } })
    }
  })

  it('validates key creation input', async () => {
    const owner = await signUp()
    for (const body of [{ name: '', scopes: ['read'] }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['root'] }, { name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' }]) {
      const { res } = await api('/v1/api-keys', { token: owner.accessToken, body })
      expect(res.status).toBe(400)
    }
  })
})

describe('rate limits and usage', () => {
  it('answers the 61st quick call of a starter key with 429, Retry-After and the plan', async () => {
    const owner = await signUp()
    const { key } = await createKey(owner, ['read'])
    const calls = await Promise.all(Array.from({ length: 61 }, () => api('/v1/tenant', { apiKey: key })))
    const statuses = calls.map((call) => call.res.status)
    const limitedCall = calls.find((call) => call.res.status === 429)
    const limited = limitedCall?.res
    const limitedBody = limitedCall?.body
    expect(statuses.filter((s) => s === 200)).toHaveLength(60)
    expect(statuses.filter((s) => s === 429)).toHaveLength(1)
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(limited?.headers.get('ratelimit')).toMatch(/^"minute";r=0;t=\d+, "day";r=9940;t=\d+$/)
    expect(limitedBody).toMatchObject({ error: { code: 'rate_limited', details: { plan: 'starter', limit: 60 } } })
  })

  it("caps a key's requests per UTC day from its plan, counted across a restart of its limiter", async () => {
    const owner = await signUp()
    const plan = await onOwnPlan(owner, 'Three a day', { requestsPerDay: 3 })
    const { id, key } = await createKey(owner, ['read'])
    const first = await api('/v1/tenant', { apiKey: key })
    expect(first.res.headers.get('ratelimit-policy')).toBe('"minute";q=600;w=60, "day";q=3;w=86400')
    expect(first.res.headers.get('ratelimit')).toMatch(/^"minute";r=599;t=\d+, "day";r=2;t=\d+$/)
    expect((await api('/v1/tenant', { apiKey: key })).res.status).toBe(200)

    // The count outlives the object: flushed to its storage, the object evicted, the third call is still the last one.
    const limiter = env.RATE_LIMITER.getByName(`key:${id}`)
    expect(await runDurableObjectAlarm(limiter)).toBe(true)
    await evictDurableObject(limiter)
    const third = await api('/v1/tenant', { apiKey: key })
    expect(third.res.status).toBe(200)
    expect(third.res.headers.get('ratelimit')).toMatch(/"day";r=0;t=\d+$/)

    const refused = await api<{ error: { code: string; message: string; details: Record<string, unknown> } }>('/v1/tenant', { apiKey: key })
    expect(refused.res.status).toBe(429)
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { plan, limit: 3, windowSeconds: 86_400 } })
    expect(refused.body.error.message).toContain('Daily limit of 3 requests')
    const retryAfter = Number(refused.res.headers.get('retry-after'))
    const midnight = new Date()
    midnight.setUTCHours(24, 0, 0, 0)
    expect(Math.abs(retryAfter - (midnight.getTime() - Date.now()) / 1000)).toBeLessThan(5)
    const usage = await api<{ plan: { requestsPerDay: number | null } }>('/v1/usage', { token: owner.accessToken })
    expect(usage.body.plan.requestsPerDay).toBe(3)
  })

  it('meters requests per day into Postgres in batches and keeps last_used_at', async () => {
    const owner = await signUp()
    const created = await createKey(owner, ['read'])
    for (let i = 0; i < 3; i++) expect((await api('/v1/tenant', { apiKey: created.key })).res.status).toBe(200)

    const before = await api<{ totals: Record<string, number> }>('/v1/usage', { token: owner.accessToken })
    expect(before.body.totals.api_requests).toBe(0)

    expect(await runDurableObjectAlarm(env.RATE_LIMITER.getByName(`key:${created.id}`))).toBe(true)
    const after = await api<{ totals: Record<string, number>; daily: unknown[]; plan: Record<string, unknown> }>('/v1/usage', { token: owner.accessToken })
    expect(after.res.status).toBe(200)
    expect(after.body.totals.api_requests).toBe(3)
    expect(after.body.plan).toMatchObject({ id: 'starter', requestsPerMinute: 60, monthlySearches: 1000 })
    const listed = await api<{ data: { id: string; lastUsedAt: string | null }[] }>('/v1/api-keys', { token: owner.accessToken })
    expect(listed.body.data.find((k) => k.id === created.id)?.lastUsedAt).not.toBeNull()
  })

  it('enforces monthly quotas per tenant and resource', async () => {
    const owner = await signUp()
    const limiter = env.RATE_LIMITER.getByName(`tenant:${owner.tenant.id}`)
    const first = await limiter.consumeQuota(owner.tenant.id, 'searches', 2)
    const second = await limiter.consumeQuota(owner.tenant.id, 'searches', 2)
    const third = await limiter.consumeQuota(owner.tenant.id, 'searches', 2)
    expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, false])
    expect(third).toMatchObject({ used: 2, remaining: 0, limit: 2 })
    expect(Date.parse(third.resetAt)).toBeGreaterThan(Date.now())
    const unlimited = await limiter.consumeQuota(owner.tenant.id, 'embeddings', null, 1000)
    expect(unlimited).toMatchObject({ allowed: true, limit: null, remaining: null, used: 1000 })
  })

  it('rejects a bad date range with 400', async () => {
    const owner = await signUp()
    expect((await api('/v1/usage?from=2026-02-01&to=2026-01-01', { token: owner.accessToken })).res.status).toBe(400)
    expect((await api('/v1/usage?from=yesterday', { token: owner.accessToken })).res.status).toBe(400)
  })
})
