// One index job: write a product image's thumbnails first (so the image can be shown whether or not the model is up),
// then embed it (or reuse the vector of an identical upload), store the vector and mark the image ready (with its
// `image.indexed` event in the same statement), then refresh the centroids of the product's category.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../../../../workers/db/client'
import { EMBEDDING_DIMENSIONS } from '../../../../workers/db/schema/catalog'
import { MEDIA_FILES, mediaKey } from '../../../../workers/media/keys'
import { recomputeCentroidsForProduct } from '../../../../workers/search/centroids'
import { ApiError } from '../errors'
import { StoreError, type ObjectStore } from './object-store'
import { makeThumbnails } from './thumbnails'

/** What POST /index asks for. */
export interface IndexRequest {
  tenantId: string
  imageId: string
}

/** How a job ended: indexed with inference, indexed with a vector reused from the same bytes, or no such image. */
export type IndexOutcome = 'indexed' | 'reused' | 'missing'

/** What a job needs from the service. */
export interface IndexDependencies {
  db: Database
  store: ObjectStore
  /** Encoded image → unit-length embedding (the service's image pipeline). */
  embedImage: (bytes: Uint8Array) => Promise<Float32Array>
}

/** A failure with the reason recorded on the image when the retries run out. */
class IndexFailure extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'IndexFailure'
  }
}

/** Version of the `data` shape of `image.indexed` (`{version, imageId, productId, reused}`) and `image.failed` (`{version, imageId, productId, reason}`). */
const IMAGE_EVENT_VERSION = 1

/** Longest failure reason stored on an image. */
const MAX_REASON_LENGTH = 500

interface ImageRow {
  productId: string
  sha256: string
  hasThumbnails: boolean
}

/** pgvector's text form of a vector. */
function vectorLiteral(vector: Float32Array): string {
  if (vector.length !== EMBEDDING_DIMENSIONS) {
    throw new IndexFailure(`model_mismatch: the model yields ${vector.length} dimensions, the schema stores ${EMBEDDING_DIMENSIONS}`)
  }
  return `[${Array.from(vector).join(',')}]`
}

async function reusableVector(db: Database, job: IndexRequest, sha256: string): Promise<string | undefined> {
  const [row] = await queryRows<{ embedding: string }>(
    db,
    sql`select embedding::text as embedding from product_images
        where tenant_id = ${job.tenantId} and status = 'ready' and sha256 = ${sha256} and embedding is not null
        order by (id = ${job.imageId}) desc limit 1`,
  )
  return row?.embedding
}

async function embed(deps: IndexDependencies, original: Uint8Array): Promise<string> {
  try {
    return vectorLiteral(await deps.embedImage(original))
  } catch (error) {
    throw new IndexFailure(failureReason(error))
  }
}

async function writeThumbnails(store: ObjectStore, job: IndexRequest, original: Uint8Array): Promise<void> {
  const thumbnails = await makeThumbnails(original).catch((error: unknown) => {
    throw new IndexFailure(`decode_failed: ${error instanceof Error ? error.message : String(error)}`)
  })
  await Promise.all([
    store.put(mediaKey(job.tenantId, job.imageId, MEDIA_FILES.small), thumbnails.small, 'image/webp'),
    store.put(mediaKey(job.tenantId, job.imageId, MEDIA_FILES.large), thumbnails.large, 'image/webp'),
  ])
}

/**
 * Indexes one image of one tenant. Throws on failure (the queue retries). Thumbnails come first and are recorded at
 * once (`thumbnails_at`), so an image whose embedding waits for the model is still displayable; a retry skips them. A
 * vector already stored for the same bytes in the tenant (its sha256) is reused without inference.
 */
export async function indexImage(deps: IndexDependencies, job: IndexRequest): Promise<IndexOutcome> {
  const [image] = await queryRows<ImageRow>(
    deps.db,
    sql`select product_id as "productId", sha256, thumbnails_at is not null as "hasThumbnails"
        from product_images where id = ${job.imageId} and tenant_id = ${job.tenantId}`,
  )
  if (!image) return 'missing'
  const original = await deps.store.get(mediaKey(job.tenantId, job.imageId, MEDIA_FILES.original))
  if (!original) throw new IndexFailure('image_missing: the original is not in storage')
  if (!image.hasThumbnails) {
    await writeThumbnails(deps.store, job, original)
    await deps.db.execute(sql`update product_images set thumbnails_at = now() where id = ${job.imageId} and tenant_id = ${job.tenantId}`)
  }
  const reused = await reusableVector(deps.db, job, image.sha256)
  const vector = reused ?? (await embed(deps, original))
  await deps.db.execute(
    sql`with marked as (
          update product_images set embedding = ${vector}::vector, status = 'ready', failure_reason = null, updated_at = now()
          where id = ${job.imageId} and tenant_id = ${job.tenantId} returning id, tenant_id, product_id)
        insert into events (tenant_id, type, subject_type, subject_id, data)
        select tenant_id, 'image.indexed', 'image', id::text,
          jsonb_build_object('version', ${IMAGE_EVENT_VERSION}::int, 'imageId', id, 'productId', product_id, 'reused', ${reused !== undefined}::boolean)
        from marked`,
  )
  await recomputeCentroidsForProduct(deps.db, job.tenantId, image.productId)
  return reused ? 'reused' : 'indexed'
}

/** Marks an image failed with a reason, unless an earlier run already made it ready. */
export async function markFailed(db: Database, job: IndexRequest, reason: string): Promise<void> {
  const stored = reason.slice(0, MAX_REASON_LENGTH)
  await db.execute(
    sql`with marked as (
          update product_images set status = 'failed', failure_reason = ${stored}, updated_at = now()
          where id = ${job.imageId} and tenant_id = ${job.tenantId} and status <> 'ready' returning id, tenant_id, product_id)
        insert into events (tenant_id, type, subject_type, subject_id, data)
        select tenant_id, 'image.failed', 'image', id::text,
          jsonb_build_object('version', ${IMAGE_EVENT_VERSION}::int, 'imageId', id, 'productId', product_id, 'reason', ${stored}::text)
        from marked`,
  )
}

function pipelineReason(error: ApiError): string {
  const detail = typeof error.details === 'object' && error.details !== null && 'reason' in error.details ? String(error.details.reason) : error.message
  switch (error.status) {
    case 503:
      return 'model_unavailable'
    case 429:
      return 'queue_full'
    case 422:
      return `decode_failed: ${detail}`
    case 415:
      return 'unsupported_format'
    case 413:
      return `image_too_large: ${error.message}`
    default:
      return `invalid_image: ${error.message}`
  }
}

/** The reason recorded for a failure: a short code, then details where they help. */
export function failureReason(error: unknown): string {
  if (error instanceof IndexFailure) return error.reason
  if (error instanceof ApiError) return pipelineReason(error)
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof StoreError) return `storage_error: ${message}`
  return `internal: ${message}`
}
