// Visual and text search through the Worker with the real CLIP service (tiny model): ranking, sensitivity, filters,
// tenant isolation, category detection, look-alikes, the query-embedding cache, the seed endpoint and analytics.
import { env, SELF } from 'cloudflare:test'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { api, BASE, createKey, signUp } from './helpers'
import { buildSearchCatalog, searchByImage, SHADES, swatch, type SearchAnswer, type SearchCatalog } from './search-fixtures'

let shop: SearchCatalog
let other: SearchCatalog
beforeAll(async () => {
  shop = await buildSearchCatalog()
  other = await buildSearchCatalog()
})
afterEach(() => vi.restoreAllMocks())

const [red0, , red2] = SHADES.red
const blue0 = SHADES.blue[0]
if (!red0 || !red2 || !blue0) throw new Error('shades missing')

/** Counts the Worker's calls to the CLIP service's embedding routes (the test isolate shares the Worker's fetch). */
function countEmbedCalls(): () => number {
  const spy = vi.spyOn(globalThis, 'fetch')
  return () => spy.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(`${env.CLIP_URL}/embed/`)).length
}

describe('image search', () => {
  it('finds the indexed image’s own product first with a score of at least 0.99, the same category next, the matching image returned', async () => {
    const { res, body } = await searchByImage(shop.readKey, swatch(red0))
    expect(res.status).toBe(200)
    const [first, second] = body.results
    expect(first?.product.id).toBe(shop.products.red[0]?.id)
    expect(first?.image.id).toBe(shop.products.red[0]?.imageId)
    expect(first?.score).toBeGreaterThanOrEqual(0.99)
    expect(first?.image.url).toBe(`/v1/media/t/${shop.owner.tenant.id}/images/${shop.products.red[0]?.imageId}/original`)
    expect(first?.image.thumbnails.small).toMatch(/thumb-300\.webp$/)
    expect(first?.product).toMatchObject({ status: 'active', categoryId: shop.categories.red, price: { min: 1000, max: 1000, currency: 'USD' } })
    expect(second?.product.id).toBe(shop.products.red[1]?.id)
    expect(body.results.map((r) => r.score)).toEqual([...body.results.map((r) => r.score)].sort((a, b) => b - a))
    expect(body.tookMs).toBeGreaterThanOrEqual(0)
  })

  it('groups by product, honours top_k and cuts results under min_score', async () => {
    const all = await searchByImage(shop.readKey, swatch(blue0))
    expect(all.body.results).toHaveLength(6)
    expect(new Set(all.body.results.map((r) => r.product.id)).size).toBe(6)
    expect((await searchByImage(shop.readKey, swatch(blue0), 'top_k=1')).body.results).toHaveLength(1)
    const sensitive = await searchByImage(shop.readKey, swatch(blue0), 'min_score=0.9')
    expect(sensitive.body.results.map((r) => r.product.id).sort()).toEqual(shop.products.blue.map((p) => p.id).sort())
    expect(sensitive.body.results.every((r) => r.score >= 0.9)).toBe(true)
  })

  it('never returns another tenant’s products, nor inactive ones unless asked', async () => {
    const ours = new Set(Object.values(shop.products).flat().map((p) => p.id))
    const { body } = await searchByImage(shop.readKey, swatch(red2), 'top_k=100')
    expect(body.results.length).toBeGreaterThan(0)
    expect(body.results.every((r) => ours.has(r.product.id) && r.product.status === 'active')).toBe(true)
    expect(body.results.map((r) => r.product.id)).not.toContain(shop.products.draftRed.id)
    const withDrafts = await searchByImage(shop.readKey, swatch(red2), 'include_inactive=true')
    expect(withDrafts.body.results[0]?.product.id).toBe(shop.products.draftRed.id)
    const theirs = await searchByImage(other.readKey, swatch(red0), 'top_k=100&include_inactive=true')
    expect(theirs.body.results.some((r) => ours.has(r.product.id))).toBe(false)
  })

  it('filters by category with its descendants, by price and by stock', async () => {
    const red = await searchByImage(shop.readKey, swatch(blue0), `category_id=${shop.categories.red}`)
    expect(red.body.results.map((r) => r.product.id).sort()).toEqual(shop.products.red.map((p) => p.id).sort())
    const pricey = await searchByImage(shop.readKey, swatch(red0), 'min_price=2000')
    expect(pricey.body.results.map((r) => r.product.id)).toEqual([shop.products.red[1]?.id])
    const stocked = await searchByImage(shop.readKey, swatch(red0), 'in_stock=true')
    expect(stocked.body.results).toEqual([])
  })

  it('detects the category whose images were used, with a margin, and restricts to it on request', async () => {
    const { body } = await searchByImage(shop.readKey, swatch(blue0))
    expect(body.category).toMatchObject({ id: shop.categories.blue, name: 'Blue' })
    expect(body.category?.score).toBeGreaterThan(0.9)
    expect(body.category?.margin).toBeGreaterThan(0.1)
    const restricted = await searchByImage(shop.readKey, swatch(blue0), 'detect_category=restrict')
    expect(restricted.body.results.map((r) => r.product.categoryId)).toEqual([shop.categories.blue, shop.categories.blue])
    expect((await searchByImage(shop.readKey, swatch(blue0), 'detect_category=off')).body.category).toBeNull()
  })

  it('accepts the image as multipart, base64 JSON (options in the body) and raw bytes alike', async () => {
    const form = new FormData()
    form.append('image', new File([swatch(red0)], 'query.png', { type: 'image/png' }))
    const multipart = await SELF.fetch(`${BASE}/v1/search/image?top_k=2`, { method: 'POST', headers: { 'x-api-key': shop.readKey }, body: form })
    const base64 = btoa(String.fromCharCode(...swatch(red0)))
    const json = await api<SearchAnswer>('/v1/search/image', { apiKey: shop.readKey, body: { imageBase64: `data:image/png;base64,${base64}`, top_k: 2 } })
    const viaForm = (await multipart.json()) as SearchAnswer
    expect(multipart.status).toBe(200)
    expect(json.res.status).toBe(200)
    expect(viaForm.results.map((r) => r.product.id)).toEqual([shop.products.red[0]?.id, shop.products.red[1]?.id])
    expect(json.body.results.map((r) => r.product.id)).toEqual(viaForm.results.map((r) => r.product.id))
  })

  it('serves a repeated image from the embedding cache without calling the CLIP service', async () => {
    const fresh = swatch([123, 77, 201])
    const calls = countEmbedCalls()
    expect((await searchByImage(shop.readKey, fresh)).res.status).toBe(200)
    expect(calls()).toBe(1)
    expect((await searchByImage(shop.readKey, fresh)).res.status).toBe(200)
    expect(calls()).toBe(1)
  })
})

describe('text search', () => {
  it('embeds the normalised text once and answers the same results again from the cache', async () => {
    const calls = countEmbedCalls()
    const first = await api<SearchAnswer>('/v1/search/text', { apiKey: shop.readKey, body: { query: 'Red leather strap' } })
    expect(first.res.status).toBe(200)
    expect(first.body.results.length).toBeGreaterThan(0)
    expect(first.body.results.every((r) => r.score >= -1 && r.score <= 1)).toBe(true)
    const again = await api<SearchAnswer>('/v1/search/text?top_k=3', { apiKey: shop.readKey, body: { query: '  red   LEATHER strap ' } })
    expect(again.body.results.map((r) => r.product.id)).toEqual(first.body.results.slice(0, 3).map((r) => r.product.id))
    expect(calls()).toBe(1)
  })
})

describe('similar products', () => {
  it('returns look-alikes from the stored vectors, without the product itself and without inference', async () => {
    const calls = countEmbedCalls()
    const { res, body } = await api<SearchAnswer>(`/v1/products/${shop.products.green[0]?.id}/similar?top_k=3`, { apiKey: shop.readKey })
    expect(res.status).toBe(200)
    expect(body.results[0]?.product.id).toBe(shop.products.green[1]?.id)
    expect(body.results.map((r) => r.product.id)).not.toContain(shop.products.green[0]?.id)
    expect(body.category?.id).toBe(shop.categories.green)
    expect(calls()).toBe(0)
  })

  it('answers 404 for another tenant’s product', async () => {
    const { res, body } = await api<{ error: { code: string } }>(`/v1/products/${other.products.green[0]?.id}/similar`, { apiKey: shop.readKey })
    expect(res.status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })
})

describe('seed-compatible POST /api/search', () => {
  it('takes a multipart image with X-API-Key and answers ranked products with similarity and the detected category', async () => {
    const form = new FormData()
    form.append('image', new File([swatch(blue0)], 'photo.png', { type: 'image/png' }))
    form.append('limit', '2')
    const res = await SELF.fetch(`${BASE}/api/search`, { method: 'POST', headers: { 'x-api-key': shop.readKey }, body: form })
    expect(res.status).toBe(200)
    const body: { success: boolean; detected_category: { name: string; confidence: number } | null; results: { product_id: string; similarity: number; image_url: string }[]; total_results: number } = await res.json()
    expect(body.success).toBe(true)
    expect(body.detected_category?.name).toBe('Blue')
    expect(body.total_results).toBe(2)
    expect(body.results[0]?.product_id).toBe(shop.products.blue[0]?.id)
    expect(body.results[0]?.similarity).toBeGreaterThanOrEqual(0.99)
  })
})

describe('search analytics', () => {
  type Analytics = { searches: number; zeroResultRate: number; latencyMs: { p50: number | null }; days: { searches: number; text: number; image: number }[]; topQueries: { query: string; searches: number; zeroResults: number }[] }

  it('reports per-day counts, top text queries, the zero-result rate and latency percentiles of the tenant only', async () => {
    const owner = await signUp()
    const key = await createKey(owner, ['read'])
    await api('/v1/search/text', { apiKey: key.key, body: { query: 'Blue Canvas' } })
    await api('/v1/search/text', { apiKey: key.key, body: { query: 'blue canvas' } })
    await api('/v1/search/text', { apiKey: key.key, body: { query: 'green' } })
    const empty = await api<Analytics>('/v1/analytics/searches', { apiKey: key.key })
    expect(empty.res.status).toBe(200)
    expect(empty.body).toMatchObject({ searches: 3, zeroResultRate: 1, topQueries: [{ query: 'blue canvas', searches: 2, zeroResults: 2 }, { query: 'green', searches: 1, zeroResults: 1 }] })
    expect(empty.body.days).toEqual([expect.objectContaining({ searches: 3, text: 3, image: 0 })])
    expect(empty.body.latencyMs.p50).not.toBeNull()

    const before = (await api<Analytics>('/v1/analytics/searches', { apiKey: shop.readKey })).body
    await searchByImage(shop.readKey, swatch(red0))
    await searchByImage(shop.readKey, swatch(red0), 'in_stock=true')
    const after = (await api<Analytics>('/v1/analytics/searches', { apiKey: shop.readKey })).body
    expect(after.searches - before.searches).toBe(2)
    expect(after.zeroResultRate * after.searches - before.zeroResultRate * before.searches).toBeCloseTo(1)
  })
})
