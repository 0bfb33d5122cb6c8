// Names people read beside stock figures: the product and variant a SKU belongs to, and who a ledger actor is
// (a member's email, an API key's name). Every lookup is scoped to the caller's tenant.
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client'
import { products, variants } from '../db/schema/catalog'
import { apiKeys } from '../db/schema/credentials'
import { memberships, users } from '../db/schema/tenants'

/** The catalog entry behind a SKU. */
export interface SkuProduct {
  productId: string
  productName: string
  variantName: string | null
  options: Record<string, string>
  categoryId: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Product and variant of each SKU that is a variant of the tenant's catalog. */
export async function productsOfSkus(db: Database, tenantId: string, skus: string[]): Promise<Map<string, SkuProduct>> {
  const unique = [...new Set(skus)]
  if (unique.length === 0) return new Map()
  const rows = await db
    .select({ sku: variants.sku, productId: products.id, productName: products.name, variantName: variants.name, options: variants.options, categoryId: products.categoryId })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(variants.tenantId, tenantId), eq(products.tenantId, tenantId), inArray(variants.sku, unique)))
  return new Map(rows.map(({ sku, ...product }) => [sku, { ...product, options: product.options ?? {} }]))
}

/** Readable labels of ledger actors: `user:<id>` → the member's email, `key:<id>` → the key's name; others are absent. */
export async function actorLabels(db: Database, tenantId: string, actors: string[]): Promise<Map<string, string>> {
  const ids = (prefix: string) => [...new Set(actors.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length)))].filter((id) => UUID.test(id))
  const userIds = ids('user:')
  const keyIds = ids('key:')
  const [people, keys] = await Promise.all([
    userIds.length === 0
      ? []
      : db
          .select({ id: users.id, email: users.email })
          .from(users)
          .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenantId)))
          .where(inArray(users.id, userIds)),
    keyIds.length === 0 ? [] : db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, keyIds))),
  ])
  return new Map([...people.map((p): [string, string] => [`user:${p.id}`, p.email]), ...keys.map((k): [string, string] => [`key:${k.id}`, k.name])])
}
