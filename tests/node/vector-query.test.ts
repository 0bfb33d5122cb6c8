// Both search plans (exact scan, HNSW query) agree with distances computed here, keep to the tenant, and stored vectors stay in the row.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase, queryRows, uuidList, type DatabaseClient } from '../../workers/db/client'
import type { SearchFilters } from '../../workers/search/options'
import { candidateConditions, exactNearest, hnswNearest, nearestImages, vectorLiteral } from '../../workers/search/vector-query'
import { generateCatalog, imageVector, type BenchCatalog } from '../../scripts/bench/search-data'
import { createRandom } from '../../scripts/model/prng'

const K = 10
const ACTIVE_ONLY: SearchFilters = { attributes: [], inStock: false, includeInactive: false }
let client: DatabaseClient
let catalog: BenchCatalog

beforeAll(async () => {
  client = createDatabase({ url: inject('databaseUrl'), maxConnections: 2 })
  catalog = await generateCatalog(client.db, 2, 120, 11)
})

afterAll(async () => {
  await client.db.execute(sql`delete from tenants where id in (${uuidList(catalog.tenantIds)})`)
  await client.close()
})

/** The tenant's K nearest image ids by cosine distance, computed in JavaScript from the stored vectors. */
async function nearestByHand(tenantId: string, query: number[]): Promise<string[]> {
  const rows = await queryRows<{ id: string; embedding: string }>(client.db, sql`select id, embedding::text as embedding from product_images where tenant_id = ${tenantId}`)
  const distance = (v: number[]) => 1 - v.reduce((sum, x, i) => sum + x * (query[i] ?? 0), 0) / Math.hypot(...v) / Math.hypot(...query)
  return rows
    .map((row) => ({ id: row.id, distance: distance(JSON.parse(row.embedding) as number[]) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, K)
    .map((row) => row.id)
}

function queryOf(tenantIndex: number, seed: number): { tenantId: string; vector: number[] } {
  const product = catalog.products.find((p) => p.tenantIndex === tenantIndex)
  const tenantId = catalog.tenantIds[tenantIndex]
  if (!product || !tenantId) throw new Error('catalog not generated')
  return { tenantId, vector: imageVector(product, createRandom(seed)) }
}

describe('vector search plans', () => {
  it('the exact scan returns the true nearest images of the tenant, nearest first', async () => {
    const { tenantId, vector } = queryOf(1, 3)
    const hits = await exactNearest(client.db, candidateConditions(tenantId, ACTIVE_ONLY), vectorLiteral(vector), K)
    expect(hits.map((h) => h.imageId)).toEqual(await nearestByHand(tenantId, vector))
    expect(hits.map((h) => h.distance)).toEqual([...hits.map((h) => h.distance)].sort((a, b) => a - b))
  })

  it('the HNSW query keeps to the tenant and finds its nearest images', async () => {
    const { tenantId, vector } = queryOf(1, 4)
    const hits = await hnswNearest(client.db, candidateConditions(tenantId, ACTIVE_ONLY), vectorLiteral(vector), K)
    const truth = await nearestByHand(tenantId, vector)
    expect(hits.filter((h) => truth.includes(h.imageId)).length).toBeGreaterThanOrEqual(K - 1)
    const [{ foreign } = { foreign: -1 }] = await queryRows<{ foreign: number }>(
      client.db,
      sql`select count(*)::int as foreign from product_images where id in (${uuidList(hits.map((h) => h.imageId))}) and tenant_id <> ${tenantId}`,
    )
    expect(foreign).toBe(0)
  })

  it('chooses the exact scan up to the limit and the index past it', async () => {
    const { tenantId, vector } = queryOf(0, 5)
    const exact = await nearestImages(client.db, tenantId, ACTIVE_ONLY, vector, K, 10_000)
    const indexed = await nearestImages(client.db, tenantId, ACTIVE_ONLY, vector, K, 10)
    expect(exact.plan).toBe('exact')
    expect(indexed.plan).toBe('hnsw')
    expect(indexed.hits[0]?.imageId).toBe(exact.hits[0]?.imageId)
    const none = await nearestImages(client.db, tenantId, { ...ACTIVE_ONLY, categoryIds: [] }, vector, K)
    expect(none).toEqual({ hits: [], plan: 'exact' })
  })

  it('keeps image vectors in the row, out of the TOAST table', async () => {
    const [column] = await queryRows<{ storage: string }>(
      client.db,
      sql`select attstorage as storage from pg_attribute where attrelid = 'product_images'::regclass and attname = 'embedding'`,
    )
    expect(column?.storage).toBe('p')
  })
})
