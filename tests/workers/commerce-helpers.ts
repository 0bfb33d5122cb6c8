// Shared setup for the storefront, cart and order tests: a shop with a publishable key and stocked, priced variants.
import { expect } from 'vitest'
import { api, createKey, signUp, unique, type Account } from './helpers'

/** A shop: its owner, a write server key and a publishable key. */
export interface Shop {
  owner: Account
  serverKey: string
  publishableKey: string
}

/** Signs up a shop (optionally with settings merged into the tenant) and creates its keys. */
export async function openShop(settings: Record<string, unknown> = {}): Promise<Shop> {
  const owner = await signUp()
  if (Object.keys(settings).length > 0) {
    const patched = await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings } })
    expect(patched.res.status).toBe(200)
  }
  const server = await createKey(owner, ['write'])
  const pub = await api<{ key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'storefront', type: 'publishable' } })
  expect(pub.res.status).toBe(201)
  return { owner, serverKey: server.key, publishableKey: pub.body.key }
}

/** Creates a product with one variant of `sku` at `price` and `onHand` units at each given location. */
export async function stockedVariant(
  shop: Shop,
  options: { price?: number; currency?: string; stock?: Record<string, number>; status?: string; cost?: number } = {},
): Promise<{ sku: string; productId: string; variantId: string }> {
  const sku = unique('SKU')
  const { res, body } = await api<{ id: string; variants: { id: string }[] }>('/v1/products', {
    token: shop.owner.accessToken,
    body: {
      name: unique('Watch'),
      status: options.status ?? 'active',
      variants: [{ sku, price: options.price ?? 1000, currency: options.currency ?? 'EUR', cost: options.cost ?? 400, options: { color: 'black' } }],
    },
  })
  if (res.status !== 201) throw new Error(`product not created: ${res.status} ${JSON.stringify(body)}`)
  for (const [location, onHand] of Object.entries(options.stock ?? { main: 10 })) {
    if (location !== 'main') {
      const reg = await api('/v1/inventory/skus', { token: shop.owner.accessToken, body: { skus: [{ sku, location }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
      expect(reg.res.status).toBe(200)
    }
    if (onHand === 0) continue
    const adjusted = await api('/v1/inventory/adjust', {
      token: shop.owner.accessToken,
      body: { lines: [{ sku, location, delta: onHand }] },
      headers: { 'idempotency-key': crypto.randomUUID() },
    })
    expect(adjusted.res.status).toBe(200)
  }
  const variantId = body.variants[0]?.id
  if (!variantId) throw new Error('no variant')
  return { sku, productId: body.id, variantId }
}

/** The level of `sku` at `location`. */
export async function levelOf(shop: Shop, sku: string, location = 'main'): Promise<{ onHand: number; reserved: number; available: number }> {
  const { body } = await api<{ data: { location: string; onHand: number; reserved: number; available: number }[] }>(`/v1/inventory?sku=${encodeURIComponent(sku)}`, {
    token: shop.owner.accessToken,
  })
  const level = body.data.find((l) => l.location === location)
  if (!level) throw new Error(`no level for ${sku} at ${location}`)
  return level
}
