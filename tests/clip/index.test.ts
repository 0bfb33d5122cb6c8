// The POST /index job end to end: the service (tiny model) reads originals from a stand-in media bridge, writes
// thumbnails, stores vectors in the test database and keeps category centroids; duplicates skip inference; failures
// retry and end failed with a reason.
import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { IndexConfig } from '../../containers/clip/src/config'
import { startServer, type RunningServer } from '../../containers/clip/src/server'
import { createDatabase, queryRows, type DatabaseClient } from '../../workers/db/client'
import { recomputeCentroids } from '../../workers/search/centroids'
import { makeTinyModel, maxDifference, norm, paintedImage, solidImage, tempDir, TEST_INTERNAL_TOKEN, testConfig, withToken } from './helpers'
import { createCatalog, imageState, insertImage, metricValue, parseVector, settledState, type Catalog } from './index-fixtures'
import { startBridgeServer, type BridgeServer, type StoredObject } from './media-bridge'

const TOKEN = TEST_INTERNAL_TOKEN
const RETRY_DELAYS_MS = [20, 40, 80]
const IMAGE_INFERENCES = 'clip_inference_duration_seconds_count{kind="image"}'

let model: { dir: string; remove: () => void }
let bridge: BridgeServer
let server: RunningServer
let client: DatabaseClient
let catalog: Catalog

function indexConfig(overrides: Partial<IndexConfig> = {}): IndexConfig {
  return {
    databaseUrl: inject('databaseUrl'),
    databaseDriver: 'auto',
    mediaBaseUrl: bridge.url,
    internalToken: TOKEN,
    concurrency: 2,
    maxQueue: 50,
    retryDelaysMs: RETRY_DELAYS_MS,
    // Other test files share the database; a start-up sweep over every tenant's waiting images would take theirs.
    requeueOnStart: false,
    ...overrides,
  }
}

function postIndex(body: unknown, base = server.url): Promise<Response> {
  return fetch(`${base}/index`, withToken({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }))
}

async function embedDirectly(bytes: Buffer): Promise<number[]> {
  const response = await fetch(`${server.url}/embed/image`, withToken({ method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: bytes }))
  const body = (await response.json()) as { embeddings: number[][] }
  const [vector] = body.embeddings
  if (!vector) throw new Error('no embedding')
  return vector
}

async function centroid(tenantId: string, categoryId: string): Promise<{ vector: number[]; imageCount: number } | undefined> {
  const [row] = await queryRows<{ centroid: string; imageCount: number }>(
    client.db,
    sql`select centroid::text as centroid, image_count as "imageCount" from category_centroids where tenant_id = ${tenantId} and category_id = ${categoryId}`,
  )
  return row && { vector: parseVector(row.centroid), imageCount: row.imageCount }
}

async function webpSize(object: StoredObject | undefined): Promise<{ format?: string; width?: number; height?: number }> {
  if (!object) throw new Error('no such object in the bridge')
  expect(object.contentType).toBe('image/webp')
  const { format, width, height } = await sharp(object.bytes).metadata()
  return { format, width, height }
}

function normalisedMean(vectors: number[][]): number[] {
  const sum = vectors.reduce((acc, v) => acc.map((x, i) => x + (v[i] as number)))
  const length = norm(sum)
  return sum.map((x) => x / length)
}

async function indexed(imageId: string): Promise<number[]> {
  expect((await postIndex({ tenantId: catalog.tenantId, imageId })).status).toBe(202)
  const state = await settledState(client.db, imageId)
  expect(state).toMatchObject({ status: 'ready', failureReason: null })
  if (!state.embedding) throw new Error('ready without a vector')
  return state.embedding
}

const watchPhoto = paintedImage(1600, 900, (x, y) => [(x * 3) % 256, (y * 5) % 256, (x + y) % 256], 'jpeg')
const strapPhoto = paintedImage(640, 640, (x, y) => [200, (x * y) % 256, 40], 'jpeg')

beforeAll(async () => {
  model = makeTinyModel()
  bridge = await startBridgeServer(TOKEN)
  server = await startServer(testConfig({ modelDir: model.dir, index: indexConfig() }))
  expect((await server.modelLoaded).status).toBe('ready')
  client = createDatabase({ url: inject('databaseUrl'), maxConnections: 2 })
  catalog = await createCatalog(client.db)
})

afterAll(async () => {
  await server.close()
  await bridge.close()
  await client.close()
  model.remove()
})

describe('POST /index', () => {
  it('embeds the original, writes both thumbnails, stores a unit vector that search finds again, and marks it ready', async () => {
    const bytes = await watchPhoto
    const imageId = await insertImage(client.db, bridge, catalog.tenantId, catalog.childProductId, bytes)
    const response = await postIndex({ tenantId: catalog.tenantId, imageId })
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ queued: true })

    const state = await settledState(client.db, imageId)
    expect(state).toMatchObject({ status: 'ready', failureReason: null })
    expect(norm(state.embedding ?? [])).toBeCloseTo(1, 5)

    const query = `[${(await embedDirectly(bytes)).join(',')}]`
    const [nearest] = await queryRows<{ id: string; similarity: number }>(
      client.db,
      sql`select id, 1 - (embedding <=> ${query}::vector) as similarity from product_images
          where tenant_id = ${catalog.tenantId} and embedding is not null order by embedding <=> ${query}::vector limit 1`,
    )
    expect(nearest?.id).toBe(imageId)
    expect(nearest?.similarity).toBeGreaterThanOrEqual(0.99)

    const prefix = `t/${catalog.tenantId}/images/${imageId}/`
    expect(await webpSize(bridge.objects.get(`${prefix}thumb-300.webp`))).toEqual({ format: 'webp', width: 300, height: 300 })
    expect(await webpSize(bridge.objects.get(`${prefix}w1200.webp`))).toEqual({ format: 'webp', width: 1200, height: 675 })
  })

  it('keeps small originals at their width in the large rendition', async () => {
    const imageId = await insertImage(client.db, bridge, catalog.tenantId, catalog.rootProductId, await solidImage(200, 100, [9, 90, 200]), 'image/png')
    await indexed(imageId)
    expect(await webpSize(bridge.objects.get(`t/${catalog.tenantId}/images/${imageId}/w1200.webp`))).toEqual({ format: 'webp', width: 200, height: 100 })
  })

  it('reuses the vector of identical bytes in the tenant without inference, and still writes thumbnails', async () => {
    const bytes = await strapPhoto
    const first = await indexed(await insertImage(client.db, bridge, catalog.tenantId, catalog.rootProductId, bytes))
    const inferences = await metricValue(server.url, IMAGE_INFERENCES)
    expect(inferences).toBeGreaterThan(0)
    const reused = await metricValue(server.url, 'clip_index_jobs_total{outcome="reused"}')

    const duplicateId = await insertImage(client.db, bridge, catalog.tenantId, catalog.childProductId, bytes)
    expect(await indexed(duplicateId)).toEqual(first)
    expect(await metricValue(server.url, IMAGE_INFERENCES)).toBe(inferences)
    // The job counts its outcome after the image turns ready (and its centroids are refreshed), so the count may lag a moment.
    await expect.poll(() => metricValue(server.url, 'clip_index_jobs_total{outcome="reused"}')).toBe(reused + 1)
    expect(bridge.objects.has(`t/${catalog.tenantId}/images/${duplicateId}/thumb-300.webp`)).toBe(true)
  })

  it('keeps each centroid at the normalised mean of the ready vectors of the category and its descendants', async () => {
    const shop = await createCatalog(client.db)
    const index = async (productId: string, bytes: Buffer) => {
      const imageId = await insertImage(client.db, bridge, shop.tenantId, productId, bytes)
      expect((await postIndex({ tenantId: shop.tenantId, imageId })).status).toBe(202)
      const state = await settledState(client.db, imageId)
      if (state.status !== 'ready' || !state.embedding) throw new Error(`image not indexed: ${state.failureReason}`)
      return state.embedding
    }
    const inChild = [await index(shop.childProductId, await watchPhoto)]
    const inRoot = [await index(shop.rootProductId, await strapPhoto), await index(shop.rootProductId, await solidImage(64, 64, [10, 200, 30]))]

    // The job marks an image ready, then recomputes its centroids in a step of its own: wait for the last one.
    await expect.poll(async () => (await centroid(shop.tenantId, shop.rootCategoryId))?.imageCount).toBe(3)
    const child = await centroid(shop.tenantId, shop.childCategoryId)
    const root = await centroid(shop.tenantId, shop.rootCategoryId)
    expect(child?.imageCount).toBe(1)
    expect(maxDifference(child?.vector ?? [], normalisedMean(inChild))).toBeLessThan(1e-5)
    expect(maxDifference(root?.vector ?? [], normalisedMean([...inChild, ...inRoot]))).toBeLessThan(1e-5)
    expect(norm(root?.vector ?? [])).toBeCloseTo(1, 5)
  })

  it('deletes a centroid when its category has no ready image left', async () => {
    const other = await createCatalog(client.db)
    const imageId = await insertImage(client.db, bridge, other.tenantId, other.childProductId, await watchPhoto)
    expect((await postIndex({ tenantId: other.tenantId, imageId })).status).toBe(202)
    expect((await settledState(client.db, imageId)).status).toBe('ready')
    await client.db.execute(sql`delete from product_images where id = ${imageId}`)
    expect(await recomputeCentroids(client.db, other.tenantId, other.childCategoryId)).toEqual(
      [other.rootCategoryId, other.childCategoryId].sort().map((categoryId) => ({ categoryId, imageCount: 0 })),
    )
    const [left] = await queryRows<{ count: number }>(client.db, sql`select count(*)::int as count from category_centroids where tenant_id = ${other.tenantId}`)
    expect(left?.count).toBe(0)
  })
})

describe('index failures', () => {
  it('retries a corrupt original, then marks it failed with decode_failed', async () => {
    const bytes = (await watchPhoto).subarray(0, 400)
    const imageId = await insertImage(client.db, bridge, catalog.tenantId, catalog.rootProductId, bytes)
    expect((await postIndex({ tenantId: catalog.tenantId, imageId })).status).toBe(202)
    const state = await settledState(client.db, imageId)
    expect(state.status).toBe('failed')
    expect(state.failureReason).toMatch(/^decode_failed: /)
    expect(state.embedding).toBeNull()
    const originalKey = `t/${catalog.tenantId}/images/${imageId}/original`
    expect(bridge.requests.filter((r) => r === `GET ${originalKey}`)).toHaveLength(RETRY_DELAYS_MS.length + 1)
    expect(bridge.requests.some((r) => r.startsWith(`PUT t/${catalog.tenantId}/images/${imageId}/`))).toBe(false)
  })

  it('marks an image whose original is gone failed with image_missing', async () => {
    const imageId = await insertImage(client.db, bridge, catalog.tenantId, catalog.rootProductId, await watchPhoto)
    bridge.objects.delete(`t/${catalog.tenantId}/images/${imageId}/original`)
    expect((await postIndex({ tenantId: catalog.tenantId, imageId })).status).toBe(202)
    expect(await settledState(client.db, imageId)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^image_missing/) })
  })

  it('does nothing for an image of another tenant or no image at all', async () => {
    const other = await createCatalog(client.db)
    const imageId = await insertImage(client.db, bridge, other.tenantId, other.rootProductId, await watchPhoto)
    const missing = await metricValue(server.url, 'clip_index_jobs_total{outcome="missing"}')
    expect((await postIndex({ tenantId: catalog.tenantId, imageId })).status).toBe(202)
    expect((await postIndex({ tenantId: catalog.tenantId, imageId: crypto.randomUUID() })).status).toBe(202)
    const deadline = Date.now() + 10_000
    while ((await metricValue(server.url, 'clip_index_jobs_total{outcome="missing"}')) < missing + 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(await metricValue(server.url, 'clip_index_jobs_total{outcome="missing"}')).toBe(missing + 2)
    expect(await imageState(client.db, imageId)).toMatchObject({ status: 'pending', embedding: null })
  })

  it('answers 400 for a malformed request', async () => {
    for (const body of [{}, { tenantId: catalog.tenantId }, { tenantId: 'x', imageId: crypto.randomUUID() }]) {
      const response = await postIndex(body)
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request')
    }
  })
})

describe('an indexer without a model', () => {
  it('answers 429 with Retry-After when its queue is full, and fails the queued images with model_unavailable', async () => {
    const empty = tempDir('no-model')
    const bare = await startServer(testConfig({ modelDir: empty.path, index: indexConfig({ concurrency: 1, maxQueue: 1 }) }))
    try {
      expect((await bare.modelLoaded).status).toBe('unavailable')
      const shop = await createCatalog(client.db)
      const bytes = await watchPhoto
      const running = await insertImage(client.db, bridge, shop.tenantId, shop.rootProductId, bytes)
      const waiting = await insertImage(client.db, bridge, shop.tenantId, shop.rootProductId, bytes)
      const refused = await insertImage(client.db, bridge, shop.tenantId, shop.rootProductId, bytes)
      const release = bridge.hold(`t/${shop.tenantId}/images/${running}/original`)
      expect((await postIndex({ tenantId: shop.tenantId, imageId: running }, bare.url)).status).toBe(202)
      expect((await postIndex({ tenantId: shop.tenantId, imageId: waiting }, bare.url)).status).toBe(202)
      const full = await postIndex({ tenantId: shop.tenantId, imageId: refused }, bare.url)
      expect(full.status).toBe(429)
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe('queue_full')
      release()

      for (const imageId of [running, waiting]) {
        expect(await settledState(client.db, imageId)).toMatchObject({ status: 'failed', failureReason: 'model_unavailable', embedding: null })
      }
      expect((await imageState(client.db, refused)).status).toBe('pending')
    } finally {
      await bare.close()
      empty.remove()
    }
  })

  it('still writes the thumbnails, and embeds the image once a service with the model sweeps the waiting ones', async () => {
    const empty = tempDir('no-model')
    const bare = await startServer(testConfig({ modelDir: empty.path, index: indexConfig({ concurrency: 1 }) }))
    const shop = await createCatalog(client.db)
    const bytes = await strapPhoto
    const [failed, neverQueued] = [await insertImage(client.db, bridge, shop.tenantId, shop.rootProductId, bytes), await insertImage(client.db, bridge, shop.tenantId, shop.rootProductId, await solidImage(320, 200, [10, 200, 30]), 'image/png')]
    try {
      expect((await bare.modelLoaded).status).toBe('unavailable')
      expect((await postIndex({ tenantId: shop.tenantId, imageId: failed }, bare.url)).status).toBe(202)
      expect(await settledState(client.db, failed)).toMatchObject({ status: 'failed', failureReason: 'model_unavailable', embedding: null })
    } finally {
      await bare.close()
      empty.remove()
    }
    const [row] = await queryRows<{ thumbnailsAt: string | null }>(client.db, sql`select thumbnails_at::text as "thumbnailsAt" from product_images where id = ${failed}`)
    expect(row?.thumbnailsAt).not.toBeNull()
    const prefix = `t/${shop.tenantId}/images/${failed}/`
    expect(await webpSize(bridge.objects.get(`${prefix}thumb-300.webp`))).toEqual({ format: 'webp', width: 300, height: 300 })
    const thumbnailWrites = () => bridge.requests.filter((r) => r === `PUT ${prefix}thumb-300.webp`).length
    expect(thumbnailWrites()).toBe(1)

    expect(await server.indexer?.requeueWaiting(shop.tenantId)).toBe(2)
    for (const imageId of [failed, neverQueued]) expect(await settledState(client.db, imageId)).toMatchObject({ status: 'ready', failureReason: null })
    expect(thumbnailWrites()).toBe(1)
    expect(await server.indexer?.requeueWaiting(shop.tenantId)).toBe(0)
  })
})
