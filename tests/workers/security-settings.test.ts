// Issue 13, finding 9: tenant settings grew past their 16 KB cap through several PATCHes, each under the cap on its own.
// The cap now holds for the merged settings, counted in UTF-8 bytes, also under concurrent PATCHes.
import { describe, expect, it } from 'vitest'
import { api, signUp } from './helpers'

const KB = 1024
const settingsSize = (settings: unknown) => new TextEncoder().encode(JSON.stringify(settings)).byteLength

describe('tenant settings cap', () => {
  it('refuses a PATCH whose merged settings exceed 16 KB and keeps what was stored', async () => {
    const owner = await signUp()
    const patch = (settings: Record<string, unknown>) => api<{ settings: Record<string, unknown>; error?: { code: string; message: string } }>('/v1/tenant', { method: 'PATCH', token: owner.accessToken, body: { settings } })
    expect((await patch({ a: 'x'.repeat(10 * KB) })).res.status).toBe(200)
    const second = await patch({ b: 'y'.repeat(10 * KB) })
    expect(second.res.status).toBe(400)
    expect(second.body.error?.code).toBe('invalid_request')
    expect(second.body.error?.message).toContain(String(16 * KB))
    const replaced = await patch({ a: 'z'.repeat(12 * KB) })
    expect(replaced.res.status).toBe(200)
    const stored = await api<{ settings: Record<string, unknown> }>('/v1/tenant', { token: owner.accessToken })
    expect(Object.keys(stored.body.settings)).toEqual(['a'])
    expect(settingsSize(stored.body.settings)).toBeLessThanOrEqual(16 * KB)
  })

  it('counts bytes, not characters', async () => {
    const owner = await signUp()
    const { res } = await api('/v1/tenant', { method: 'PATCH', token: owner.accessToken, body: { settings: { note: 'ñ'.repeat(9 * KB) } } })
    expect(res.status).toBe(400)
  })

  it('holds under concurrent PATCHes', async () => {
    const owner = await signUp()
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((key) => api('/v1/tenant', { method: 'PATCH', token: owner.accessToken, body: { settings: { [key]: key.repeat(6 * KB) } } })),
    )
    expect(results.map((r) => r.res.status).sort()).toEqual([200, 200, 400, 400])
    const stored = await api<{ settings: Record<string, unknown> }>('/v1/tenant', { token: owner.accessToken })
    expect(settingsSize(stored.body.settings)).toBeLessThanOrEqual(16 * KB)
  })
})
