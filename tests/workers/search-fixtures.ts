// A searchable catalog for the search tests: categories of distinct solid colours, products with uploaded images,
// vectors written from the real CLIP service (as the indexing job would) and centroids recomputed.
import { env, SELF } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { expect } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { recomputeCentroids } from '../../workers/search/centroids'
import { pngImage } from '../helpers/image-fixtures'
import { api, BASE, createKey, signUp, unique, type Account } from './helpers'

export type Rgb = [number, number, number]

/** Shades per category: close within a category, far apart across them (cosine ≈ 0.999 vs ≈ 0.4 on the tiny model). */
export const SHADES = {
  red: [[220, 30, 30], [200, 45, 40], [210, 20, 50]] as Rgb[],
  blue: [[30, 30, 220], [45, 55, 200], [20, 40, 210]] as Rgb[],
  green: [[30, 200, 30], [50, 180, 45], [40, 210, 60]] as Rgb[],
}

/** A PNG of one colour, the query and product images of the tests. */
export const swatch = (rgb: Rgb) => pngImage(24, 24, rgb)

/** One product of the catalog and its image. */
export interface CatalogProduct {
  id: string
  imageId: string
  rgb: Rgb
}

/** A tenant with three colour categories (red has a child, "Dark red"), two active products each and a draft red one. */
export interface SearchCatalog {
  owner: Account
  readKey: string
  categories: { red: string; darkRed: string; blue: string; green: string }
  products: { red: CatalogProduct[]; blue: CatalogProduct[]; green: CatalogProduct[]; draftRed: CatalogProduct }
}

async function createCategory(owner: Account, name: string, parentId?: string): Promise<string> {
  const { res, body } = await api<{ id: string }>('/v1/categories', { token: owner.accessToken, body: { name, ...(parentId ? { parentId } : {}) } })
  expect(res.status).toBe(201)
  return body.id
}

async function embed(bytes: Uint8Array): Promise<number[]> {
  const res = await fetch(new URL('/embed/image', env.CLIP_URL), { method: 'POST', headers: { 'content-type': 'image/png', 'x-internal-token': env.INTERNAL_TOKEN }, body: bytes })
  expect(res.status).toBe(200)
  const body: { embeddings: number[][] } = await res.json()
  return body.embeddings[0] ?? []
}

async function addProduct(owner: Account, categoryId: string, rgb: Rgb, status = 'active', price = 1000): Promise<CatalogProduct> {
  const created = await api<{ id: string }>('/v1/products', {
    token: owner.accessToken,
    body: { name: unique('Swatch'), status, categoryId, variants: [{ sku: unique('SKU'), price, currency: 'USD' }] },
  })
  expect(created.res.status).toBe(201)
  const form = new FormData()
  form.append('file', new File([swatch(rgb)], 'swatch.png', { type: 'image/png' }))
  const res = await SELF.fetch(`${BASE}/v1/products/${created.body.id}/images`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: form })
  expect(res.status).toBe(201)
  const uploaded: { data: { id: string }[] } = await res.json()
  const imageId = uploaded.data[0]?.id ?? ''
  const vector = await embed(swatch(rgb))
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    await client.db.execute(sql`update product_images set embedding = ${`[${vector.join(',')}]`}::vector, status = 'ready' where id = ${imageId}`)
  } finally {
    await client.close()
  }
  return { id: created.body.id, imageId, rgb }
}

/** Recomputes the centroids of every category of the tenant, as the indexing job does after each image. */
export async function recomputeAll(tenantId: string, categoryIds: string[]): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    for (const id of categoryIds) await recomputeCentroids(client.db, tenantId, id)
  } finally {
    await client.close()
  }
}

/** Builds the catalog through the API, writes the vectors and centroids, and creates a read-only key. */
export async function buildSearchCatalog(): Promise<SearchCatalog> {
  const owner = await signUp()
  const red = await createCategory(owner, 'Red')
  const darkRed = await createCategory(owner, 'Dark red', red)
  const blue = await createCategory(owner, 'Blue')
  const green = await createCategory(owner, 'Green')
  const [r0, r1, r2] = SHADES.red as [Rgb, Rgb, Rgb]
  const [b0, b1] = SHADES.blue as [Rgb, Rgb]
  const [g0, g1] = SHADES.green as [Rgb, Rgb]
  const products = {
    red: [await addProduct(owner, red, r0, 'active', 1000), await addProduct(owner, darkRed, r1, 'active', 5000)],
    blue: [await addProduct(owner, blue, b0), await addProduct(owner, blue, b1)],
    green: [await addProduct(owner, green, g0), await addProduct(owner, green, g1)],
    draftRed: await addProduct(owner, red, r2, 'draft'),
  }
  await recomputeAll(owner.tenant.id, [darkRed, blue, green])
  const key = await createKey(owner, ['read'])
  return { owner, readKey: key.key, categories: { red, darkRed, blue, green }, products }
}

/** Search response as the tests read it. */
export interface SearchAnswer {
  results: { product: { id: string; status: string; categoryId: string | null; price: { min: number; max: number; currency: string } | null }; image: { id: string; url: string; thumbnails: { small: string; large: string } }; score: number }[]
  category: { id: string; name: string; score: number; margin: number } | null
  tookMs: number
}

/** POSTs raw image bytes to the image search with `query` options. */
export async function searchByImage(apiKey: string, bytes: Uint8Array, query = ''): Promise<{ res: Response; body: SearchAnswer }> {
  const res = await SELF.fetch(`${BASE}/v1/search/image${query ? `?${query}` : ''}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'image/png' }, body: bytes })
  return { res, body: (await res.json()) as SearchAnswer }
}
