// Search results as the API returns them: a compact product summary with its price range and the matching image
// with its URL and thumbnails, in the order of the hits.
import { z } from '@hono/zod-openapi'
import { sql } from 'drizzle-orm'
import { queryRows, uuidList, type Database } from '../db/client'
import { PRODUCT_STATUSES, type ProductStatus } from '../db/schema/catalog'
import { MEDIA_FILES, mediaKey, mediaUrl } from '../media/keys'
import type { ImageHit } from './vector-query'

export const SearchProductSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    status: z.enum(PRODUCT_STATUSES),
    categoryId: z.uuid().nullable(),
    price: z.object({ min: z.number().int(), max: z.number().int(), currency: z.string() }).nullable().openapi({ description: 'Range over active variants, minor units' }),
  })
  .openapi('SearchProduct')

export const SearchImageSchema = z
  .object({ id: z.uuid(), url: z.string(), thumbnails: z.object({ small: z.string(), large: z.string() }) })
  .openapi('SearchImage')

export const SearchResultSchema = z
  .object({ product: SearchProductSchema, image: SearchImageSchema, score: z.number().openapi({ description: 'Cosine similarity of the best image, −1 to 1' }) })
  .openapi('SearchResult')
export type SearchResult = z.infer<typeof SearchResultSchema>

interface ProductRow {
  id: string
  name: string
  slug: string
  status: ProductStatus
  categoryId: string | null
  minPrice: number | null
  maxPrice: number | null
  currency: string | null
}

/** Loads the products and images of `hits` and returns them as results, keeping the hits' order and scores. */
export async function hydrateResults(db: Database, tenantId: string, hits: ImageHit[]): Promise<SearchResult[]> {
  if (hits.length === 0) return []
  const [products, images] = await Promise.all([
    queryRows<ProductRow>(
      db,
      sql`select p.id, p.name, p.slug, p.status, p.category_id as "categoryId",
          min(v.price) filter (where v.active) as "minPrice", max(v.price) filter (where v.active) as "maxPrice", min(v.currency) filter (where v.active) as currency
        from products p left join variants v on v.product_id = p.id
        where p.tenant_id = ${tenantId} and p.id in (${uuidList(hits.map((h) => h.productId))}) group by p.id`,
    ),
    queryRows<{ id: string; r2Key: string }>(db, sql`select id, r2_key as "r2Key" from product_images where tenant_id = ${tenantId} and id in (${uuidList(hits.map((h) => h.imageId))})`),
  ])
  const productById = new Map(products.map((p) => [p.id, p]))
  const imageById = new Map(images.map((i) => [i.id, i]))
  return hits.flatMap((hit) => {
    const product = productById.get(hit.productId)
    const image = imageById.get(hit.imageId)
    if (!product || !image) return []
    const price = product.minPrice === null || product.maxPrice === null ? null : { min: product.minPrice, max: product.maxPrice, currency: product.currency ?? '' }
    return [
      {
        product: { id: product.id, name: product.name, slug: product.slug, status: product.status, categoryId: product.categoryId, price },
        image: {
          id: image.id,
          url: mediaUrl(image.r2Key),
          thumbnails: { small: mediaUrl(mediaKey(tenantId, image.id, MEDIA_FILES.small)), large: mediaUrl(mediaKey(tenantId, image.id, MEDIA_FILES.large)) },
        },
        score: 1 - hit.distance,
      },
    ]
  })
}
