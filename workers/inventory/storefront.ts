// What a storefront may ask stock about: only SKUs of active variants of active products, so availability never reveals
// that a draft, archived or inactive SKU exists (those answer like unregistered SKUs).
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client'
import { products, variants } from '../db/schema/catalog'
import { ApiError } from '../lib/errors'

/** 400 `unknown_sku` (the SKUs listed in `details.skus`, as for unregistered ones) unless every SKU is on sale. */
export async function assertStorefrontSkus(db: Database, tenantId: string, skus: string[]): Promise<void> {
  const rows = await db
    .select({ sku: variants.sku })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(variants.tenantId, tenantId), inArray(variants.sku, skus), eq(variants.active, true), eq(products.status, 'active')))
  const onSale = new Set(rows.map((row) => row.sku))
  const hidden = [...new Set(skus.filter((sku) => !onSale.has(sku)))]
  if (hidden.length > 0) throw new ApiError('unknown_sku', `${hidden.length} SKU(s) are not registered`, { details: { skus: hidden } })
}
