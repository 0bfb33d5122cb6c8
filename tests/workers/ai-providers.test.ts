// AI providers CRUD: admins only, a new provider goes last, credentials encrypted and never returned, the baseUrl
// guard, reordering, the test call, forcing the breaker, and no tenant ever sees another's providers.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { addMember, api, createKey, signUp } from './helpers'
import { addProvider, fakeProvider } from './ai-helpers'

describe('AI providers', () => {
  it('creates providers in order, encrypts the key at rest and shows only its last four characters', async () => {
    const owner = await signUp()
    const a = await fakeProvider([{ kind: 'ok' }])
    const first = await addProvider(owner, { baseUrl: a.baseUrl, apiKey: 'sk-secret-value-1234' })
    const second = await addProvider(owner, { baseUrl: a.baseUrl })
    expect(first).toMatchObject({ position: 0, apiKeyLast4: '1234', kind: 'openai-compatible' })
    expect(second).toMatchObject({ position: 1 })
    expect(JSON.stringify(first)).not.toContain('sk-secret-value')

    const { res, body } = await api<{ items: { id: string; health: { state: string } }[] }>('/v1/ai/providers', { token: owner.accessToken })
    expect(res.status).toBe(200)
    expect(body.items.map((p) => p.id)).toEqual([first.id, second.id])
    expect(body.items[0]?.health.state).toBe('closed')
    expect(JSON.stringify(body)).not.toContain('sk-secret-value')

    const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
    try {
      const rows = await client.db.execute(sql`select api_key_ciphertext from ai_providers where id = ${first.id}`)
      const stored = String((rows.rows[0] as { api_key_ciphertext: string }).api_key_ciphertext)
      expect(stored).toMatch(/^v1\./)
      expect(stored).not.toContain('sk-secret-value')
    } finally {
      await client.close()
    }
  })

  it('rotates a key, reorders, tests and deletes', async () => {
    const owner = await signUp()
    const a = await fakeProvider([{ kind: 'ok' }])
    const b = await fakeProvider([{ kind: 'error500' }])
    const p1 = await addProvider(owner, { baseUrl: a.baseUrl })
    const p2 = await addProvider(owner, { baseUrl: b.baseUrl })

    const rotated = await api<{ apiKeyLast4: string }>(`/v1/ai/providers/${p1.id}`, { method: 'PATCH', token: owner.accessToken, body: { apiKey: 'sk-new-key-9876' } })
    expect(rotated.res.status).toBe(200)
    expect(rotated.body.apiKeyLast4).toBe('9876')

    const order = await api<{ items: { id: string; position: number }[] }>('/v1/ai/providers/order', { method: 'PUT', token: owner.accessToken, body: { ids: [p2.id, p1.id] } })
    expect(order.res.status).toBe(200)
    expect(order.body.items.map((p) => p.id)).toEqual([p2.id, p1.id])
    const partial = await api<{ error: { code: string } }>('/v1/ai/providers/order', { method: 'PUT', token: owner.accessToken, body: { ids: [p2.id] } })
    expect(partial.res.status).toBe(400)

    const ok = await api<{ ok: boolean; latencyMs: number }>(`/v1/ai/providers/${p1.id}/test`, { method: 'POST', token: owner.accessToken })
    expect(ok.body.ok).toBe(true)
    const failing = await api<{ ok: boolean; status: number; error: string }>(`/v1/ai/providers/${p2.id}/test`, { method: 'POST', token: owner.accessToken })
    expect(failing.body).toMatchObject({ ok: false, status: 500 })

    const forced = await api<{ health: { state: string; forced: string } }>(`/v1/ai/providers/${p1.id}/breaker`, { method: 'PUT', token: owner.accessToken, body: { state: 'open' } })
    expect(forced.body.health).toMatchObject({ state: 'open', forced: 'open' })

    expect((await api(`/v1/ai/providers/${p2.id}`, { method: 'DELETE', token: owner.accessToken })).res.status).toBe(204)
    expect((await api(`/v1/ai/providers/${p2.id}`, { method: 'DELETE', token: owner.accessToken })).res.status).toBe(404)
  })

  it('refuses private, metadata and non-http base URLs; loopback only because this is development', async () => {
    const owner = await signUp()
    for (const baseUrl of ['http://169.254.169.254/v1', 'http://10.0.0.5/v1', 'http://[fd00:ec2::254]/v1', 'ftp://example.com/v1', 'not a url']) {
      const { res, body } = await api<{ error: { code: string; details: { path: string }[] } }>('/v1/ai/providers', {
        token: owner.accessToken,
        body: { kind: 'openai-compatible', name: 'x', model: 'm', baseUrl },
      })
      expect(res.status, baseUrl).toBe(400)
      expect(body.error.details[0]?.path).toBe('baseUrl')
    }
    const workersAi = await api('/v1/ai/providers', { token: owner.accessToken, body: { kind: 'workers-ai', name: 'x', model: 'm' } })
    expect(workersAi.res.status).toBe(400)
    const badTimeout = await api('/v1/ai/providers', { token: owner.accessToken, body: { kind: 'openai-compatible', name: 'x', model: 'm', firstTokenTimeoutMs: 5 } })
    expect(badTimeout.res.status).toBe(400)
  })

  it('is for admins only', async () => {
    const owner = await signUp()
    const member = await addMember(owner, 'member')
    const reader = await createKey(owner, ['read', 'write'])
    expect((await api('/v1/ai/providers', { token: member.accessToken })).res.status).toBe(403)
    expect((await api('/v1/ai/providers', { apiKey: reader.key })).res.status).toBe(403)
    expect((await api('/v1/ai/providers')).res.status).toBe(401)
  })

  it('never shows, changes or tests another tenant\'s providers', async () => {
    const alice = await signUp()
    const bob = await signUp()
    const a = await fakeProvider([{ kind: 'ok' }])
    const hers = await addProvider(alice, { baseUrl: a.baseUrl })
    const list = await api<{ items: unknown[] }>('/v1/ai/providers', { token: bob.accessToken })
    expect(list.body.items).toEqual([])
    expect((await api(`/v1/ai/providers/${hers.id}`, { method: 'PATCH', token: bob.accessToken, body: { name: 'mine' } })).res.status).toBe(404)
    expect((await api(`/v1/ai/providers/${hers.id}/test`, { method: 'POST', token: bob.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/ai/providers/${hers.id}/breaker`, { method: 'PUT', token: bob.accessToken, body: { state: 'open' } })).res.status).toBe(404)
    expect((await api('/v1/ai/providers/order', { method: 'PUT', token: bob.accessToken, body: { ids: [hers.id] } })).res.status).toBe(400)
    expect((await api(`/v1/ai/providers/${hers.id}`, { method: 'DELETE', token: bob.accessToken })).res.status).toBe(404)
    const still = await api<{ items: { id: string; name: string }[] }>('/v1/ai/providers', { token: alice.accessToken })
    expect(still.body.items.map((p) => p.id)).toEqual([hers.id])
  })
})
