// The product list: filters (status, category with descendants, attributes, price range), a text query ranked by
// full-text search plus trigram similarity over name, brand, description and SKU, and keyset pagination for every sort.
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, uuidList, type Database } from '../db/client'
import type { AttributeValues, ProductStatus } from '../db/schema/catalog'
import { z } from '@hono/zod-openapi'
import { CursorPart, decodeCursor, encodeCursor } from '../lib/pagination'
import { categoryWithDescendants } from './categories'

export const PRODUCT_SORTS = ['newest', 'oldest', 'name', '-name', 'price', '-price', 'relevance'] as const
export type ProductSort = (typeof PRODUCT_SORTS)[number]

export interface ProductListQuery {
  limit: number
  cursor?: string | undefined
  status?: ProductStatus | undefined
  categoryId?: string | undefined
  q?: string | undefined
  minPrice?: number | undefined
  maxPrice?: number | undefined
  /** Attribute filters as JSON containment: `{color: "red"}` matches products whose color is red. */
  attributes: AttributeValues[]
  sort?: ProductSort | undefined
}

interface SortPlan {
  key: SQL
  direction: 'asc' | 'desc'
  cast: SQL
  /** What a cursor's sort value must look like to be cast to `cast`. */
  value: z.ZodType<string>
}

const MIN_PRICE = sql`(select min(v.price) from variants v where v.product_id = p.id and v.active)`

function sortPlan(sort: ProductSort, q: string | undefined): SortPlan {
  switch (sort) {
    case 'oldest':
      return { key: sql`p.created_at`, direction: 'asc', cast: sql`timestamptz`, value: CursorPart.timestamp }
    case 'name':
    case '-name':
      return { key: sql`lower(p.name)`, direction: sort === 'name' ? 'asc' : 'desc', cast: sql`text`, value: CursorPart.text }
    case 'price':
    case '-price':
      return { key: sql`coalesce(${MIN_PRICE}, 0)`, direction: sort === 'price' ? 'asc' : 'desc', cast: sql`int`, value: CursorPart.int }
    case 'relevance':
      return {
        key: sql`(ts_rank(p.search, websearch_to_tsquery('simple', ${q ?? ''})) + similarity(p.name, ${q ?? ''}))::float8`,
        direction: 'desc',
        cast: sql`float8`,
        value: CursorPart.float,
      }
    case 'newest':
      return { key: sql`p.created_at`, direction: 'desc', cast: sql`timestamptz`, value: CursorPart.timestamp }
  }
}

/** One page of product ids matching `query`, and the cursor of the next page. */
export async function searchProductIds(db: Database, tenantId: string, query: ProductListQuery): Promise<{ ids: string[]; nextCursor: string | null }> {
  const conditions: SQL[] = [sql`p.tenant_id = ${tenantId}`]
  if (query.status) conditions.push(sql`p.status = ${query.status}`)
  if (query.categoryId) {
    const ids = await categoryWithDescendants(db, tenantId, query.categoryId)
    if (ids.length === 0) return { ids: [], nextCursor: null }
    conditions.push(sql`p.category_id in (${uuidList(ids)})`)
  }
  for (const filter of query.attributes) conditions.push(sql`p.attributes @> ${JSON.stringify(filter)}::jsonb`)
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    conditions.push(sql`exists (select 1 from variants v where v.product_id = p.id and v.active
      and v.price >= ${query.minPrice ?? 0} and v.price <= ${query.maxPrice ?? 2_147_483_647})`)
  }
  const q = query.q?.trim()
  if (q) {
    // Each branch is served by its own index (full text GIN, trigram GIN on name and on SKU); an OR across them
    // in one WHERE would make Postgres scan and score every product of the tenant.
    conditions.push(sql`p.id in (
      select id from products where tenant_id = ${tenantId} and search @@ websearch_to_tsquery('simple', ${q})
      union select id from products where tenant_id = ${tenantId} and name % ${q}
      union select product_id from variants where tenant_id = ${tenantId} and (sku ilike ${`${q.replace(/[\\%_]/g, '\\$&')}%`} or sku % ${q}))`)
  }
  const plan = sortPlan(query.sort ?? (q ? 'relevance' : 'newest'), q)
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, z.tuple([plan.value, CursorPart.uuid]))
    const compare = plan.direction === 'asc' ? sql`>` : sql`<`
    conditions.push(sql`(${plan.key}, p.id) ${compare} (${value}::${plan.cast}, ${id}::uuid)`)
  }
  // NULLS FIRST/LAST as in the btree indexes built by `.desc()` (DESC NULLS LAST), walked forwards or backwards.
  const direction = plan.direction === 'asc' ? sql`asc nulls first` : sql`desc nulls last`
  const rows = await queryRows<{ id: string; sort_key: string }>(
    db,
    sql`select p.id, (${plan.key})::text as sort_key from products p
      where ${sql.join(conditions, sql` and `)}
      order by ${plan.key} ${direction}, p.id ${direction}
      limit ${query.limit + 1}`,
  )
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return { ids: page.map((r) => r.id), nextCursor: rows.length > query.limit && last ? encodeCursor([last.sort_key, last.id]) : null }
}
