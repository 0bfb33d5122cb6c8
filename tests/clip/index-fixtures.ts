// Fixtures for the index job tests: a tenant with a two-level category tree and products inserted with SQL, image rows
// whose originals sit in the stand-in media bridge, and polling of an image's state.
import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { queryRows, type Database } from '../../workers/db/client'
import type { BridgeServer } from './media-bridge'
import { withToken } from './helpers'

/** A tenant whose `child` category sits under `root`, with one product in each. */
export interface Catalog {
  tenantId: string
  rootCategoryId: string
  childCategoryId: string
  rootProductId: string
  childProductId: string
}

/** What the tests read back about an image. */
export interface ImageState {
  status: string
  failureReason: string | null
  embedding: number[] | null
}

/** Creates a fresh tenant, its category tree and a product in each category. */
export async function createCatalog(db: Database): Promise<Catalog> {
  const suffix = randomUUID()
  const [tenant] = await queryRows<{ id: string }>(db, sql`insert into tenants (name, slug) values ('Index test', ${`index-${suffix}`}) returning id`)
  if (!tenant) throw new Error('tenant not created')
  const category = async (slug: string, parentId: string | null) => {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`insert into categories (tenant_id, parent_id, name, slug) values (${tenant.id}, ${parentId}, ${slug}, ${slug}) returning id`,
    )
    if (!row) throw new Error('category not created')
    return row.id
  }
  const product = async (slug: string, categoryId: string) => {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`insert into products (tenant_id, name, slug, category_id, status) values (${tenant.id}, ${slug}, ${slug}, ${categoryId}, 'active') returning id`,
    )
    if (!row) throw new Error('product not created')
    return row.id
  }
  const rootCategoryId = await category('watches', null)
  const childCategoryId = await category('dive-watches', rootCategoryId)
  return {
    tenantId: tenant.id,
    rootCategoryId,
    childCategoryId,
    rootProductId: await product('classic', rootCategoryId),
    childProductId: await product('diver', childCategoryId),
  }
}

/** Inserts a pending image row for `bytes` and places the original in the bridge; returns the image id. */
export async function insertImage(db: Database, bridge: BridgeServer, tenantId: string, productId: string, bytes: Buffer, contentType = 'image/jpeg'): Promise<string> {
  const imageId = randomUUID()
  const key = `t/${tenantId}/images/${imageId}/original`
  const { width = 1, height = 1 } = await sharp(bytes).metadata().catch(() => ({ width: 1, height: 1 }))
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await db.execute(sql`
    insert into product_images (id, tenant_id, product_id, r2_key, sha256, content_type, bytes, width, height)
    values (${imageId}, ${tenantId}, ${productId}, ${key}, ${sha256}, ${contentType}, ${bytes.length}, ${width}, ${height})`)
  bridge.objects.set(key, { bytes, contentType })
  return imageId
}

/** pgvector's text form as numbers. */
export function parseVector(text: string): number[] {
  return JSON.parse(text) as number[]
}

/** The status, failure reason and vector of an image. */
export async function imageState(db: Database, imageId: string): Promise<ImageState> {
  const [row] = await queryRows<{ status: string; failureReason: string | null; embedding: string | null }>(
    db,
    sql`select status, failure_reason as "failureReason", embedding::text as embedding from product_images where id = ${imageId}`,
  )
  if (!row) throw new Error(`no image ${imageId}`)
  return { ...row, embedding: row.embedding === null ? null : parseVector(row.embedding) }
}

/** Polls until the image leaves `pending` (or the deadline passes) and returns its state. */
export async function settledState(db: Database, imageId: string, timeoutMs = 15_000): Promise<ImageState> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const state = await imageState(db, imageId)
    if (state.status !== 'pending' || Date.now() > deadline) return state
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** One sample of a Prometheus metric from the service's /metrics (0 when absent). */
export async function metricValue(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, withToken())).text()
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line ? Number(line.slice(sample.length + 1)) : 0
}
