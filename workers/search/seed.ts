// The seed's `POST /api/search` answer shape (snake_case, `similarity`, `detected_category`), built from a search
// response so its storefront widget keeps working unchanged.
import { z } from '@hono/zod-openapi'
import { MAX_TOP_K } from './options'
import type { SearchResponse } from './run'

const FileSchema = z.custom<File>((value) => value instanceof File, 'expected a file').openapi({ type: 'string', format: 'binary' })

export const SeedSearchFormSchema = z
  .object({ image: FileSchema, limit: z.coerce.number().int().min(1).max(MAX_TOP_K).optional().openapi({ description: 'Products to return (default 20)' }) })
  .openapi('SeedSearchForm')

export const SeedSearchResponseSchema = z
  .object({
    success: z.literal(true),
    query_type: z.literal('image'),
    detected_category: z.object({ id: z.uuid(), name: z.string(), confidence: z.number(), margin: z.number() }).nullable(),
    results: z.array(
      z.object({
        product_id: z.uuid(),
        name: z.string(),
        slug: z.string(),
        category_id: z.uuid().nullable(),
        price: z.number().nullable().openapi({ description: 'Lowest active variant price, minor units' }),
        currency: z.string().nullable(),
        image_id: z.uuid(),
        image_url: z.string(),
        thumbnail_url: z.string(),
        similarity: z.number(),
      }),
    ),
    total_results: z.number().int(),
    processing_time_ms: z.number(),
  })
  .openapi('SeedSearchResponse')

/** Renames a search response into the seed's fields. */
export function seedResponse(answer: SearchResponse): z.infer<typeof SeedSearchResponseSchema> {
  const category = answer.category
  return {
    success: true,
    query_type: 'image',
    detected_category: category ? { id: category.id, name: category.name, confidence: category.score, margin: category.margin } : null,
    results: answer.results.map((r) => ({
      product_id: r.product.id,
      name: r.product.name,
      slug: r.product.slug,
      category_id: r.product.categoryId,
      price: r.product.price?.min ?? null,
      currency: r.product.price?.currency ?? null,
      image_id: r.image.id,
      image_url: r.image.url,
      thumbnail_url: r.image.thumbnails.small,
      similarity: r.score,
    })),
    total_results: answer.results.length,
    processing_time_ms: answer.tookMs,
  }
}
