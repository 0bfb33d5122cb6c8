// The options every search endpoint takes (top_k, min_score, category detection and filters), as zod schemas for the
// query string and JSON bodies, and their parsed form.
import { z } from '@hono/zod-openapi'
import type { AttributeValues } from '../db/schema/catalog'

export const DEFAULT_TOP_K = 20
export const MAX_TOP_K = 100
export const DETECT_MODES = ['auto', 'off', 'restrict'] as const
export type DetectMode = (typeof DETECT_MODES)[number]

const booleanText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')])

/** Search options; the same fields in the query string of every search endpoint and in JSON bodies. */
export const SearchOptionsSchema = z.object({
  top_k: z.coerce.number().int().min(1).max(MAX_TOP_K).optional().openapi({ description: `Products to return, 1–${MAX_TOP_K} (default ${DEFAULT_TOP_K})` }),
  min_score: z.coerce.number().min(0).max(1).optional().openapi({ description: 'Sensitivity: results below this cosine similarity are cut (default 0)' }),
  detect_category: z.enum(DETECT_MODES).optional().openapi({ description: 'auto: report the detected category; off: skip; restrict: also limit results to it (default auto)' }),
  category_id: z.uuid().optional().openapi({ description: 'Only products in this category or below it' }),
  min_price: z.coerce.number().int().min(0).optional().openapi({ description: 'Minor units; a product matches when an active variant is in range' }),
  max_price: z.coerce.number().int().min(0).optional(),
  in_stock: booleanText.optional().openapi({ type: 'boolean', description: 'Only products with an active variant available somewhere (inventory read model)' }),
  include_inactive: booleanText.optional().openapi({ type: 'boolean', description: 'Also draft and archived products (default: active only)' }),
  attr: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: 'Attribute filters as key:value, repeatable (attr=color:red&attr=size:M)' }),
})
export type SearchOptionsInput = z.infer<typeof SearchOptionsSchema>

/** Filters on the products a search may return. */
export interface SearchFilters {
  /** A category id and all its descendants; an empty list matches nothing. */
  categoryIds?: string[] | undefined
  attributes: AttributeValues[]
  minPrice?: number | undefined
  maxPrice?: number | undefined
  inStock: boolean
  includeInactive: boolean
  excludeProductId?: string | undefined
}

/** Options after defaults, with the category still to be expanded to its descendants. */
export interface SearchOptions {
  topK: number
  minScore: number
  detect: DetectMode
  categoryId?: string | undefined
  attr: string[]
  minPrice?: number | undefined
  maxPrice?: number | undefined
  inStock: boolean
  includeInactive: boolean
}

/** Merges query-string options with body options (the body wins) and applies the defaults. */
export function resolveOptions(query: SearchOptionsInput, body: SearchOptionsInput = {}): SearchOptions {
  const merged = { ...query, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) } as SearchOptionsInput
  const attr = merged.attr === undefined ? [] : Array.isArray(merged.attr) ? merged.attr : [merged.attr]
  return {
    topK: merged.top_k ?? DEFAULT_TOP_K,
    minScore: merged.min_score ?? 0,
    detect: merged.detect_category ?? 'auto',
    categoryId: merged.category_id,
    attr,
    minPrice: merged.min_price,
    maxPrice: merged.max_price,
    inStock: merged.in_stock ?? false,
    includeInactive: merged.include_inactive ?? false,
  }
}
