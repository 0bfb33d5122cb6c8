// The query vector of "products that look like this one": the mean of the product's indexed image vectors, read
// from Postgres without any inference.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import type { QueryVector } from './query-embedding'

/** The mean of the product's ready image vectors (cosine ignores its length), or null before any image is indexed. */
export async function productQueryVector(db: Database, tenantId: string, productId: string): Promise<QueryVector | null> {
  const [row] = await queryRows<{ vector: string | null }>(
    db,
    sql`select avg(embedding)::text as vector from product_images
      where tenant_id = ${tenantId} and product_id = ${productId} and status = 'ready' and embedding is not null`,
  )
  if (!row?.vector) return null
  return { vector: row.vector.slice(1, -1).split(',').map(Number), model: 'stored', cacheHit: true }
}
