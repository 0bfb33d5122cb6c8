// The cross-tenant matrix for the catalog: tenant A's credentials on tenant B's categories, attributes, products and
// variants answer 404 and change nothing; A's lists never show B's rows.
import { describe, expect, it } from 'vitest'
import { api, createKey, signUp, unique } from './helpers'

describe('catalog tenant isolation', () => {
  it("answers 404 for B's catalog with A's credentials", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const category = await api<{ id: string }>('/v1/categories', { token: b.accessToken, body: { name: 'B only' } })
    const attribute = await api<{ id: string }>('/v1/attributes', { token: b.accessToken, body: { key: 'secret', label: 'Secret', type: 'text' } })
    const product = await api<{ id: string; slug: string; variants: { id: string }[] }>('/v1/products', {
      token: b.accessToken,
      body: { name: unique('B product'), variants: [{ sku: unique('B-SKU'), price: 1, currency: 'USD' }] },
    })
    const variantId = product.body.variants[0]?.id
    const attempts: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: `/v1/categories/${category.body.id}` },
      { method: 'PATCH', path: `/v1/categories/${category.body.id}`, body: { name: 'x' } },
      { method: 'DELETE', path: `/v1/categories/${category.body.id}` },
      { method: 'PATCH', path: `/v1/attributes/${attribute.body.id}`, body: { label: 'x' } },
      { method: 'DELETE', path: `/v1/attributes/${attribute.body.id}` },
      { method: 'GET', path: `/v1/products/${product.body.id}` },
      { method: 'GET', path: `/v1/products/${product.body.slug}` },
      { method: 'PATCH', path: `/v1/products/${product.body.id}`, body: { name: 'x' } },
      { method: 'DELETE', path: `/v1/products/${product.body.id}` },
      { method: 'POST', path: '/v1/products/bulk', body: { action: 'archive', ids: [product.body.id] } },
      { method: 'POST', path: '/v1/products/bulk', body: { action: 'delete', ids: [product.body.id] } },
      { method: 'GET', path: `/v1/products/${product.body.id}/variants` },
      { method: 'POST', path: `/v1/products/${product.body.id}/variants`, body: { sku: unique('A'), price: 1, currency: 'USD' } },
      { method: 'PATCH', path: `/v1/products/${product.body.id}/variants/${variantId}`, body: { price: 2 } },
      { method: 'DELETE', path: `/v1/products/${product.body.id}/variants/${variantId}` },
    ]
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }]) {
      for (const attempt of attempts) {
        const { res } = await api(attempt.path, { method: attempt.method, ...credential, ...(attempt.body ? { body: attempt.body } : {}) })
        expect({ route: `${attempt.method} ${attempt.path}`, status: res.status }).toEqual({ route: `${attempt.method} ${attempt.path}`, status: 404 })
      }
    }
    const intoB = await api('/v1/products', { token: a.accessToken, body: { name: 'x', categoryId: category.body.id } })
    expect(intoB.res.status).toBe(400)

    const still = await api<{ name: string; variants: unknown[] }>(`/v1/products/${product.body.id}`, { token: b.accessToken })
    expect(still.res.status).toBe(200)
    expect(still.body.variants).toHaveLength(1)
    for (const path of ['/v1/products', '/v1/categories', '/v1/attributes']) {
      const { body } = await api(path, { token: a.accessToken })
      expect(JSON.stringify(body)).not.toContain(product.body.id)
      expect(JSON.stringify(body)).not.toContain(category.body.id)
      expect(JSON.stringify(body)).not.toContain(attribute.body.id)
    }
  })
})
