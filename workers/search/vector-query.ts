// Nearest product images of one tenant by cosine distance, under product filters, with a plan that keeps recall:
// an exact scan when the filtered candidates are few, the HNSW index with iterative scans otherwise (README,
// "Visual and text search", for the measurements behind the thresholds).
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, uuidList, type Database } from '../db/client'
import type { SearchFilters } from './options'

/** Candidate sets up to this many images are scanned exactly (measured by `npm run bench:search`). */
export const EXACT_SCAN_LIMIT = 2_000
/** HNSW candidate list per scan step; pgvector's default is 40. */
export const HNSW_EF_SEARCH = 100
/** How far one iterative scan may walk before giving up (pgvector's default is 20,000). */
export const HNSW_MAX_SCAN_TUPLES = 40_000
/** Images fetched per requested product, so products with several close images still fill the page. */
const IMAGES_PER_PRODUCT = 3
/** Ceiling of images fetched by one search. */
const MAX_IMAGES = 400

/** One image near the query: its distance is the cosine distance (1 − similarity). */
export interface ImageHit {
  imageId: string
  productId: string
  distance: number
}

/** How a search was answered, for logs and the benchmark. */
export type ScanPlan = 'exact' | 'hnsw'

/** The `[x,y,…]` text form pgvector parses; the vector is sent as one bound parameter. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`
}

/** WHERE conditions over `i` (product_images) and `p` (products) for the tenant's indexed images that pass `filters`. */
export function candidateConditions(tenantId: string, filters: SearchFilters): SQL {
  const conditions: SQL[] = [sql`i.tenant_id = ${tenantId}`, sql`i.status = 'ready'`, sql`i.embedding is not null`, sql`p.tenant_id = ${tenantId}`]
  if (!filters.includeInactive) conditions.push(sql`p.status = 'active'`)
  if (filters.categoryIds) {
    if (filters.categoryIds.length === 0) conditions.push(sql`false`)
    else conditions.push(sql`p.category_id in (${uuidList(filters.categoryIds)})`)
  }
  for (const filter of filters.attributes) conditions.push(sql`p.attributes @> ${JSON.stringify(filter)}::jsonb`)
  if (filters.minPrice !== undefined || filters.maxPrice !== undefined) {
    conditions.push(sql`exists (select 1 from variants v where v.product_id = p.id and v.active
      and v.price >= ${filters.minPrice ?? 0} and v.price <= ${filters.maxPrice ?? 2_147_483_647})`)
  }
  if (filters.inStock) {
    conditions.push(sql`exists (select 1 from variants v join inventory_levels l on l.tenant_id = v.tenant_id and l.sku = v.sku
      where v.product_id = p.id and v.active and l.available > 0)`)
  }
  if (filters.excludeProductId) conditions.push(sql`p.id <> ${filters.excludeProductId}::uuid`)
  return sql.join(conditions, sql` and `)
}

/** Images to fetch for `topK` products. */
export function imageLimit(topK: number): number {
  return Math.min(MAX_IMAGES, topK * IMAGES_PER_PRODUCT)
}

/** Counts the candidates, stopping at `cap + 1`: enough to choose the plan without reading every row of a large tenant. */
export async function countCandidates(db: Database, where: SQL, cap: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from product_images i join products p on p.id = i.product_id where ${where} limit ${cap + 1}) c`,
  )
  return row?.n ?? 0
}

/**
 * Exact nearest images: every candidate's distance, sorted. `offset 0` keeps the subquery from being merged into the
 * outer query, so the planner cannot answer the ORDER BY from the HNSW index, and only ids and distances are sorted.
 */
export function exactNearest(db: Database, where: SQL, vector: string, limit: number): Promise<ImageHit[]> {
  return queryRows<ImageHit>(
    db,
    sql`select * from (
        select i.id as "imageId", i.product_id as "productId", (i.embedding <=> ${vector}::vector)::float8 as distance
        from product_images i join products p on p.id = i.product_id where ${where} offset 0) candidates
      order by distance limit ${limit}`,
  )
}

/** Approximate nearest images through the HNSW index; the iterative scan keeps walking past rows the filters reject. */
export function hnswNearest(db: Database, where: SQL, vector: string, limit: number): Promise<ImageHit[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true),
      set_config('hnsw.ef_search', ${String(Math.max(HNSW_EF_SEARCH, limit))}, true),
      set_config('hnsw.max_scan_tuples', ${String(HNSW_MAX_SCAN_TUPLES)}, true)`)
    return queryRows<ImageHit>(
      tx,
      sql`select * from (
          select i.id as "imageId", i.product_id as "productId", (i.embedding <=> ${vector}::vector)::float8 as distance
          from product_images i join products p on p.id = i.product_id
          where ${where} order by i.embedding <=> ${vector}::vector limit ${limit}) hits
        order by distance`,
    )
  })
}

/** The nearest images of the tenant's candidates: an exact scan up to `exactScanLimit` candidates, else the HNSW index. */
export async function nearestImages(
  db: Database,
  tenantId: string,
  filters: SearchFilters,
  vector: readonly number[],
  limit: number,
  exactScanLimit = EXACT_SCAN_LIMIT,
): Promise<{ hits: ImageHit[]; plan: ScanPlan }> {
  const where = candidateConditions(tenantId, filters)
  const literal = vectorLiteral(vector)
  const candidates = await countCandidates(db, where, exactScanLimit)
  if (candidates === 0) return { hits: [], plan: 'exact' }
  if (candidates <= exactScanLimit) return { hits: await exactNearest(db, where, literal, limit), plan: 'exact' }
  return { hits: await hnswNearest(db, where, literal, limit), plan: 'hnsw' }
}

/** Keeps each product's best image, best products first, at most `topK`, none below `minScore`. */
export function bestPerProduct(hits: readonly ImageHit[], topK: number, minScore: number): ImageHit[] {
  const best = new Map<string, ImageHit>()
  for (const hit of hits) {
    const seen = best.get(hit.productId)
    if (!seen || hit.distance < seen.distance) best.set(hit.productId, hit)
  }
  return [...best.values()]
    .filter((hit) => 1 - hit.distance >= minScore)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, topK)
}
