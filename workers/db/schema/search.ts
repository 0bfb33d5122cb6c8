// Visual and text search state: per-category centroids for category detection, cached query embeddings, and the
// search log behind the analytics.
import { boolean, index, integer, pgTable, primaryKey, real, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core'
import { categories, EMBEDDING_DIMENSIONS } from './catalog'
import { tenants } from './tenants'

export const SEARCH_KINDS = ['image', 'text', 'similar'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

/** The normalised mean of the image vectors of a category's products (its descendants' products included). */
export const categoryCentroids = pgTable(
  'category_centroids',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    centroid: vector('centroid', { dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    imageCount: integer('image_count').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.categoryId] })],
)

/**
 * Query embeddings by tenant, model and key (an image's sha256 or the normalised text), so a repeated query skips
 * inference. Per tenant on purpose: a shared cache would tell one tenant (by hit rate or latency) what others search.
 */
export const queryEmbeddings = pgTable(
  'query_embeddings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    model: text('model').notNull(),
    key: text('key').notNull(),
    embedding: vector('embedding', { dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.model, t.key] })],
)

export const searchLog = pgTable(
  'search_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: SEARCH_KINDS }).notNull(),
    /** The normalised text of a text search; null for image searches. */
    queryText: text('query_text'),
    resultCount: integer('result_count').notNull(),
    topScore: real('top_score'),
    detectedCategoryId: uuid('detected_category_id'),
    tookMs: integer('took_ms').notNull(),
    cacheHit: boolean('cache_hit').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('search_log_tenant_created_idx').on(t.tenantId, t.createdAt)],
)
