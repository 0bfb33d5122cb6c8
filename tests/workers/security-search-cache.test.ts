// Issue 13, finding 11: the query-embedding cache was shared across tenants and its hits showed in each tenant's
// analytics, so a tenant could learn what others search. The cache is now per tenant: another tenant's query never
// makes yours a hit (in analytics or in speed), while your own repeats still skip inference.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDatabase, queryRows } from '../../workers/db/client'
import { api, signUp, unique } from './helpers'

interface Analytics {
  searches: number
  cacheHitRate: number
}

/** Counts the Worker's calls to the CLIP service's text tower (the test isolate shares the Worker's fetch). */
function countTextEmbeds(): () => number {
  const spy = vi.spyOn(globalThis, 'fetch')
  return () => spy.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(`${env.CLIP_URL}/embed/text`)).length
}

afterEach(() => vi.restoreAllMocks())

describe('query-embedding cache', () => {
  it("keys by tenant: another tenant's search is no hit for you, your own repeat is", async () => {
    const a = await signUp()
    const b = await signUp()
    const secret = unique('secret launch sneaker')
    const search = (token: string) => api('/v1/search/text', { token, body: { query: secret } })
    const embeds = countTextEmbeds()

    expect((await search(a.accessToken)).res.status).toBe(200)
    expect(embeds()).toBe(1)
    expect((await search(b.accessToken)).res.status).toBe(200)
    expect(embeds()).toBe(2)
    const bAnalytics = await api<Analytics>('/v1/analytics/searches', { token: b.accessToken })
    expect(bAnalytics.body).toMatchObject({ searches: 1, cacheHitRate: 0 })

    expect((await search(b.accessToken)).res.status).toBe(200)
    expect(embeds()).toBe(2)
    const again = await api<Analytics>('/v1/analytics/searches', { token: b.accessToken })
    expect(again.body).toMatchObject({ searches: 2, cacheHitRate: 0.5 })
    const aAnalytics = await api<Analytics>('/v1/analytics/searches', { token: a.accessToken })
    expect(aAnalytics.body).toMatchObject({ searches: 1, cacheHitRate: 0 })

    const client = createDatabase({ url: env.DATABASE_URL })
    try {
      const rows = await queryRows<{ tenant_id: string }>(client.db, sql`select tenant_id from query_embeddings where key = ${`text:${secret.toLowerCase()}`}`)
      expect(rows.map((r) => r.tenant_id).sort()).toEqual([a.tenant.id, b.tenant.id].sort())
    } finally {
      await client.close()
    }
  }, 30_000)
})
