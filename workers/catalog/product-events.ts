// The catalog's domain events (`product.created|updated|deleted`), written in the transaction of the product change so
// webhooks and notifications see every change once; their `data` shapes are version 1 of what the OpenAPI catalogue documents.
import { and, eq } from 'drizzle-orm'
import { recordEvent } from '../commerce/events'
import type { Database } from '../db/client'
import { products } from '../db/schema/catalog'

/** Version of the `data` shape of every catalog event; bump it only with a new, documented shape. */
export const CATALOG_EVENT_VERSION = 1

/** What a product event says about its product. */
export interface ProductEventSubject {
  id: string
  name: string
  slug?: string | undefined
  status?: string | undefined
}

/** `product.created`: `{version, id, name, slug, status, source}`. */
export async function recordProductCreated(tx: Database, tenantId: string, product: Required<ProductEventSubject>, source: 'api' | 'import'): Promise<void> {
  await recordEvent(tx, { tenantId, type: 'product.created', subjectType: 'product', subjectId: product.id, data: { version: CATALOG_EVENT_VERSION, ...product, source } })
}

/** `product.updated`: `{version, id, name, fields}`, `fields` naming what changed (`variants` for a variant change). */
export async function recordProductUpdated(tx: Database, tenantId: string, product: ProductEventSubject, fields: string[]): Promise<void> {
  await recordEvent(tx, {
    tenantId,
    type: 'product.updated',
    subjectType: 'product',
    subjectId: product.id,
    data: { version: CATALOG_EVENT_VERSION, id: product.id, name: product.name, ...(product.status ? { status: product.status } : {}), fields: [...new Set(fields)].sort() },
  })
}

/** `product.deleted`: `{version, id, name}`. */
export async function recordProductDeleted(tx: Database, tenantId: string, product: ProductEventSubject): Promise<void> {
  await recordEvent(tx, { tenantId, type: 'product.deleted', subjectType: 'product', subjectId: product.id, data: { version: CATALOG_EVENT_VERSION, id: product.id, name: product.name } })
}

/** `product.updated` with `fields: ["variants"]` after a variant of `productId` was added, changed or removed (same transaction). */
export async function recordVariantChange(tx: Database, tenantId: string, productId: string): Promise<void> {
  const [product] = await tx.select({ id: products.id, name: products.name, status: products.status }).from(products).where(and(eq(products.id, productId), eq(products.tenantId, tenantId)))
  if (product) await recordProductUpdated(tx, tenantId, product, ['variants'])
}
