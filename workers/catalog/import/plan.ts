// Plans the writes of one chunk of import groups: one batched lookup of the SKUs, slugs and categories involved, then
// per group the merged product and variants validated with the product routes' rules, and what differs from what is stored.
import { and, count, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { categories, products, variants, type AttributeValues } from '../../db/schema/catalog'
import type { ImportRowError } from '../../db/schema/imports'
import { ProductInputSchema, VariantInputSchema } from '../../routes/products/schemas'
import { attributeIssues } from '../attributes'
import type { CatalogDefinitions } from '../products'
import { CellReader } from './cells'
import { OPTION_PREFIX, PRODUCT_ATTRIBUTE_PREFIX, VARIANT_ATTRIBUTE_PREFIX, type RowGroup } from './columns'

type ProductRow = typeof products.$inferSelect
type VariantRow = typeof variants.$inferSelect

/** Product columns an import writes. */
export interface ProductFields {
  name: string
  slug: string | undefined
  description: string | null
  status: ProductRow['status']
  categoryId: string | null
  brand: string | null
  tags: string[]
  seoTitle: string | null
  seoDescription: string | null
  attributes: AttributeValues
}

/** Variant columns an import writes. */
export interface VariantFields {
  sku: string
  name: string | null
  options: Record<string, string>
  price: number
  compareAtPrice: number | null
  cost: number | null
  currency: string
  weightGrams: number | null
  barcode: string | null
  attributes: AttributeValues
  active: boolean
}

export type RowOutcome = 'created' | 'updated' | 'unchanged'

/** What one valid group writes: a new product or changes to an existing one, and its variants' inserts and updates. */
export interface GroupPlan {
  firstRow: number
  /** Undefined when the product is new. */
  productId: string | undefined
  product: ProductFields
  productChanges: Partial<ProductFields>
  inserts: (VariantFields & { row: number; position: number })[]
  updates: { row: number; id: string; changes: Partial<VariantFields> }[]
  outcomes: { row: number; outcome: RowOutcome }[]
}

/** The stored rows a chunk's groups refer to. */
export interface ChunkLookups {
  variantsBySku: Map<string, VariantRow>
  productsById: Map<string, ProductRow>
  productsBySlug: Map<string, ProductRow>
  categoryIdBySlug: Map<string, string>
  variantCounts: Map<string, number>
}

/** Loads, in five queries, everything the groups' SKUs, slugs and categories refer to. */
export async function loadLookups(db: Database, tenantId: string, groups: RowGroup[]): Promise<ChunkLookups> {
  const rows = groups.flatMap((g) => g.rows)
  const skus = [...new Set(rows.map((r) => r.cells.get('sku') ?? '').filter(Boolean))]
  const slugs = [...new Set(groups.map((g) => g.rows[0]?.cells.get('product_slug') ?? '').filter(Boolean))]
  const categorySlugs = [...new Set(groups.map((g) => g.rows[0]?.cells.get('category') ?? '').filter(Boolean))]
  const [variantRows, slugRows, categoryRows] = await Promise.all([
    skus.length ? db.select().from(variants).where(and(eq(variants.tenantId, tenantId), inArray(variants.sku, skus))) : [],
    slugs.length ? db.select().from(products).where(and(eq(products.tenantId, tenantId), inArray(products.slug, slugs))) : [],
    categorySlugs.length
      ? db.select({ id: categories.id, slug: categories.slug }).from(categories).where(and(eq(categories.tenantId, tenantId), inArray(categories.slug, categorySlugs)))
      : [],
  ])
  const productIds = [...new Set([...variantRows.map((v) => v.productId), ...slugRows.map((p) => p.id)])]
  const [productRows, counts] = productIds.length
    ? await Promise.all([
        db.select().from(products).where(and(eq(products.tenantId, tenantId), inArray(products.id, productIds))),
        db.select({ productId: variants.productId, n: count() }).from(variants).where(inArray(variants.productId, productIds)).groupBy(variants.productId),
      ])
    : [[], []]
  return {
    variantsBySku: new Map(variantRows.map((v) => [v.sku, v])),
    productsById: new Map(productRows.map((p) => [p.id, p])),
    productsBySlug: new Map(slugRows.map((p) => [p.slug, p])),
    categoryIdBySlug: new Map(categoryRows.map((c) => [c.slug, c.id])),
    variantCounts: new Map(counts.map((c) => [c.productId, c.n])),
  }
}

const PRODUCT_FIELD_COLUMNS: Record<string, string> = {
  name: 'product_name',
  slug: 'product_slug',
  seoTitle: 'seo_title',
  seoDescription: 'seo_description',
  categoryId: 'category',
}
const VARIANT_FIELD_COLUMNS: Record<string, string> = {
  compareAtPrice: 'compare_at_price',
  weightGrams: 'weight_grams',
  options: OPTION_PREFIX,
}

/** Maps a zod issue path of a product or variant field to the file's column name. */
function columnOf(path: readonly PropertyKey[], columns: Record<string, string>): string {
  const [field = '', key] = path.map(String)
  const column = columns[field] ?? field
  return column === OPTION_PREFIX ? `${OPTION_PREFIX}${key ?? ''}` : column
}

/** Canonical JSON (object keys sorted), so stored and planned values compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  )
}

/** The fields of `next` whose values differ from `current`. */
function changes<T extends object>(current: Partial<T>, next: T): Partial<T> {
  const diff: Partial<T> = {}
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (next[key] !== undefined && canonical(current[key]) !== canonical(next[key])) diff[key] = next[key]
  }
  return diff
}

function productIdentity(group: RowGroup, lookups: ChunkLookups, errors: ImportRowError[]): ProductRow | undefined {
  let owner: { product: ProductRow; row: number } | undefined
  for (const row of group.rows) {
    const existing = lookups.variantsBySku.get(row.cells.get('sku') ?? '')
    const product = existing && lookups.productsById.get(existing.productId)
    if (!product) continue
    if (!owner) owner = { product, row: row.row }
    else if (owner.product.id !== product.id) {
      errors.push({ row: row.row, field: 'sku', message: `the sku belongs to product "${product.slug}", not to "${owner.product.slug}" like the sku of row ${owner.row}` })
    }
  }
  const slug = group.rows[0]?.cells.get('product_slug') ?? ''
  return owner?.product ?? (slug ? lookups.productsBySlug.get(slug) : undefined)
}

function planProduct(reader: CellReader, current: ProductRow | undefined, lookups: ChunkLookups, definitions: CatalogDefinitions): ProductFields {
  const keep = <T>(column: string, read: () => T, fallback: T): T => (reader.has(column) ? read() : fallback)
  const category = reader.text('category')
  const categoryId = category ? lookups.categoryIdBySlug.get(category) : null
  if (categoryId === undefined) reader.fail('category', `no category with slug "${category}"`)
  const slug = reader.text('product_slug')
  return {
    name: reader.text('product_name') || (current?.name ?? ''),
    slug: slug || current?.slug,
    description: keep('description', () => reader.nullable('description'), current?.description ?? null),
    status: (reader.text('status') || (current?.status ?? 'draft')) as ProductRow['status'],
    categoryId: keep('category', () => categoryId ?? null, current?.categoryId ?? null),
    brand: keep('brand', () => reader.nullable('brand'), current?.brand ?? null),
    tags: keep('tags', () => reader.list('tags'), current?.tags ?? []),
    seoTitle: keep('seo_title', () => reader.nullable('seo_title'), current?.seoTitle ?? null),
    seoDescription: keep('seo_description', () => reader.nullable('seo_description'), current?.seoDescription ?? null),
    attributes: reader.attributes(PRODUCT_ATTRIBUTE_PREFIX, current?.attributes ?? {}, definitions.product),
  }
}

function planVariant(reader: CellReader, current: VariantRow | undefined, definitions: CatalogDefinitions): VariantFields {
  const keep = <T>(column: string, read: () => T | undefined, fallback: T): T => (reader.has(column) ? (read() ?? fallback) : fallback)
  return {
    sku: reader.text('sku'),
    name: keep('name', () => reader.nullable('name'), current?.name ?? null),
    options: reader.options(OPTION_PREFIX, current?.options ?? {}),
    price: keep('price', () => reader.integer('price') ?? Number.NaN, current?.price ?? Number.NaN),
    compareAtPrice: keep('compare_at_price', () => reader.integer('compare_at_price'), current?.compareAtPrice ?? null),
    cost: keep('cost', () => reader.integer('cost'), current?.cost ?? null),
    currency: reader.text('currency') || (current?.currency ?? ''),
    weightGrams: keep('weight_grams', () => reader.integer('weight_grams'), current?.weightGrams ?? null),
    barcode: keep('barcode', () => reader.nullable('barcode'), current?.barcode ?? null),
    attributes: reader.attributes(VARIANT_ATTRIBUTE_PREFIX, current?.attributes ?? {}, definitions.variant),
    active: keep('active', () => reader.boolean('active') ?? undefined, current?.active ?? true),
  }
}

/** Field errors of a product or variant from the route schema, one per field not already reported by the cell reader. */
function schemaErrors(row: number, result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, columns: Record<string, string>, reported: ImportRowError[]) {
  const errors: ImportRowError[] = []
  for (const issue of result.error?.issues ?? []) {
    const field = columnOf(issue.path, columns)
    if (![...reported, ...errors].some((e) => e.row === row && e.field === field)) errors.push({ row, field, message: issue.message })
  }
  return errors
}

function attributeErrors(row: number, prefix: string, definitions: CatalogDefinitions['product'], values: AttributeValues, reported: ImportRowError[]): ImportRowError[] {
  return attributeIssues(definitions, values, '')
    .map((issue) => ({ row, field: `${prefix}${issue.path.split('.')[0] ?? ''}`, message: issue.message }))
    .filter((e) => !reported.some((r) => r.row === row && r.field === e.field))
}

/** Validates a group against stored rows and definitions; returns its plan, or its errors when any row is invalid. */
export function planGroup(group: RowGroup, lookups: ChunkLookups, definitions: CatalogDefinitions): { plan: GroupPlan } | { errors: ImportRowError[] } {
  const errors: ImportRowError[] = [...group.errors]
  const first = group.rows[0]
  if (!first) return { errors }
  const current = productIdentity(group, lookups, errors)
  const productReader = new CellReader(first.row, first.cells)
  const product = planProduct(productReader, current, lookups, definitions)
  if (current && product.slug !== current.slug && product.slug && lookups.productsBySlug.has(product.slug)) {
    productReader.fail('product_slug', `the slug "${product.slug}" belongs to another product`)
  }
  errors.push(...productReader.errors)
  errors.push(...schemaErrors(first.row, ProductInputSchema.safeParse({ ...product, categoryId: undefined }), PRODUCT_FIELD_COLUMNS, errors))
  errors.push(...attributeErrors(first.row, PRODUCT_ATTRIBUTE_PREFIX, definitions.product, product.attributes, errors))

  const plan: GroupPlan = { firstRow: first.row, productId: current?.id, product, productChanges: current ? changes(current, product) : product, inserts: [], updates: [], outcomes: [] }
  let position = current ? (lookups.variantCounts.get(current.id) ?? 0) : 0
  for (const row of group.rows) {
    const stored = lookups.variantsBySku.get(row.cells.get('sku') ?? '')
    const reader = new CellReader(row.row, row.cells)
    const variant = planVariant(reader, stored?.productId === current?.id ? stored : undefined, definitions)
    if (Number.isNaN(variant.price) && !reader.errors.some((e) => e.field === 'price')) reader.fail('price', 'a price is required')
    errors.push(...reader.errors)
    errors.push(...schemaErrors(row.row, VariantInputSchema.safeParse(variant), VARIANT_FIELD_COLUMNS, errors))
    errors.push(...attributeErrors(row.row, VARIANT_ATTRIBUTE_PREFIX, definitions.variant, variant.attributes, errors))
    if (!stored || stored.productId !== current?.id) {
      plan.inserts.push({ ...variant, row: row.row, position: position++ })
      plan.outcomes.push({ row: row.row, outcome: 'created' })
      continue
    }
    const variantChanges = changes(stored, variant)
    if (Object.keys(variantChanges).length > 0) plan.updates.push({ row: row.row, id: stored.id, changes: variantChanges })
    const changed = Object.keys(variantChanges).length > 0 || Object.keys(plan.productChanges).length > 0
    plan.outcomes.push({ row: row.row, outcome: changed ? 'updated' : 'unchanged' })
  }
  return errors.length > 0 ? { errors: errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field)) } : { plan }
}
