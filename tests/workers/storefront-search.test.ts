// Publishable keys on search and availability: active products only, no cost or admin fields, drafts invisible,
// refused on every write and admin route, another tenant's data a 404 (or unknown), CORS preflights answered.
import { beforeAll, describe, expect, it } from 'vitest'
import { openShop, stockedVariant, type Shop } from './commerce-helpers'
import { api } from './helpers'
import { buildSearchCatalog, searchByImage, SHADES, swatch, type SearchAnswer, type SearchCatalog } from './search-fixtures'

let catalog: SearchCatalog
let other: SearchCatalog
let publishable: string
let otherPublishable: string

async function publishableKeyOf(owner: SearchCatalog['owner']): Promise<string> {
  const { res, body } = await api<{ key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'storefront', type: 'publishable' } })
  expect(res.status).toBe(201)
  return body.key
}

beforeAll(async () => {
  catalog = await buildSearchCatalog()
  other = await buildSearchCatalog()
  publishable = await publishableKeyOf(catalog.owner)
  otherPublishable = await publishableKeyOf(other.owner)
})

const [red0, , red2] = SHADES.red
if (!red0 || !red2) throw new Error('shades missing')
const SUMMARY_FIELDS = ['categoryId', 'id', 'name', 'price', 'slug', 'status']

describe('storefront search', () => {
  it('finds active products by image and text, with the summary fields only, counted by the key’s rate limit', async () => {
    const { res, body } = await searchByImage(publishable, swatch(red0))
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit')).toMatch(/^"minute";r=\d+;t=\d+, "day";r=\d+;t=\d+$/)
    expect(body.results[0]?.product.id).toBe(catalog.products.red[0]?.id)
    for (const result of body.results) {
      expect(Object.keys(result.product).sort()).toEqual(SUMMARY_FIELDS)
      expect(result.product.status).toBe('active')
    }
    const text = await api<SearchAnswer>('/v1/search/text?top_k=100', { apiKey: publishable, body: { query: 'red swatch' } })
    expect(text.res.status).toBe(200)
    expect(text.body.results.length).toBeGreaterThan(0)
    expect(text.body.results.every((r) => r.product.status === 'active')).toBe(true)
  })

  it('never shows a draft, even when include_inactive is asked for (query string or body)', async () => {
    const draftId = catalog.products.draftRed.id
    const asAdmin = await searchByImage(catalog.readKey, swatch(red2), 'include_inactive=true')
    expect(asAdmin.body.results[0]?.product.id).toBe(draftId)
    const asShop = await searchByImage(publishable, swatch(red2), 'include_inactive=true&top_k=100')
    expect(asShop.res.status).toBe(200)
    expect(asShop.body.results.map((r) => r.product.id)).not.toContain(draftId)
    const text = await api<SearchAnswer>('/v1/search/text', { apiKey: publishable, body: { query: 'red', include_inactive: true, top_k: 100 } })
    expect(text.body.results.map((r) => r.product.id)).not.toContain(draftId)
    const similar = await api<SearchAnswer>(`/v1/products/${catalog.products.red[0]?.id}/similar?include_inactive=true&top_k=100`, { apiKey: publishable })
    expect(similar.res.status).toBe(200)
    expect(similar.body.results.length).toBeGreaterThan(0)
    expect(similar.body.results.map((r) => r.product.id)).not.toContain(draftId)
    const ofDraft = await api<{ error: { code: string } }>(`/v1/products/${draftId}/similar`, { apiKey: publishable })
    expect(ofDraft.res.status).toBe(404)
    expect(ofDraft.body.error.code).toBe('not_found')
  })

  it('keeps tenants apart: another shop’s product is 404 and its products never appear', async () => {
    const theirs = new Set(Object.values(other.products).flat().map((p) => p.id))
    const { body } = await searchByImage(publishable, swatch(red0), 'top_k=100')
    expect(body.results.some((r) => theirs.has(r.product.id))).toBe(false)
    const similar = await api<{ error: { code: string } }>(`/v1/products/${other.products.red[0]?.id}/similar`, { apiKey: publishable })
    expect(similar.res.status).toBe(404)
    const back = await api<{ error: { code: string } }>(`/v1/products/${catalog.products.red[0]?.id}/similar`, { apiKey: otherPublishable })
    expect(back.res.status).toBe(404)
  })

  it('is refused on the search admin and seed routes (403)', async () => {
    const seed = await api('/api/search', { apiKey: publishable, method: 'POST' })
    expect(seed.res.status).toBe(403)
    const analytics = await api('/v1/analytics/searches', { apiKey: publishable })
    expect(analytics.res.status).toBe(403)
  })
})

describe('storefront availability', () => {
  let shop: Shop
  let onSale: { sku: string }
  let draft: { sku: string }
  beforeAll(async () => {
    shop = await openShop()
    onSale = await stockedVariant(shop, { stock: { main: 7 } })
    draft = await stockedVariant(shop, { status: 'draft', stock: { main: 3 } })
  })

  it('answers the available units of SKUs on sale, and nothing else', async () => {
    const { res, body } = await api<Record<string, unknown>>('/v1/inventory/bulk-check', { apiKey: shop.publishableKey, body: { skus: [onSale.sku] } })
    expect(res.status).toBe(200)
    expect(body).toEqual({ available: { [onSale.sku]: 7 } })
  })

  it('treats a draft’s SKU and an unknown one alike, as unregistered (400 unknown_sku)', async () => {
    const asAdmin = await api('/v1/inventory/bulk-check', { token: shop.owner.accessToken, body: { skus: [draft.sku] } })
    expect(asAdmin.res.status).toBe(200)
    const hidden = await api<{ error: { code: string; details: { skus: string[] } } }>('/v1/inventory/bulk-check', {
      apiKey: shop.publishableKey,
      body: { skus: [onSale.sku, draft.sku, 'NO-SUCH-SKU'] },
    })
    expect(hidden.res.status).toBe(400)
    expect(hidden.body.error.code).toBe('unknown_sku')
    expect(hidden.body.error.details.skus.sort()).toEqual([draft.sku, 'NO-SUCH-SKU'].sort())
  })

  it('keeps tenants apart: another shop’s SKU is unknown to this key', async () => {
    const theirs = await openShop()
    const theirSku = await stockedVariant(theirs)
    const res = await api<{ error: { code: string } }>('/v1/inventory/bulk-check', { apiKey: shop.publishableKey, body: { skus: [theirSku.sku] } })
    expect(res.res.status).toBe(400)
    expect(res.body.error.code).toBe('unknown_sku')
  })

  it('is refused (403) on every other stock route, read or write', async () => {
    const idempotent = { 'idempotency-key': crypto.randomUUID() }
    for (const [path, method, body] of [
      [`/v1/inventory?sku=${onSale.sku}`, 'GET', undefined],
      [`/v1/inventory/${onSale.sku}/ledger`, 'GET', undefined],
      ['/v1/inventory/alerts', 'GET', undefined],
      ['/v1/inventory/reduce', 'POST', { lines: [{ sku: onSale.sku, quantity: 1 }] }],
      ['/v1/inventory/set', 'POST', { lines: [{ sku: onSale.sku, onHand: 1 }] }],
      ['/v1/inventory/reservations', 'POST', { lines: [{ sku: onSale.sku, quantity: 1 }], ttlSeconds: 60 }],
      ['/v1/inventory/skus', 'POST', { skus: [{ sku: 'X' }] }],
      [`/v1/inventory/${onSale.sku}`, 'PATCH', { allowBackorder: true }],
      [`/api/external/inventory/check-stock?sku=${onSale.sku}`, 'GET', undefined],
      ['/api/external/inventory/reduce-stock', 'POST', { sku: onSale.sku, quantity: 1 }],
    ] as const) {
      const res = await api(path, { apiKey: shop.publishableKey, method, ...(body ? { body } : {}), headers: idempotent })
      expect(res.res.status, `${method} ${path}`).toBe(403)
    }
    const after = await api<{ available: Record<string, number> }>('/v1/inventory/bulk-check', { apiKey: shop.publishableKey, body: { skus: [onSale.sku] } })
    expect(after.body.available[onSale.sku]).toBe(7)
  })

  it('answers CORS preflights of the search and availability paths, and only the tenant’s origins get through', async () => {
    const withOrigins = await openShop({ storefrontOrigins: ['https://shop.example'] })
    const sku = await stockedVariant(withOrigins)
    for (const path of ['/v1/search/text', '/v1/search/image', '/v1/inventory/bulk-check']) {
      const preflight = await api(path, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } })
      expect(preflight.res.status, path).toBe(204)
      expect(preflight.res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    }
    const allowed = await api('/v1/inventory/bulk-check', { apiKey: withOrigins.publishableKey, body: { skus: [sku.sku] }, headers: { origin: 'https://shop.example' } })
    expect(allowed.res.status).toBe(200)
    expect(allowed.res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    const refused = await api('/v1/search/text', { apiKey: withOrigins.publishableKey, body: { query: 'red' }, headers: { origin: 'https://evil.example' } })
    expect(refused.res.status).toBe(403)
  })
})
