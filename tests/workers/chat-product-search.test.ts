// The assistant's search_products against the real CLIP service (tiny model) and Postgres: CLIP text matches fused with
// full-text ones over active products only, and full-text alone when the CLIP service cannot be reached.
import { env } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchProductIds } from '../../workers/catalog/product-search'
import { fuseRankings, searchProductsForChat } from '../../workers/chat/product-search'
import { runTool } from '../../workers/chat/tools'
import { ASSISTANT_TOOLS } from '../../workers/chat/settings'
import { createDatabase } from '../../workers/db/client'
import { api } from './helpers'
import { buildSearchCatalog, type SearchCatalog } from './search-fixtures'

let shop: SearchCatalog
let client: ReturnType<typeof createDatabase>
let redName = ''
/** The Worker's bindings with a CLIP service nobody listens on. */
const withoutClip = { ...env, CLIP_URL: 'http://127.0.0.1:9' } as Env

beforeAll(async () => {
  shop = await buildSearchCatalog()
  client = createDatabase({ url: env.DATABASE_URL })
  const red = await api<{ name: string }>(`/v1/products/${shop.products.red[0]?.id}`, { token: shop.owner.accessToken })
  redName = red.body.name
}, 60_000)
afterAll(() => client?.close())

const active = () => new Set([...shop.products.red, ...shop.products.blue, ...shop.products.green].map((p) => p.id))

describe('search_products', () => {
  it('fuses rankings so that a product both lists found ranks first', () => {
    expect(fuseRankings([['a', 'b'], ['b', 'c']], 3)).toEqual(['b', 'a', 'c'])
    expect(fuseRankings([[], ['c']], 3)).toEqual(['c'])
  })

  it('finds products by CLIP text embedding when full-text finds nothing, active products only', async () => {
    // Without CLIP first: a vector the CLIP call caches would otherwise answer the same text without the service.
    const fullTextOnly = await searchProductsForChat(withoutClip, client.db, shop.owner.tenant.id, { query: 'zzqx crimson velvet' }, 10, -1)
    expect(fullTextOnly).toEqual([])
    const ids = await searchProductsForChat(env, client.db, shop.owner.tenant.id, { query: 'zzqx crimson velvet' }, 10, -1)
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.every((id) => active().has(id))).toBe(true)
    expect(ids).not.toContain(shop.products.draftRed.id)
  })

  it('answers product cards by name with CLIP and without it, and never another tenant\'s products', async () => {
    const ctx = { env, tenantId: shop.owner.tenant.id, cartId: null, db: () => client.db }
    const alone = await runTool('search_products', { query: redName }, { ...ctx, env: withoutClip }, ASSISTANT_TOOLS)
    const part = alone.parts[0]
    const fullText = await searchProductIds(client.db, shop.owner.tenant.id, { limit: 10, status: 'active', q: redName, attributes: [], sort: 'relevance' })
    expect(part?.type === 'products' ? part.products.map((p) => p.id) : []).toEqual(fullText.ids.slice(0, 5))
    expect(fullText.ids[0]).toBe(shop.products.red[0]?.id)
    const withClip = await runTool('search_products', { query: redName }, ctx, ASSISTANT_TOOLS)
    const first = withClip.parts[0]
    const cards = first?.type === 'products' ? first.products.map((p) => p.id) : []
    expect(cards).toContain(shop.products.red[0]?.id)
    expect(cards.every((id) => active().has(id))).toBe(true)
    const other = await buildSearchCatalog()
    const theirs = await runTool('search_products', { query: redName }, { ...ctx, tenantId: other.owner.tenant.id }, ASSISTANT_TOOLS)
    const found = theirs.parts[0]
    expect(found?.type === 'products' ? found.products.map((p) => p.id) : []).not.toContain(shop.products.red[0]?.id)
  }, 60_000)
})
