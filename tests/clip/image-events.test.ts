// The index job's domain events: `image.indexed` is written by the same statement that marks an image ready and
// `image.failed` by the one that marks it failed, once per change, and none when the change does not happen.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { indexImage, markFailed } from '../../containers/clip/src/index-job/index-image'
import type { ObjectStore } from '../../containers/clip/src/index-job/object-store'
import { createDatabase, queryRows, type DatabaseClient } from '../../workers/db/client'
import { EMBEDDING_DIMENSIONS } from '../../workers/db/schema/catalog'
import { MEDIA_FILES, mediaKey } from '../../workers/media/keys'
import { solidImage } from './helpers'
import { createCatalog, type Catalog } from './index-fixtures'

let client: DatabaseClient
let catalog: Catalog

/** An in-memory object store. */
function memoryStore(): ObjectStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>()
  return { objects, get: async (key) => objects.get(key) ?? null, put: async (key, bytes) => void objects.set(key, bytes) }
}

async function newImage(store: ReturnType<typeof memoryStore>): Promise<string> {
  const imageId = crypto.randomUUID()
  const bytes = await solidImage(32, 32, [200, 30, 30])
  await client.db.execute(sql`insert into product_images (id, tenant_id, product_id, r2_key, sha256, content_type, bytes, width, height)
    values (${imageId}, ${catalog.tenantId}, ${catalog.rootProductId}, ${`t/${catalog.tenantId}/images/${imageId}/original`}, ${crypto.randomUUID()}, 'image/jpeg', ${bytes.length}, 32, 32)`)
  store.objects.set(mediaKey(catalog.tenantId, imageId, MEDIA_FILES.original), new Uint8Array(bytes))
  return imageId
}

const eventsOf = (imageId: string) =>
  queryRows<{ type: string; data: Record<string, unknown> }>(client.db, sql`select type, data from events where tenant_id = ${catalog.tenantId} and subject_id = ${imageId} order by created_at, id`)

const unit = () => {
  const v = new Float32Array(EMBEDDING_DIMENSIONS)
  v[0] = 1
  return v
}

beforeAll(async () => {
  client = createDatabase({ url: inject('databaseUrl') })
  catalog = await createCatalog(client.db)
})

afterAll(async () => {
  await client.close()
})

describe('image events', () => {
  it('records image.indexed with the image turning ready, and no image.failed for an image already ready', async () => {
    const store = memoryStore()
    const imageId = await newImage(store)
    expect(await indexImage({ db: client.db, store, embedImage: async () => unit() }, { tenantId: catalog.tenantId, imageId })).toBe('indexed')
    await markFailed(client.db, { tenantId: catalog.tenantId, imageId }, 'late failure')
    expect(await eventsOf(imageId)).toEqual([{ type: 'image.indexed', data: { version: 1, imageId, productId: catalog.rootProductId, reused: false } }])
  })

  it('records image.failed once with its reason, and nothing when indexing fails before the image changes', async () => {
    const store = memoryStore()
    const imageId = await newImage(store)
    await expect(indexImage({ db: client.db, store, embedImage: async () => new Float32Array(3) }, { tenantId: catalog.tenantId, imageId })).rejects.toThrow('model_mismatch')
    expect(await eventsOf(imageId)).toEqual([])
    await markFailed(client.db, { tenantId: catalog.tenantId, imageId }, 'model_mismatch: 3 dimensions')
    expect(await eventsOf(imageId)).toEqual([{ type: 'image.failed', data: { version: 1, imageId, productId: catalog.rootProductId, reason: 'model_mismatch: 3 dimensions' } }])
    await markFailed(client.db, { tenantId: crypto.randomUUID(), imageId }, 'another tenant')
    expect(await eventsOf(imageId)).toHaveLength(1)
  })
})
