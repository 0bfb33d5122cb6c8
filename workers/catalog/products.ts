// Products and their variants in Postgres: creating with validation against the tenant's attribute definitions,
// loading with variants and image counts in one round trip per table, and serialising for the API.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { isUniqueViolation } from '../db/errors'
import { categories, productImages, products, variants, type AttributeValues } from '../db/schema/catalog'
import { ApiError } from '../lib/errors'
import { randomToken } from '../lib/crypto'
import { slugify } from '../auth/accounts'
import { attributeIssues, loadDefinitions } from './attributes'

type ProductRow = typeof products.$inferSelect
type VariantRow = typeof variants.$inferSelect
type Definitions = Awaited<ReturnType<typeof loadDefinitions>>

/** A variant as clients send it. */
export interface VariantInput {
  sku: string
  name?: string | null | undefined
  options?: Record<string, string> | undefined
  price: number
  compareAtPrice?: number | null | undefined
  cost?: number | null | undefined
  currency: string
  weightGrams?: number | null | undefined
  barcode?: string | null | undefined
  attributes?: AttributeValues | undefined
  position?: number | undefined
  active?: boolean | undefined
}

/** The per-tenant definitions a product write is validated against. */
export interface CatalogDefinitions {
  product: Definitions
  variant: Definitions
}

/** Loads both sets of attribute definitions of a tenant. */
export async function catalogDefinitions(db: Database, tenantId: string): Promise<CatalogDefinitions> {
  const [product, variant] = await Promise.all([loadDefinitions(db, tenantId, 'product'), loadDefinitions(db, tenantId, 'variant')])
  return { product, variant }
}

/** 400 unless `categoryId` is one of the tenant's categories. */
export async function assertCategory(db: Database, tenantId: string, categoryId: string): Promise<void> {
  const [found] = await db.select({ id: categories.id }).from(categories).where(and(eq(categories.id, categoryId), eq(categories.tenantId, tenantId)))
  if (!found) {
    throw new ApiError('invalid_request', 'No category with this id', { details: [{ in: 'json', path: 'categoryId', message: 'no category with this id', code: 'custom' }] })
  }
}

/** Turns a unique violation on a variant SKU into 409 `sku_taken`; anything else is rethrown. */
export function rethrowSkuConflict(error: unknown, skus: string[]): never {
  if (isUniqueViolation(error, 'variants_tenant_sku_key')) {
    throw new ApiError('sku_taken', 'A variant with one of these SKUs already exists in this catalog', { details: { skus } })
  }
  throw error
}

/** Column values of a new variant row. */
export function variantValues(tenantId: string, productId: string, input: VariantInput, index: number) {
  return {
    tenantId,
    productId,
    sku: input.sku,
    name: input.name ?? null,
    options: input.options ?? {},
    price: input.price,
    compareAtPrice: input.compareAtPrice ?? null,
    cost: input.cost ?? null,
    currency: input.currency,
    weightGrams: input.weightGrams ?? null,
    barcode: input.barcode ?? null,
    attributes: input.attributes ?? {},
    position: input.position ?? index,
    active: input.active ?? true,
  }
}

/** Validates every variant's attributes, reporting paths like `variants.2.attributes.size`. */
export function assertVariantAttributes(definitions: Definitions, inputs: VariantInput[], basePath = 'variants'): void {
  const issues = inputs.flatMap((v, i) => attributeIssues(definitions, v.attributes ?? {}, `${basePath}.${i}.attributes`))
  if (issues.length > 0) throw new ApiError('invalid_request', 'Some variant attributes are invalid', { details: issues })
}

/** Picks a free slug: the requested one (409 when taken) or one derived from the name with a suffix if needed. */
export async function chooseSlug(db: Database, tenantId: string, name: string, requested?: string): Promise<string> {
  const base = requested ?? slugify(name)
  const [taken] = await db.select({ id: products.id }).from(products).where(and(eq(products.tenantId, tenantId), eq(products.slug, base)))
  if (!taken) return base
  if (requested) throw new ApiError('slug_taken', `A product with slug "${requested}" already exists`)
  return `${base}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '0')}`
}

function variantJson(v: VariantRow, definitions: Definitions) {
  return {
    id: v.id,
    sku: v.sku,
    name: v.name,
    options: v.options,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    cost: v.cost,
    currency: v.currency,
    weightGrams: v.weightGrams,
    barcode: v.barcode,
    attributes: v.attributes,
    attributeIssues: attributeIssues(definitions, v.attributes, 'attributes'),
    position: v.position,
    active: v.active,
  }
}

/** Loads products by id with their variants and image counts, in the order of `ids`, serialised for the API. */
export async function loadProducts(db: Database, tenantId: string, ids: string[], definitions: CatalogDefinitions) {
  if (ids.length === 0) return []
  const [rows, variantRows, imageCounts] = await Promise.all([
    db.select().from(products).where(and(eq(products.tenantId, tenantId), inArray(products.id, ids))),
    db.select().from(variants).where(and(eq(variants.tenantId, tenantId), inArray(variants.productId, ids))).orderBy(asc(variants.position), asc(variants.sku)),
    db
      .select({ productId: productImages.productId, status: productImages.status, n: sql<number>`count(*)::int` })
      .from(productImages)
      .where(and(eq(productImages.tenantId, tenantId), inArray(productImages.productId, ids)))
      .groupBy(productImages.productId, productImages.status),
  ])
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const p = byId.get(id)
    if (!p) return []
    const counts = { total: 0, ready: 0, pending: 0, failed: 0 }
    for (const c of imageCounts) {
      if (c.productId !== id) continue
      counts[c.status] += c.n
      counts.total += c.n
    }
    return [productJson(p, variantRows.filter((v) => v.productId === id), counts, definitions)]
  })
}

function productJson(p: ProductRow, variantRows: VariantRow[], images: { total: number; ready: number; pending: number; failed: number }, definitions: CatalogDefinitions) {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    status: p.status,
    categoryId: p.categoryId,
    brand: p.brand,
    tags: p.tags,
    seoTitle: p.seoTitle,
    seoDescription: p.seoDescription,
    attributes: p.attributes,
    attributeIssues: attributeIssues(definitions.product, p.attributes, 'attributes'),
    variants: variantRows.map((v) => variantJson(v, definitions.variant)),
    images,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}

/** Finds a product of the tenant by id or slug; 404 otherwise. */
export async function resolveProductId(db: Database, tenantId: string, idOrSlug: string): Promise<string> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug)
  const [found] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.tenantId, tenantId), isUuid ? or(eq(products.id, idOrSlug), eq(products.slug, idOrSlug)) : eq(products.slug, idOrSlug)))
  if (!found) throw new ApiError('not_found', 'No product with this id or slug')
  return found.id
}

/** Loads one product for the API, or 404. */
export async function loadProduct(db: Database, tenantId: string, id: string) {
  const [product] = await loadProducts(db, tenantId, [id], await catalogDefinitions(db, tenantId))
  if (!product) throw new ApiError('not_found', 'No product with this id or slug')
  return product
}
