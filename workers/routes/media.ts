// Serves image originals and thumbnails from R2 with long-lived caching. Images of active products are public so
// storefront <img> tags work without a key; any other image needs a read credential of the tenant that owns it.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { hasScope } from '../auth/scopes'
import { productImages, products } from '../db/schema/catalog'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../lib/openapi'
import { MEDIA_FILE_NAMES, mediaKey } from '../media/keys'
import { authenticate } from '../middleware/authenticate'

/** A year: objects never change under a key (a new upload gets a new image id), so caches may keep them. */
const CACHE_SECONDS = 31_536_000

/** OpenAPI: no credential needed (active products), or either credential of the owning tenant. */
const PUBLIC_OR_CREDENTIAL: Record<string, string[]>[] = [{}, ...ANY_CREDENTIAL]

const MediaParams = z.object({
  tenantId: z.uuid().openapi({ param: { name: 'tenantId', in: 'path' } }),
  imageId: z.uuid().openapi({ param: { name: 'imageId', in: 'path' } }),
  file: z.enum(MEDIA_FILE_NAMES).openapi({ param: { name: 'file', in: 'path' } }),
})

const route = createRoute({
  method: 'get',
  path: '/v1/media/t/{tenantId}/images/{imageId}/{file}',
  tags: ['Catalog'],
  summary: 'An image original or thumbnail (use the url fields of an image, not this path)',
  description: 'Public for active products; otherwise send a read credential of the owning tenant. Supports If-None-Match.',

  security: PUBLIC_OR_CREDENTIAL,
  request: { params: MediaParams },
  responses: {
    200: { description: 'The bytes', content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } } },
    304: { description: 'Not modified' },
    401: errorResponse('Not public and no credential'),
    404: errorResponse('No such image (or not this tenant)'),
  },
})

export const mediaRoutes = createRouter().openapi(route, async (c) => {
  const { tenantId, imageId, file } = c.req.valid('param')
  const [owner] = await c.var.db
    .get()
    .select({ productStatus: products.status })
    .from(productImages)
    .innerJoin(products, eq(products.id, productImages.productId))
    .where(and(eq(productImages.id, imageId), eq(productImages.tenantId, tenantId)))
  if (!owner) throw new ApiError('not_found', 'No such media')
  const isPublic = owner.productStatus === 'active'
  if (!isPublic) {
    await authenticate(c, async () => {})
    if (c.var.caller.tenantId !== tenantId) throw new ApiError('not_found', 'No such media')
    if (!hasScope(c.var.caller.scopes, 'read')) throw new ApiError('forbidden', 'This credential lacks the "read" scope')
  }

  const object = await c.env.MEDIA.get(mediaKey(tenantId, imageId, file), { onlyIf: c.req.raw.headers })
  if (!object) throw new ApiError('not_found', 'No such media')
  const headers = new Headers({
    etag: object.httpEtag,
    'cache-control': `${isPublic ? 'public' : 'private'}, max-age=${CACHE_SECONDS}, immutable`,
    'x-content-type-options': 'nosniff',
  })
  if (!('body' in object)) return c.body(null, 304, Object.fromEntries(headers))
  object.writeHttpMetadata(headers)
  headers.set('content-length', String(object.size))
  return c.body(object.body, 200, Object.fromEntries(headers))
})
