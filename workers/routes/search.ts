// Visual and text product search: by image (multipart, raw bytes, base64 or URL), by text through CLIP's text tower,
// and look-alikes of a product from its stored vectors; all grouped by product with category detection.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import type { Database } from '../db/client'
import { products } from '../db/schema/catalog'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { assertProduct, MAX_IMAGE_BYTES } from '../media/images'
import { requireScope } from '../middleware/authenticate'
import { allowStorefront, isPublishable } from '../middleware/storefront'
import { queryImage, jsonQueryImage } from '../search/input'
import { resolveOptions, SearchOptionsSchema, type SearchOptions } from '../search/options'
import { imageQueryVector, normaliseQueryText, textQueryVector } from '../search/query-embedding'
import { runSearch, SearchResponseSchema, type SearchResponse } from '../search/run'
import { SeedSearchFormSchema, SeedSearchResponseSchema, seedResponse } from '../search/seed'
import { productQueryVector } from '../search/stored-vector'
import type { ValidImage } from '../media/images'

const FileSchema = z.custom<File>((value) => value instanceof File, 'expected a file').openapi({ type: 'string', format: 'binary' })
const ImageFormSchema = z.object({ image: FileSchema }).openapi('SearchImageForm')
const ImageJsonSchema = SearchOptionsSchema.extend({
  imageBase64: z.string().min(1).optional().openapi({ description: 'Base64 image bytes (a data: URL prefix is accepted); the JSON body is capped at 1 MB' }),
  url: z.string().min(1).max(2048).optional().openapi({ description: 'http(s) URL of a public image, fetched under the upload rules' }),
}).openapi('SearchImageJson')
const TextJsonSchema = SearchOptionsSchema.extend({ query: z.string().trim().min(1).max(500).openapi({ example: 'red leather strap' }) }).openapi('SearchTextJson')
/** Raw bytes are read by the handler, never parsed: typed `never` so they add nothing to the parsed body types. */
const RawImageSchema = z.custom<never>(() => true).openapi({ type: 'string', format: 'binary' })
const ProductParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

const searchErrors = {
  400: errorResponse('Invalid options, no image, unreadable image or refused URL'),
  429: errorResponse('Monthly search quota used up (`quota_exceeded`, with the plan) or the embedding service is busy (`rate_limited`, Retry-After)'),
  503: errorResponse('The embedding service is unreachable (`service_unavailable`) or has no model (`model_unavailable`)'),
}

const imageSearch = createRoute({
  method: 'post',
  path: '/v1/search/image',
  tags: ['Search'],
  summary: 'Products that look like an image (a publishable key sees active products only)',
  description: `The image as multipart \`image\`, raw bytes (Content-Type image/*), JSON \`{imageBase64}\` or JSON \`{url}\`; JPEG, PNG, WebP or AVIF up to ${MAX_IMAGE_BYTES} bytes. Options in the query string (or the JSON body). Counts against the monthly search quota.`,
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: {
    query: SearchOptionsSchema,
    body: {
      required: false,
      content: {
        'multipart/form-data': { schema: ImageFormSchema },
        'application/json': { schema: ImageJsonSchema },
        'image/*': { schema: RawImageSchema },
      },
    },
  },
  responses: { 200: jsonResponse('Results, best first', SearchResponseSchema), ...searchErrors, 413: errorResponse('Image too large'), 415: errorResponse('Not a supported image') },
})
const textSearch = createRoute({
  method: 'post',
  path: '/v1/search/text',
  tags: ['Search'],
  summary: 'Products whose images match a text (CLIP text tower; a publishable key sees active products only)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { query: SearchOptionsSchema, body: jsonBody(TextJsonSchema) },
  responses: { 200: jsonResponse('Results, best first', SearchResponseSchema), ...searchErrors },
})
const similar = createRoute({
  method: 'get',
  path: '/v1/products/{id}/similar',
  tags: ['Search'],
  summary: 'Products that look like this one, from its stored image vectors (no inference; a publishable key: active products only)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { params: ProductParam, query: SearchOptionsSchema },
  responses: { 200: jsonResponse('Look-alikes, best first; empty until the product has an indexed image', SearchResponseSchema), ...searchErrors, 404: errorResponse('No such product') },
})
const seedSearch = createRoute({
  method: 'post',
  path: '/api/search',
  tags: ['Search (seed-compatible)'],
  summary: "The seed's visual search: a multipart image, ranked products with similarity and the detected category",
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: SearchOptionsSchema, body: { required: true, content: { 'multipart/form-data': { schema: SeedSearchFormSchema } } } },
  responses: { 200: jsonResponse('Results in the seed’s field names', SeedSearchResponseSchema), ...searchErrors, 415: errorResponse('Not a supported image') },
})

/** A publishable key searches the storefront: active products only, whatever `include_inactive` says. */
function forCaller(c: Context<AppEnv>, options: SearchOptions): SearchOptions {
  return isPublishable(c.var.caller) ? { ...options, includeInactive: false } : options
}

/** A storefront sees no draft or archived product: the same 404 as a missing one. */
async function assertActiveProduct(db: Database, tenantId: string, productId: string): Promise<void> {
  const [found] = await db.select({ status: products.status }).from(products).where(and(eq(products.id, productId), eq(products.tenantId, tenantId)))
  if (found?.status !== 'active') throw new ApiError('not_found', 'No product with this id')
}

const contentTypeOf = (c: Context<AppEnv>) => (c.req.header('content-type') ?? '').toLowerCase()

async function fileImage(file: File): Promise<ValidImage> {
  return queryImage(new Uint8Array(await file.arrayBuffer()), file.name || 'image')
}

function searchImage(c: Context<AppEnv>, options: SearchOptions, image: ValidImage): Promise<SearchResponse> {
  const db = c.var.db.get()
  return runSearch({ env: c.env, db, tenantId: c.var.caller.tenantId, kind: 'image', queryText: null }, forCaller(c, options), () => imageQueryVector(c.env, db, c.var.caller.tenantId, image.bytes, image.contentType))
}

export const searchRoutes = createRouter()
  .openapi(imageSearch, async (c) => {
    const contentType = contentTypeOf(c)
    const query = c.req.valid('query')
    if (contentType.startsWith('image/')) return c.json(await searchImage(c, resolveOptions(query), queryImage(new Uint8Array(await c.req.arrayBuffer()))), 200)
    const isJson = /^application\/([a-z0-9.+-]*\+)?json/.test(contentType)
    if (!isJson && !contentType.startsWith('multipart/form-data')) {
      throw new ApiError('unsupported_media_type', 'Send the image as multipart/form-data, image/* bytes or JSON', { details: { accepted: ['multipart/form-data', 'image/*', 'application/json'] } })
    }
    const input = isJson ? c.req.valid('json') : c.req.valid('form')
    if ('image' in input) return c.json(await searchImage(c, resolveOptions(query), await fileImage(input.image)), 200)
    const { imageBase64, url, ...options } = input
    const image = await jsonQueryImage(c.env, { imageBase64, url })
    return c.json(await searchImage(c, resolveOptions(query, options), image), 200)
  })
  .openapi(textSearch, async (c) => {
    const { query: text, ...options } = c.req.valid('json')
    const db = c.var.db.get()
    const context = { env: c.env, db, tenantId: c.var.caller.tenantId, kind: 'text' as const, queryText: normaliseQueryText(text) }
    return c.json(await runSearch(context, forCaller(c, resolveOptions(c.req.valid('query'), options)), () => textQueryVector(c.env, db, context.tenantId, text)), 200)
  })
  .openapi(similar, async (c) => {
    const { id } = c.req.valid('param')
    const db = c.var.db.get()
    const tenantId = c.var.caller.tenantId
    await assertProduct(db, tenantId, id)
    if (isPublishable(c.var.caller)) await assertActiveProduct(db, tenantId, id)
    const context = { env: c.env, db, tenantId, kind: 'similar' as const, queryText: null, excludeProductId: id }
    return c.json(await runSearch(context, forCaller(c, resolveOptions(c.req.valid('query'))), () => productQueryVector(db, tenantId, id)), 200)
  })
  .openapi(seedSearch, async (c) => {
    const form = c.req.valid('form')
    const options = resolveOptions(c.req.valid('query'), { top_k: form.limit })
    const answer = await searchImage(c, options, await fileImage(form.image))
    return c.json(seedResponse(answer), 200)
  })
