// What the admin product list shows beside each product, read in one query each for a whole page: stock summed over
// the product's variants from the inventory read model, and the path of its cover thumbnail.
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { productImages, variants } from '../db/schema/catalog'
import { inventoryLevels } from '../db/schema/inventory'
import { MEDIA_FILES, mediaKey, mediaUrl } from '../media/keys'

/** Extras a list caller can ask for with `?include=`. */
export const PRODUCT_INCLUDES = ['stock', 'thumbnail'] as const
export type ProductInclude = (typeof PRODUCT_INCLUDES)[number]

/** Stock of a product over every location of its variants; `tracked` is false when none of its SKUs has a level yet. */
export interface ProductStock {
  available: number
  onHand: number
  tracked: boolean
}

/** Sum of available and on-hand stock per product, from `inventory_levels` (the Inventory objects' read model). */
export async function stockOfProducts(db: Database, tenantId: string, productIds: string[]): Promise<Map<string, ProductStock>> {
  const result = new Map<string, ProductStock>(productIds.map((id) => [id, { available: 0, onHand: 0, tracked: false }]))
  if (productIds.length === 0) return result
  const rows = await db
    .select({
      productId: variants.productId,
      available: sql<number>`coalesce(sum(${inventoryLevels.available}), 0)::int`,
      onHand: sql<number>`coalesce(sum(${inventoryLevels.onHand}), 0)::int`,
      levels: sql<number>`count(${inventoryLevels.sku})::int`,
    })
    .from(variants)
    .leftJoin(inventoryLevels, and(eq(inventoryLevels.tenantId, variants.tenantId), eq(inventoryLevels.sku, variants.sku)))
    .where(and(eq(variants.tenantId, tenantId), inArray(variants.productId, productIds)))
    .groupBy(variants.productId)
  for (const row of rows) result.set(row.productId, { available: row.available, onHand: row.onHand, tracked: row.levels > 0 })
  return result
}

/** Media path of each product's cover: the primary image (else the first by position), its small thumbnail once written. */
export async function thumbnailsOfProducts(db: Database, tenantId: string, productIds: string[]): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map()
  const rows = await db
    .selectDistinctOn([productImages.productId], { productId: productImages.productId, id: productImages.id, r2Key: productImages.r2Key, thumbnailsAt: productImages.thumbnailsAt })
    .from(productImages)
    .where(and(eq(productImages.tenantId, tenantId), inArray(productImages.productId, productIds)))
    .orderBy(productImages.productId, sql`${productImages.isPrimary} desc`, productImages.position, productImages.createdAt)
  return new Map(rows.map((row) => [row.productId, row.thumbnailsAt !== null ? mediaUrl(mediaKey(tenantId, row.id, MEDIA_FILES.small)) : mediaUrl(row.r2Key)]))
}

/** Parses a validated `include=stock,thumbnail` into a set. */
export function parseIncludes(raw: string | undefined): Set<ProductInclude> {
  const parts = (raw ?? '').split(',').map((part) => part.trim())
  return new Set(parts.filter((part): part is ProductInclude => (PRODUCT_INCLUDES as readonly string[]).includes(part)))
}
