// Publishable keys: created without scopes, storefront view of the catalog, refused on admin routes, CORS per tenant origin.
import { describe, expect, it } from 'vitest'
import { api, unique } from './helpers'
import { openShop, stockedVariant } from './commerce-helpers'

type Product = { id: string; status: string; variants: { sku: string; cost: number | null; active: boolean }[] }

describe('publishable keys', () => {
  it('are vk_pub_ keys with the fixed storefront scope; secret keys still need scopes', async () => {
    const shop = await openShop()
    expect(shop.publishableKey).toMatch(/^vk_pub_[A-Za-z0-9_-]{43}$/)
    const listed = await api<{ data: { type: string; scopes: string[] }[] }>('/v1/api-keys', { token: shop.owner.accessToken })
    expect(listed.body.data.map((k) => [k.type, k.scopes])).toContainEqual(['publishable', ['storefront']])
    const withScopes = await api('/v1/api-keys', { token: shop.owner.accessToken, body: { name: 'x', type: 'publishable', scopes: ['read'] } })
    expect(withScopes.res.status).toBe(400)
    const noScopes = await api('/v1/api-keys', { token: shop.owner.accessToken, body: { name: 'x' } })
    expect(noScopes.res.status).toBe(400)
  })

  it('see only active products, without cost, and are refused on admin routes with 403', async () => {
    const shop = await openShop()
    const active = await stockedVariant(shop)
    const draft = await stockedVariant(shop, { status: 'draft' })
    const list = await api<{ data: Product[] }>('/v1/products', { apiKey: shop.publishableKey })
    expect(list.res.status).toBe(200)
    expect(list.body.data.map((p) => p.id)).toEqual([active.productId])
    expect(list.body.data[0]?.variants[0]?.cost).toBeNull()
    const asDraft = await api<{ data: Product[] }>('/v1/products?status=draft', { apiKey: shop.publishableKey })
    expect(asDraft.body.data.map((p) => p.id)).toEqual([active.productId])
    expect((await api(`/v1/products/${draft.productId}`, { apiKey: shop.publishableKey })).res.status).toBe(404)
    const one = await api<Product>(`/v1/products/${active.productId}`, { apiKey: shop.publishableKey })
    expect(one.body.variants[0]?.cost).toBeNull()
    const admin = await api<Product>(`/v1/products/${active.productId}`, { token: shop.owner.accessToken })
    expect(admin.body.variants[0]?.cost).toBe(400)
    for (const [path, method, body] of [
      ['/v1/tenant', 'GET', undefined],
      ['/v1/api-keys', 'GET', undefined],
      ['/v1/inventory', 'GET', undefined],
      ['/v1/products', 'POST', { name: unique('p') }],
      ['/v1/inventory/adjust', 'POST', { lines: [{ sku: active.sku, delta: 5 }] }],
      ['/v1/audit-log', 'GET', undefined],
    ] as const) {
      const res = await api(path, { apiKey: shop.publishableKey, method, ...(body ? { body } : {}), headers: { 'idempotency-key': crypto.randomUUID() } })
      expect(res.res.status, `${method} ${path}`).toBe(403)
    }
  })

  it('answer storefront preflights, and only from the tenant\'s origins', async () => {
    const shop = await openShop({ storefrontOrigins: ['https://shop.example'] })
    const preflight = await api('/v1/carts', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } })
    expect(preflight.res.status).toBe(204)
    expect(preflight.res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(preflight.res.headers.get('access-control-allow-headers')).toContain('X-Cart-Secret')
    const allowed = await api('/v1/products', { apiKey: shop.publishableKey, headers: { origin: 'https://shop.example' } })
    expect(allowed.res.status).toBe(200)
    expect(allowed.res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    const refused = await api<{ error: { code: string } }>('/v1/products', { apiKey: shop.publishableKey, headers: { origin: 'https://evil.example' } })
    expect(refused.res.status).toBe(403)
    expect(refused.res.headers.get('access-control-allow-origin')).toBeNull()
    const adminPreflight = await api('/v1/tenant', { method: 'OPTIONS', headers: { origin: 'https://shop.example' } })
    expect(adminPreflight.res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
