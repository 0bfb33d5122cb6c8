// Product images: upload (multipart files or a URL fetched under SSRF rules), list, read, update, delete, re-index.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, ne } from 'drizzle-orm'
import { IMAGE_STATUSES, productImages } from '../../db/schema/catalog'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonResponse } from '../../lib/openapi'
import { checkFetched, fetchRemoteImage, type RemoteFetchLimits } from '../../media/fetch-url'
import {
  assertProduct,
  assertVariantOfProduct,
  imageJson,
  listImages,
  loadImage,
  MAX_FILES_PER_REQUEST,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
  requestIndexing,
  storeImages,
  thumbnailsOf,
  validateImage,
} from '../../media/images'
import { MAX_IMAGE_PIXELS } from '../../media/formats'
import { allMediaKeys } from '../../media/keys'
import { dohResolver } from '../../media/resolver'
import { requireScope } from '../../middleware/authenticate'
import { refreshCentroidsAfter } from '../../search/centroid-refresh'

/** URL uploads: one deadline for DNS, every redirect and the body; at most 3 redirects, each re-checked. */
const URL_FETCH_LIMITS: RemoteFetchLimits = { maxBytes: MAX_IMAGE_BYTES, timeoutMs: 10_000, maxRedirects: 3 }

const ProductParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const ImageParams = ProductParam.extend({ imageId: z.uuid().openapi({ param: { name: 'imageId', in: 'path' } }) })

const FileSchema = z.custom<File>((value) => value instanceof File, 'expected a file').openapi({ type: 'string', format: 'binary' })
const UploadFormSchema = z
  .object({
    file: z.union([FileSchema, z.array(FileSchema).min(1).max(MAX_FILES_PER_REQUEST)]).openapi({ description: `One to ${MAX_FILES_PER_REQUEST} image files (repeat the field)` }),
    alt: z.string().max(500).optional(),
  })
  .openapi('ImageUploadForm')
const UploadUrlSchema = z
  .object({
    url: z.string().min(1).max(2048).openapi({ description: 'http(s) URL of a public image', example: 'https://example.com/watch.jpg' }),
    alt: z.string().max(500).nullable().optional(),
  })
  .openapi('ImageUploadUrl')
const ImagePatchSchema = z
  .object({
    alt: z.string().max(500).nullable(),
    position: z.number().int().min(0).max(100_000),
    primary: z.boolean().openapi({ description: 'true makes this the only primary image of the product' }),
    variantId: z.uuid().nullable().openapi({ description: 'A variant of the same product, or null' }),
  })
  .partial()
  .openapi('ImagePatch')

const ImageSchema = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    variantId: z.uuid().nullable(),
    status: z.enum(IMAGE_STATUSES).openapi({ description: 'pending until the CLIP service has indexed it' }),
    failureReason: z.string().nullable(),
    url: z.string().openapi({ description: 'Path of the original under /v1/media' }),
    thumbnails: z.object({ small: z.string().optional(), large: z.string().optional() }).openapi({ description: '300 px and 1200 px WebP, once they exist' }),
    contentType: z.string(),
    bytes: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    sha256: z.string(),
    position: z.number().int(),
    alt: z.string().nullable(),
    isPrimary: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ProductImage')

const one = (description: string) => jsonResponse(description, ImageSchema)
const many = (description: string) => ({ description, content: { 'application/json': { schema: z.object({ data: z.array(ImageSchema) }) } } })

const upload = createRoute({
  method: 'post',
  path: '/v1/products/{id}/images',
  tags: ['Catalog'],
  summary: 'Add images: multipart files or a URL to fetch',
  description: `JPEG, PNG, WebP or AVIF by content (not name), each at most ${MAX_IMAGE_BYTES} bytes, ${MAX_IMAGE_SIDE} px per side and ${MAX_IMAGE_PIXELS} pixels, at most ${MAX_FILES_PER_REQUEST} files and 11 MB per request. New images are \`pending\` until indexed.`,
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: {
    params: ProductParam,
    body: { required: false, content: { 'multipart/form-data': { schema: UploadFormSchema }, 'application/json': { schema: UploadUrlSchema } } },
  },
  responses: {
    201: many('Stored, pending indexing'),
    400: errorResponse(`Invalid request, refused URL (with a reason), unreadable header, more than ${MAX_IMAGE_SIDE} px per side or more than ${MAX_IMAGE_PIXELS} pixels`),
    404: errorResponse('No such product'),
    413: errorResponse('A file or the body is too large'),
    415: errorResponse('Not a JPEG, PNG, WebP or AVIF image'),
  },
})
const list = createRoute({
  method: 'get',
  path: '/v1/products/{id}/images',
  tags: ['Catalog'],
  summary: "A product's images in display order",
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: ProductParam },
  responses: { 200: many('Images'), 404: errorResponse('No such product') },
})
const get = createRoute({
  method: 'get',
  path: '/v1/products/{id}/images/{imageId}',
  tags: ['Catalog'],
  summary: 'One image, with the thumbnails that exist',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: ImageParams },
  responses: { 200: one('The image'), 404: errorResponse('No such image') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/products/{id}/images/{imageId}',
  tags: ['Catalog'],
  summary: 'Update alt text, position, primary flag or variant',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ImageParams, body: { required: true, content: { 'application/json': { schema: ImagePatchSchema } } } },
  responses: { 200: one('Updated'), 400: errorResponse('Variant of another product'), 404: errorResponse('No such image') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/products/{id}/images/{imageId}',
  tags: ['Catalog'],
  summary: 'Delete an image: its row, vector, original and thumbnails',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ImageParams },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such image') },
})
const reindex = createRoute({
  method: 'post',
  path: '/v1/products/{id}/images/{imageId}/reindex',
  tags: ['Catalog'],
  summary: 'Send the image to the CLIP service again; a failed image becomes pending',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ImageParams },
  responses: { 202: one('Queued'), 404: errorResponse('No such image') },
})

const isJson = (contentType: string | undefined) => /^application\/([a-z0-9.+-]*\+)?json/i.test(contentType ?? '')
const isMultipart = (contentType: string | undefined) => /^multipart\/form-data/i.test(contentType ?? '')

export const imageRoutes = createRouter()
  .openapi(upload, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    const db = c.var.db.get()
    const contentType = c.req.header('content-type')
    if (!isJson(contentType) && !isMultipart(contentType)) {
      throw new ApiError('invalid_request', 'Send multipart/form-data with "file" fields, or JSON {"url"}')
    }
    await assertProduct(db, caller.tenantId, id)
    const input = isJson(contentType) ? c.req.valid('json') : c.req.valid('form')
    const images =
      'url' in input
        ? [checkFetched(await fetchRemoteImage(input.url, dohResolver(c.env.DNS_RESOLVER_URL), URL_FETCH_LIMITS), (bytes) => validateImage(bytes, 'the image at the URL'))]
        : await Promise.all(
            (Array.isArray(input.file) ? input.file : [input.file]).map(async (file, i) => validateImage(new Uint8Array(await file.arrayBuffer()), file.name || `file ${i + 1}`)),
          )
    const rows = await storeImages(db, c.env.MEDIA, caller, id, images, input.alt ?? null)
    for (const row of rows) c.executionCtx.waitUntil(requestIndexing(c.env, caller.tenantId, row.id))
    return c.json({ data: rows.map((row) => imageJson(row, {})) }, 201)
  })
  .openapi(list, async (c) => {
    const { id } = c.req.valid('param')
    const db = c.var.db.get()
    await assertProduct(db, c.var.caller.tenantId, id)
    const rows = await listImages(db, c.var.caller.tenantId, id)
    return c.json({ data: await Promise.all(rows.map(async (row) => imageJson(row, await thumbnailsOf(row)))) }, 200)
  })
  .openapi(get, async (c) => {
    const { id, imageId } = c.req.valid('param')
    const row = await loadImage(c.var.db.get(), c.var.caller.tenantId, id, imageId)
    return c.json(imageJson(row, await thumbnailsOf(row, c.env.MEDIA)), 200)
  })
  .openapi(patch, async (c) => {
    const { id, imageId } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await loadImage(db, caller.tenantId, id, imageId)
    if (input.variantId) await assertVariantOfProduct(db, caller.tenantId, id, input.variantId)
    const { primary, ...fields } = input
    await db.transaction(async (tx) => {
      if (primary) await tx.update(productImages).set({ isPrimary: false, updatedAt: new Date() }).where(and(eq(productImages.productId, id), ne(productImages.id, imageId), eq(productImages.isPrimary, true)))
      await tx
        .update(productImages)
        .set({ ...fields, ...(primary === undefined ? {} : { isPrimary: primary }), updatedAt: new Date() })
        .where(and(eq(productImages.id, imageId), eq(productImages.tenantId, caller.tenantId)))
      await recordAudit(tx, caller, { action: 'image.updated', targetType: 'image', targetId: imageId, details: { productId: id, fields: Object.keys(input) } })
    })
    const row = await loadImage(db, caller.tenantId, id, imageId)
    return c.json(imageJson(row, await thumbnailsOf(row, c.env.MEDIA)), 200)
  })
  .openapi(remove, async (c) => {
    const { id, imageId } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx
        .delete(productImages)
        .where(and(eq(productImages.id, imageId), eq(productImages.productId, id), eq(productImages.tenantId, caller.tenantId)))
        .returning({ isPrimary: productImages.isPrimary })
      if (!deleted) throw new ApiError('not_found', 'No image with this id on this product')
      if (deleted.isPrimary) {
        const [next] = await tx.select({ id: productImages.id }).from(productImages).where(eq(productImages.productId, id)).orderBy(asc(productImages.position)).limit(1)
        if (next) await tx.update(productImages).set({ isPrimary: true, updatedAt: new Date() }).where(eq(productImages.id, next.id))
      }
      await recordAudit(tx, caller, { action: 'image.deleted', targetType: 'image', targetId: imageId, details: { productId: id } })
    })
    await c.env.MEDIA.delete(allMediaKeys(caller.tenantId, imageId))
    refreshCentroidsAfter(c, caller.tenantId, id)
    return c.body(null, 204)
  })
  .openapi(reindex, async (c) => {
    const { id, imageId } = c.req.valid('param')
    const caller = c.var.caller
    const db = c.var.db.get()
    await loadImage(db, caller.tenantId, id, imageId)
    await db
      .update(productImages)
      .set({ status: 'pending', failureReason: null, updatedAt: new Date() })
      .where(and(eq(productImages.id, imageId), eq(productImages.tenantId, caller.tenantId), eq(productImages.status, 'failed')))
    c.executionCtx.waitUntil(requestIndexing(c.env, caller.tenantId, imageId))
    const row = await loadImage(db, caller.tenantId, id, imageId)
    return c.json(imageJson(row, await thumbnailsOf(row, c.env.MEDIA)), 202)
  })
