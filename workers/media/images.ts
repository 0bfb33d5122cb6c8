// Product images: validating uploaded bytes, writing originals to R2 and rows to Postgres, serialising rows for the
// API, and handing new images to the CLIP service for indexing.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Caller } from '../auth/context'
import type { Database } from '../db/client'
import { productImages, products, variants } from '../db/schema/catalog'
import { recordAudit } from '../lib/audit'
import { clipFetch } from '../lib/clip-client'
import { ApiError } from '../lib/errors'
import { CONTENT_TYPES, imageDimensions, MAX_IMAGE_PIXELS, sniffImageFormat } from './formats'
import { allMediaKeys, MEDIA_FILES, mediaKey, mediaUrl } from './keys'

/** Largest accepted image, per file (the CLIP service accepts the same). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** Longest accepted side in pixels; larger images (or more than MAX_IMAGE_PIXELS in all) answer 400 before anything is stored. */
export const MAX_IMAGE_SIDE = 8000
/** Most files one upload request may carry (the whole body is also capped by the body-size middleware). */
export const MAX_FILES_PER_REQUEST = 20

export type ImageRow = typeof productImages.$inferSelect

/** An upload that passed validation, ready to store. */
export interface ValidImage {
  bytes: Uint8Array
  contentType: string
  width: number
  height: number
}

/** Checks one upload by magic bytes, size and header dimensions; 415, 413 or 400 naming the file. */
export function validateImage(bytes: Uint8Array, label: string): ValidImage {
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new ApiError('payload_too_large', `${label} is larger than ${MAX_IMAGE_BYTES} bytes`, { details: { file: label, bytes: bytes.byteLength, maxBytes: MAX_IMAGE_BYTES } })
  }
  const format = sniffImageFormat(bytes)
  if (!format) {
    throw new ApiError('unsupported_media_type', `${label} is not a JPEG, PNG, WebP or AVIF image`, { details: { file: label, accepted: Object.values(CONTENT_TYPES) } })
  }
  const size = imageDimensions(bytes, format)
  if (!size) throw new ApiError('invalid_request', `${label} looks like ${format} but its header is unreadable`, { details: [{ in: 'body', path: label, message: 'unreadable image header', code: 'invalid_image' }] })
  const pixels = size.width * size.height
  const excess =
    size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE
      ? `${size.width}×${size.height} px exceeds the ${MAX_IMAGE_SIDE} px limit per side`
      : pixels > MAX_IMAGE_PIXELS
        ? `${size.width}×${size.height} px is ${pixels} pixels, over the ${MAX_IMAGE_PIXELS} pixel limit`
        : undefined
  if (excess) throw new ApiError('invalid_request', `${label} is too large: ${excess}`, { details: [{ in: 'body', path: label, message: excess, code: 'too_many_pixels' }] })
  return { bytes, contentType: CONTENT_TYPES[format], ...size }
}

async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** 404 unless the product belongs to the tenant. */
export async function assertProduct(db: Database, tenantId: string, productId: string): Promise<void> {
  const [found] = await db.select({ id: products.id }).from(products).where(and(eq(products.id, productId), eq(products.tenantId, tenantId)))
  if (!found) throw new ApiError('not_found', 'No product with this id')
}

/** Writes the originals to R2, then the rows (appended, pending; the first image of a product becomes primary) in one transaction. */
export async function storeImages(db: Database, bucket: R2Bucket, caller: Caller, productId: string, images: ValidImage[], alt: string | null = null): Promise<ImageRow[]> {
  const tenantId = caller.tenantId
  const prepared = await Promise.all(images.map(async (image) => ({ ...image, id: crypto.randomUUID(), sha256: await sha256OfBytes(image.bytes) })))
  await Promise.all(
    prepared.map((image) =>
      bucket.put(mediaKey(tenantId, image.id, MEDIA_FILES.original), image.bytes, {
        httpMetadata: { contentType: image.contentType },
        customMetadata: { sha256: image.sha256 },
      }),
    ),
  )
  try {
    return await db.transaction(async (tx) => {
      // Uploads to one product are serialised on its row, so concurrent requests never both take position n or both become primary.
      await tx.execute(sql`select 1 from ${products} where ${products.id} = ${productId} and ${products.tenantId} = ${tenantId} for update`)
      const [current] = await tx
        .select({ next: sql<number>`coalesce(max(${productImages.position}) + 1, 0)::int`, primaries: sql<number>`count(*) filter (where ${productImages.isPrimary})::int` })
        .from(productImages)
        .where(and(eq(productImages.productId, productId), eq(productImages.tenantId, tenantId)))
      const next = current?.next ?? 0
      const hasPrimary = (current?.primaries ?? 0) > 0
      const rows = await tx
        .insert(productImages)
        .values(
          prepared.map((image, i) => ({
            id: image.id,
            tenantId,
            productId,
            r2Key: mediaKey(tenantId, image.id, MEDIA_FILES.original),
            sha256: image.sha256,
            contentType: image.contentType,
            bytes: image.bytes.byteLength,
            width: image.width,
            height: image.height,
            position: next + i,
            alt,
            isPrimary: !hasPrimary && i === 0,
          })),
        )
        .returning()
      for (const row of rows) {
        await recordAudit(tx, caller, { action: 'image.created', targetType: 'image', targetId: row.id, details: { productId, bytes: row.bytes, contentType: row.contentType } })
      }
      return rows.sort((a, b) => a.position - b.position)
    })
  } catch (error) {
    await bucket.delete(prepared.flatMap((image) => allMediaKeys(tenantId, image.id)))
    throw error
  }
}

/** Loads one image of one product of the tenant, or 404. */
export async function loadImage(db: Database, tenantId: string, productId: string, imageId: string): Promise<ImageRow> {
  const [row] = await db
    .select()
    .from(productImages)
    .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId), eq(productImages.tenantId, tenantId)))
  if (!row) throw new ApiError('not_found', 'No image with this id on this product')
  return row
}

/** A product's images in display order. */
export async function listImages(db: Database, tenantId: string, productId: string): Promise<ImageRow[]> {
  return db
    .select()
    .from(productImages)
    .where(and(eq(productImages.productId, productId), eq(productImages.tenantId, tenantId)))
    .orderBy(asc(productImages.position), asc(productImages.createdAt))
}

/** 400 unless `variantId` is a variant of the same product. */
export async function assertVariantOfProduct(db: Database, tenantId: string, productId: string, variantId: string): Promise<void> {
  const [found] = await db
    .select({ id: variants.id })
    .from(variants)
    .where(and(eq(variants.id, variantId), eq(variants.productId, productId), eq(variants.tenantId, tenantId)))
  if (!found) {
    throw new ApiError('invalid_request', 'The variant is not one of this product', { details: [{ in: 'json', path: 'variantId', message: 'no variant with this id on this product', code: 'custom' }] })
  }
}

/** Which thumbnails exist: by `thumbnails_at` for lists (the CLIP service records it once both are written), by R2 head for one image. */
export async function thumbnailsOf(row: ImageRow, bucket?: R2Bucket): Promise<{ small?: string; large?: string }> {
  const keys = { small: mediaKey(row.tenantId, row.id, MEDIA_FILES.small), large: mediaKey(row.tenantId, row.id, MEDIA_FILES.large) }
  if (!bucket) return row.thumbnailsAt !== null ? { small: mediaUrl(keys.small), large: mediaUrl(keys.large) } : {}
  const [small, large] = await Promise.all([bucket.head(keys.small), bucket.head(keys.large)])
  return { ...(small ? { small: mediaUrl(keys.small) } : {}), ...(large ? { large: mediaUrl(keys.large) } : {}) }
}

/** Serialises an image row for the API; the embedding never leaves the database. */
export function imageJson(row: ImageRow, thumbnails: { small?: string; large?: string }) {
  return {
    id: row.id,
    productId: row.productId,
    variantId: row.variantId,
    status: row.status,
    failureReason: row.failureReason,
    url: mediaUrl(row.r2Key),
    thumbnails,
    contentType: row.contentType,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    position: row.position,
    alt: row.alt,
    isPrimary: row.isPrimary,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** Asks the CLIP service to index an image; failures are logged and the image stays pending until re-queued. */
export async function requestIndexing(env: Env, tenantId: string, imageId: string): Promise<void> {
  try {
    const res = await clipFetch(env, '/index', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId, imageId }) })
    await res.body?.cancel()
    if (!res.ok) throw new Error(`CLIP service answered ${res.status}`)
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', msg: 'image indexing not queued', tenantId, imageId, error: String(error) }))
  }
}
