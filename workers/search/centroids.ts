// Category centroids for category detection: the normalised mean image vector of each category, kept current by the
// CLIP service after indexing and by the Worker after a product changes category or loses an image. Plain SQL, so the
// same code runs in Node and in the Worker.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'

/** The state of one category's centroid after a recompute; `imageCount` 0 means its row was deleted. */
export interface CentroidChange {
  categoryId: string
  imageCount: number
}

/**
 * Recomputes the centroid of `categoryId` and of each of its ancestors: the L2-normalised mean of the `ready` image
 * vectors of the products in the category and all its descendants. Upserts `category_centroids` (with the image count)
 * and deletes the row of a category with no such image left. Concurrent recomputes of one tenant are serialised by a
 * transaction-scoped advisory lock, so the last one to run sees every committed vector. Call it for both the old and
 * the new category when a product moves.
 */
export async function recomputeCentroids(db: Database, tenantId: string, categoryId: string): Promise<CentroidChange[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`category_centroids:${tenantId}`}, 0))`)
    return queryRows<CentroidChange>(
      tx,
      sql`
        with recursive ancestors(id, parent_id) as (
          select id, parent_id from categories where tenant_id = ${tenantId} and id = ${categoryId}
          union
          select c.id, c.parent_id from categories c join ancestors a on c.id = a.parent_id where c.tenant_id = ${tenantId}
        ),
        subtree(root, id) as (
          select id, id from ancestors
          union
          select s.root, c.id from categories c join subtree s on c.parent_id = s.id where c.tenant_id = ${tenantId}
        ),
        stats as (
          select a.id as category_id, l2_normalize(avg(i.embedding)) as centroid, count(i.embedding)::int as image_count
          from ancestors a
          left join subtree s on s.root = a.id
          left join products p on p.category_id = s.id and p.tenant_id = ${tenantId}
          left join product_images i on i.product_id = p.id and i.tenant_id = ${tenantId} and i.status = 'ready' and i.embedding is not null
          group by a.id
        ),
        upserted as (
          insert into category_centroids (tenant_id, category_id, centroid, image_count, updated_at)
          select ${tenantId}, category_id, centroid, image_count, now() from stats where image_count > 0
          on conflict (tenant_id, category_id)
          do update set centroid = excluded.centroid, image_count = excluded.image_count, updated_at = excluded.updated_at
        ),
        deleted as (
          delete from category_centroids
          where tenant_id = ${tenantId} and category_id in (select category_id from stats where image_count = 0)
        )
        select category_id as "categoryId", image_count as "imageCount" from stats order by category_id`,
    )
  })
}

/**
 * Recomputes the centroids a product contributes to (its category and that category's ancestors); nothing when the
 * product has no category or does not belong to the tenant. Call it after an image of the product is indexed or deleted.
 */
export async function recomputeCentroidsForProduct(db: Database, tenantId: string, productId: string): Promise<CentroidChange[]> {
  const [product] = await queryRows<{ categoryId: string | null }>(
    db,
    sql`select category_id as "categoryId" from products where id = ${productId} and tenant_id = ${tenantId}`,
  )
  if (!product?.categoryId) return []
  return recomputeCentroids(db, tenantId, product.categoryId)
}
