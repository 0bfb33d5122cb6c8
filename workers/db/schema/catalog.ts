// The catalog: a category tree, products with variants, per-tenant attribute definitions, and product images.
import { sql, type SQL } from 'drizzle-orm'
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  vector,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const PRODUCT_STATUSES = ['draft', 'active', 'archived'] as const
export type ProductStatus = (typeof PRODUCT_STATUSES)[number]
export const ATTRIBUTE_TYPES = ['text', 'number', 'list', 'date', 'boolean'] as const
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number]
export const ATTRIBUTE_TARGETS = ['product', 'variant'] as const
export type AttributeTarget = (typeof ATTRIBUTE_TARGETS)[number]
export const IMAGE_STATUSES = ['pending', 'ready', 'failed'] as const
export type ImageStatus = (typeof IMAGE_STATUSES)[number]

/** Width of CLIP ViT-B/16 image and text embeddings. */
export const EMBEDDING_DIMENSIONS = 512

/** Attribute values as stored: JSON scalars or lists of them, keyed by the definition's key. */
export type AttributeValues = Record<string, string | number | boolean | string[] | null>

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description'),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('categories_tenant_slug_key').on(t.tenantId, t.slug), index('categories_parent_idx').on(t.tenantId, t.parentId, t.position)],
)

export const attributeDefinitions = pgTable(
  'attribute_definitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: ATTRIBUTE_TYPES }).notNull(),
    /** Lists only: several options may be chosen. */
    multiple: boolean('multiple').notNull().default(false),
    options: text('options').array().notNull().default(sql`'{}'::text[]`),
    required: boolean('required').notNull().default(false),
    position: integer('position').notNull().default(0),
    appliesTo: text('applies_to', { enum: ATTRIBUTE_TARGETS }).notNull().default('product'),
    ...timestamps,
  },
  (t) => [uniqueIndex('attribute_definitions_key').on(t.tenantId, t.appliesTo, t.key)],
)

function searchDocument(): SQL {
  return sql`setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(brand, '')), 'B') || setweight(to_tsvector('simple', coalesce(description, '')), 'C')`
}

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description'),
    status: text('status', { enum: PRODUCT_STATUSES }).notNull().default('draft'),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    brand: text('brand'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    seoTitle: text('seo_title'),
    seoDescription: text('seo_description'),
    attributes: jsonb('attributes').$type<AttributeValues>().notNull().default({}),
    search: tsvector('search').generatedAlwaysAs(searchDocument),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('products_tenant_slug_key').on(t.tenantId, t.slug),
    index('products_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('products_tenant_status_idx').on(t.tenantId, t.status, t.categoryId),
    index('products_search_idx').using('gin', t.search),
    index('products_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('products_attributes_idx').using('gin', sql`${t.attributes} jsonb_path_ops`),
  ],
)

export const variants = pgTable(
  'variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name'),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    /** Money in integer minor units of `currency` (ISO 4217). */
    price: integer('price').notNull(),
    compareAtPrice: integer('compare_at_price'),
    cost: integer('cost'),
    currency: text('currency').notNull(),
    weightGrams: integer('weight_grams'),
    barcode: text('barcode'),
    attributes: jsonb('attributes').$type<AttributeValues>().notNull().default({}),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('variants_tenant_sku_key').on(t.tenantId, t.sku),
    index('variants_product_idx').on(t.productId, t.position),
    index('variants_tenant_price_idx').on(t.tenantId, t.price),
    index('variants_sku_trgm_idx').using('gin', sql`${t.sku} gin_trgm_ops`),
  ],
)

export const productImages = pgTable(
  'product_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').references(() => variants.id, { onDelete: 'set null' }),
    r2Key: text('r2_key').notNull(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    position: integer('position').notNull().default(0),
    alt: text('alt'),
    isPrimary: boolean('is_primary').notNull().default(false),
    embedding: vector('embedding', { dimensions: EMBEDDING_DIMENSIONS }),
    status: text('status', { enum: IMAGE_STATUSES }).notNull().default('pending'),
    failureReason: text('failure_reason'),
    /** When the 300 px and 1,200 px thumbnails were written; independent of `status`, which is the embedding's. */
    thumbnailsAt: timestamp('thumbnails_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position), index('product_images_tenant_status_idx').on(t.tenantId, t.status)],
)
