// One search from options to answer: filters resolved, quota consumed, the query vector obtained, the category
// detected, the nearest images grouped by product, the results loaded, and the search logged.
import { z } from '@hono/zod-openapi'
import { categoryWithDescendants } from '../catalog/categories'
import { catalogDefinitions } from '../catalog/products'
import type { Database } from '../db/client'
import type { SearchKind } from '../db/schema/search'
import { attributeFilters } from '../routes/products/products'
import { detectCategory, type DetectedCategory } from './detect'
import { logSearch } from './log'
import type { SearchFilters, SearchOptions } from './options'
import { chargedFor, consumeMonthlyQuota } from '../auth/monthly-quota'
import type { QueryVector } from './query-embedding'
import { hydrateResults, SearchResultSchema, type SearchResult } from './results'
import { bestPerProduct, imageLimit, nearestImages } from './vector-query'

export const DetectedCategorySchema = z
  .object({ id: z.uuid(), name: z.string(), score: z.number(), margin: z.number().openapi({ description: 'Score minus the runner-up category’s score' }) })
  .openapi('DetectedCategory')

export const SearchResponseSchema = z
  .object({ results: z.array(SearchResultSchema), category: DetectedCategorySchema.nullable(), tookMs: z.number() })
  .openapi('SearchResponse')

/** The answer of every search endpoint. */
export interface SearchResponse {
  results: SearchResult[]
  category: DetectedCategory | null
  tookMs: number
}

/** What a search is about, beyond its options. */
export interface SearchContext {
  env: Env
  db: Database
  tenantId: string
  kind: SearchKind
  /** The normalised text of a text search, logged for the top-queries report. */
  queryText: string | null
  /** A product the results must not contain (the product whose look-alikes are asked for). */
  excludeProductId?: string
}

async function resolveFilters(db: Database, tenantId: string, options: SearchOptions, excludeProductId: string | undefined): Promise<SearchFilters> {
  const attributes = options.attr.length === 0 ? [] : attributeFilters(options.attr, await catalogDefinitions(db, tenantId))
  return {
    categoryIds: options.categoryId ? await categoryWithDescendants(db, tenantId, options.categoryId) : undefined,
    attributes,
    minPrice: options.minPrice,
    maxPrice: options.maxPrice,
    inStock: options.inStock,
    includeInactive: options.includeInactive,
    excludeProductId,
  }
}

async function restrictTo(db: Database, tenantId: string, filters: SearchFilters, category: DetectedCategory): Promise<SearchFilters> {
  const detected = await categoryWithDescendants(db, tenantId, category.id)
  const categoryIds = filters.categoryIds ? filters.categoryIds.filter((id) => detected.includes(id)) : detected
  return { ...filters, categoryIds }
}

/** The query vector's nearest products under `filters`, and the category detected from it. */
async function findNearest(context: SearchContext, options: SearchOptions, filters: SearchFilters, queryVector: () => Promise<QueryVector | null>) {
  const { db, tenantId } = context
  const query = await queryVector()
  if (!query) return { query, category: null, results: [] }
  const category = options.detect === 'off' ? null : await detectCategory(db, tenantId, query.vector)
  const scoped = options.detect === 'restrict' && category ? await restrictTo(db, tenantId, filters, category) : filters
  const { hits } = await nearestImages(db, tenantId, scoped, query.vector, imageLimit(options.topK))
  return { query, category, results: await hydrateResults(db, tenantId, bestPerProduct(hits, options.topK, options.minScore)) }
}

/**
 * Runs a search; `queryVector` is only called once the request is valid and the quota allows it. A search that fails
 * (the model unavailable, say) gives its unit of quota back: only work done is charged.
 */
export async function runSearch(context: SearchContext, options: SearchOptions, queryVector: () => Promise<QueryVector | null>): Promise<SearchResponse> {
  const started = performance.now()
  const { env, db, tenantId } = context
  const filters = await resolveFilters(db, tenantId, options, context.excludeProductId)
  const hold = await consumeMonthlyQuota(env, () => db, tenantId, 'searches')
  const { query, category, results } = await chargedFor(hold, () => findNearest(context, options, filters, queryVector))
  const tookMs = Math.round((performance.now() - started) * 10) / 10
  await logSearch(db, {
    tenantId,
    kind: context.kind,
    queryText: context.queryText,
    resultCount: results.length,
    topScore: results[0]?.score ?? null,
    detectedCategoryId: category?.id ?? null,
    tookMs,
    cacheHit: query?.cacheHit ?? false,
  })
  return { results, category, tookMs }
}
