// Catalog-like vectors for bench:search: 200 category directions, products around them, five images per product,
// v = normalize(category + 0.6·product + 0.25·noise); queries are fresh noise on an existing product (ARCHITECTURE.md).
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../../workers/db/client'
import { vectorLiteral } from '../../workers/search/vector-query'
import { createRandom } from '../model/prng'

export const DIMS = 512
export const IMAGES_PER_PRODUCT = 5
export const CATEGORY_DIRECTIONS = 200
const PRODUCT_WEIGHT = 0.6
const NOISE_WEIGHT = 0.25
const INSERT_BATCH = 500

/** One generated product: where it lives and the two directions its images are made from. */
export interface BenchProduct {
  tenantIndex: number
  id: string
  categoryId: string
  category: Float32Array
  offset: Float32Array
}

/** The generated catalog: tenants (ids), per-tenant image counts and every product. */
export interface BenchCatalog {
  tenantIds: string[]
  imagesPerTenant: number[]
  products: BenchProduct[]
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function unitVector(random: () => number): Float32Array {
  const v = new Float32Array(DIMS)
  for (let i = 0; i < DIMS; i++) v[i] = gaussian(random)
  return normalize(v)
}

function normalize(v: Float32Array): Float32Array {
  let sum = 0
  for (const x of v) sum += x * x
  const n = Math.sqrt(sum)
  return v.map((x) => x / n)
}

/** An image (or query) vector of `product`: the category, the product's own offset and new noise. */
export function imageVector(product: BenchProduct, random: () => number): number[] {
  const noise = unitVector(random)
  const v = new Float32Array(DIMS)
  for (let i = 0; i < DIMS; i++) v[i] = (product.category[i] ?? 0) + PRODUCT_WEIGHT * (product.offset[i] ?? 0) + NOISE_WEIGHT * (noise[i] ?? 0)
  return [...normalize(v)].map((x) => Number(x.toFixed(6)))
}

/** Tenant sizes proportional to 1/rank (Zipf), summing to `products`. */
export function skewedSizes(tenants: number, products: number): number[] {
  const weights = Array.from({ length: tenants }, (_, i) => 1 / (i + 1))
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.map((w) => Math.max(1, Math.round((w / total) * products)))
}

/** Inserts tenants, their share of the category directions as categories, active products and ready images with vectors. */
export async function generateCatalog(db: Database, tenants: number, products: number, seed = 7): Promise<BenchCatalog> {
  const random = createRandom(seed)
  const directions = Array.from({ length: CATEGORY_DIRECTIONS }, () => unitVector(random))
  const perTenant = Math.floor(CATEGORY_DIRECTIONS / tenants)
  const catalog: BenchCatalog = { tenantIds: [], imagesPerTenant: [], products: [] }
  for (const [t, size] of skewedSizes(tenants, products).entries()) {
    const label = `bench-search-${t}-${Date.now().toString(36)}`
    const [tenant] = await queryRows<{ id: string }>(db, sql`insert into tenants (name, slug) values (${label}, ${label}) returning id`)
    if (!tenant) throw new Error('tenant not created')
    const categories = await queryRows<{ id: string }>(
      db,
      sql`insert into categories (tenant_id, name, slug, position) select ${tenant.id}, 'Category ' || n, 'category-' || n, n from generate_series(1, ${perTenant}) n returning id`,
    )
    const productRows = await queryRows<{ id: string; n: number }>(
      db,
      sql`insert into products (tenant_id, name, slug, status) select ${tenant.id}, 'Product ' || n, 'product-' || n, 'active' from generate_series(1, ${size}) n returning id, (regexp_replace(slug, '\\D', '', 'g'))::int as n`,
    )
    const tenantProducts = productRows.map((row): BenchProduct => {
      const c = row.n % categories.length
      return { tenantIndex: t, id: row.id, categoryId: categories[c]?.id ?? '', category: directions[t * perTenant + c] ?? unitVector(random), offset: unitVector(random) }
    })
    for (let c = 0; c < categories.length; c++) {
      await db.execute(sql`update products set category_id = ${categories[c]?.id ?? null} where tenant_id = ${tenant.id} and (regexp_replace(slug, '\\D', '', 'g'))::int % ${categories.length} = ${c}`)
    }
    for (let start = 0; start < tenantProducts.length; start += INSERT_BATCH / IMAGES_PER_PRODUCT) {
      const batch = tenantProducts.slice(start, start + INSERT_BATCH / IMAGES_PER_PRODUCT)
      const values = batch.flatMap((p) =>
        Array.from({ length: IMAGES_PER_PRODUCT }, (_, k) => sql`(${tenant.id}, ${p.id}, ${`bench/${p.id}/${k}`}, 'bench', 'image/png', 1, 1, 1, ${k}, 'ready', ${vectorLiteral(imageVector(p, random))}::vector)`),
      )
      await db.execute(sql`insert into product_images (tenant_id, product_id, r2_key, sha256, content_type, bytes, width, height, position, status, embedding) values ${sql.join(values, sql`, `)}`)
    }
    catalog.tenantIds.push(tenant.id)
    catalog.imagesPerTenant.push(size * IMAGES_PER_PRODUCT)
    catalog.products.push(...tenantProducts)
  }
  return catalog
}
